package dev.smtpprobe.netty.auth;

import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** The scripted servers and probe settings shared by the AUTH and ENVELOPE end-to-end tests. */
final class Servers {

    static final TestCertificates CERTS = TestCertificates.shared();
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final Duration WAIT = Duration.ofSeconds(2);

    private Servers() {
    }

    /**
     * A submission server: STARTTLS with the test CA's certificate, and after TLS these EHLO keywords (so AUTH, when
     * listed, appears only after STARTTLS, as on most real submission servers).
     */
    static Script submission(String... afterTls) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .ehloAfterTls("mx.test", afterTls).onStartTls(CERTS.valid().tls());
    }

    /** A probe of {@code server} over real STARTTLS (required), trusting the test CA, with short timers. */
    static SmtpProbe.Builder probe(MockSmtpServer server, NettyTransport transport) {
        return SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.STARTTLS_REQUIRED).transport(transport)
                .trustManager(CERTS.trustManager()).ehloName("client.test").connectTimeout(TIMEOUT)
                .greetingTimeout(TIMEOUT).replyTimeout(TIMEOUT).deadline(Duration.ofSeconds(3))
                .confirmTlsMode(false);
    }

    private static volatile boolean warm;

    /**
     * The first probe in a JVM loads Netty's and the JDK's TLS classes and starts the event loop, which on a loaded
     * machine takes longer than a test's 500 ms timers. Pay it once per JVM with two STARTTLS + AUTH probes on
     * generous timers whose results are not asserted (the tests assert the same paths on short ones).
     */
    static void warmUp(NettyTransport transport) {
        if (warm) {
            return;
        }
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH PLAIN").onAuth("235 2.7.0 warm"))) {
            for (int i = 0; i < 2; i++) {
                probe(server, transport).replyTimeout(Duration.ofSeconds(5)).greetingTimeout(Duration.ofSeconds(5))
                        .deadline(Duration.ofSeconds(10)).auth("warm@up.test", "warm-up".toCharArray()).run();
            }
        }
        warm = true;
    }

    /** The commands the server received on its (only) connection, as UTF-8. */
    static List<String> commands(MockSmtpServer server) {
        RecordedConnection c = server.takeConnection(WAIT);
        c.awaitClosed(WAIT);
        return c.commands().stream()
                .map(s -> new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)).toList();
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
