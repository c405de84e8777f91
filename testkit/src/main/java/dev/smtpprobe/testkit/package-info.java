/**
 * Test fixtures for smtp-probe, usable by any module's tests without depending on core: {@link
 * dev.smtpprobe.testkit.MockSmtpServer} (a scripted SMTP server on loopback with failure effects), {@link
 * dev.smtpprobe.testkit.TestCertificates} (a test CA and good and bad server certificates made at run time) and
 * {@link dev.smtpprobe.testkit.Ports} (a closed port); the test DNS server is in {@code dev.smtpprobe.testkit.dns}.
 *
 * <p>Tests read as "script the server, run the client, verify":
 * <pre>{@code
 * try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("421 4.3.2 busy, try later"))) {
 *     ProbeResult result = SmtpProbe.to("127.0.0.1").port(server.port()).run();
 *     assertThat(result.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
 * }
 * }</pre>
 */
package dev.smtpprobe.testkit;
