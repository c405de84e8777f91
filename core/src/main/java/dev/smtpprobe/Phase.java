package dev.smtpprobe;

/**
 * The phases of a probe, in the order they run. A result records the phase it reached: the phase in which
 * the verdict was decided.
 *
 * <pre>RESOLVE → CONNECT → GREETING → EHLO → STARTTLS (+ EHLO again) → AUTH → ENVELOPE → QUIT</pre>
 */
public enum Phase {
    /** MX, A and AAAA resolution. */
    RESOLVE,
    /** The TCP connection, and the TLS handshake for implicit TLS. */
    CONNECT,
    /** Waiting for the 220 banner. */
    GREETING,
    /** EHLO (or HELO) and the capability list. */
    EHLO,
    /** STARTTLS, the TLS handshake on the open connection, and EHLO again. */
    STARTTLS,
    /** AUTH, when credentials were given. */
    AUTH,
    /** MAIL FROM and RCPT TO, then RSET, when an envelope was given; never DATA. */
    ENVELOPE,
    /** QUIT and closing the connection. */
    QUIT
}
