package dev.smtpprobe.netty.transport;

import static dev.smtpprobe.netty.transport.LoopbackServer.readLine;
import static dev.smtpprobe.netty.transport.LoopbackServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Core's probe engine driving this transport against plain JDK servers on loopback: proves the integration
 * through the public API ({@code SmtpProbe.to(...).transport(...)}).
 */
@ExtendWith(LeakCheck.class)
class EndToEndTest {

    static final NettyTransport transport = new NettyTransport();

    @org.junit.jupiter.api.BeforeAll
    static void warm() throws Exception {
        TestPki.warmJsse();
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).transport(transport)
                .connectTimeout(Duration.ofMillis(400)).greetingTimeout(Duration.ofMillis(400))
                .replyTimeout(Duration.ofMillis(400)).deadline(Duration.ofSeconds(3))
                .ehloName("client.test").trustManager(TestPki.clientTrust());
    }

    /** A tiny SMTP server: greeting, EHLO with STARTTLS, STARTTLS over an SSLSocket layered on the socket, QUIT. */
    static void smtpWithStartTls(Socket plain, List<String> commands) throws Exception {
        Socket s = plain;
        write(s, "220 mx.test ESMTP ready\r\n");
        while (true) {
            String line = readLine(s);
            if (line.isEmpty()) {
                return; // client closed
            }
            commands.add(line.trim());
            String verb = line.trim().split(" ")[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> write(s, s instanceof SSLSocket
                        ? "250-mx.test greets client.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
                        : "250-mx.test greets client.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
                case "STARTTLS" -> {
                    write(s, "220 2.0.0 go ahead\r\n");
                    SSLSocket tls = (SSLSocket) TestPki.serverContext().getSocketFactory()
                            .createSocket(s, "127.0.0.1", s.getPort(), true);
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                    s = tls;
                }
                case "QUIT" -> {
                    write(s, "221 2.0.0 bye\r\n");
                    return;
                }
                default -> write(s, "250 2.0.0 OK\r\n");
            }
        }
    }

    @Test
    void aHealthyStartTlsServerIsOk() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = LoopbackServer.start(s -> smtpWithStartTls(s, commands))) {
            ProbeResult result = probe(server.address().getPort()).tls(TlsMode.STARTTLS_REQUIRED).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.greeting().code()).isEqualTo(220);
            assertThat(result.tls()).isNotNull();
            assertThat(result.remoteAddress()).isEqualTo(server.address());
            assertThat(commands).startsWith("EHLO client.test", "STARTTLS", "EHLO client.test");
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        ProbeResult result = probe(port).tls(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_REFUSED);
    }

    @Test
    void implicitTlsToAPlainServerIsATlsModeMismatch() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test ESMTP ready\r\n");
            LoopbackServer.readsEof(s);
        })) {
            ProbeResult result = probe(server.address().getPort()).tls(TlsMode.IMPLICIT).confirmTlsMode(false).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        }
    }

    @Test
    void aSilentServerIsAGreetingTimeout() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(LoopbackServer::readsEof)) {
            ProbeResult result = probe(server.address().getPort()).tls(TlsMode.NONE)
                    .greetingTimeout(Duration.ofMillis(150)).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.GREETING_TIMEOUT);
        }
    }
}
