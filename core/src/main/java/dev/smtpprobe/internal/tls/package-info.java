/**
 * Discovery of a mail domain's published TLS policies: MTA-STS (RFC 8461) and TLS-RPT (RFC 8460). Self-contained:
 * nothing here decides a verdict; a caller applies the discovered policy to the MX hosts it probes. Failures carry
 * the RFC 8460 result type a reporting sender would use ({@link dev.smtpprobe.internal.tls.TlsRptResultType}).
 */
package dev.smtpprobe.internal.tls;
