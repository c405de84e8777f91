/**
 * A DNS server for tests: {@link dev.smtpprobe.testkit.dns.MockDnsServer}, authoritative, on loopback, UDP and
 * TCP, answering from zone data the test sets (MX, null MX, A, AAAA, CNAME) with per-name failure behaviours
 * (NXDOMAIN, SERVFAIL, REFUSED, silence, truncation), and {@link dev.smtpprobe.testkit.dns.MockDnsServer#blackHole()},
 * a resolver address that never answers.
 *
 * <pre>{@code
 * try (MockDnsServer dns = MockDnsServer.start()) {
 *     dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2");
 *     ProbeResult result = SmtpProbe.mx("example.test").resolver(dns.host(), dns.port()).run();
 * }
 * }</pre>
 */
package dev.smtpprobe.testkit.dns;
