package dev.smtpprobe.netty.transport;

import static dev.smtpprobe.netty.transport.LoopbackServer.readLine;
import static dev.smtpprobe.netty.transport.LoopbackServer.readsEof;
import static dev.smtpprobe.netty.transport.LoopbackServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TlsParameters;
import io.netty.pkitesting.CertificateBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * STARTTLS and implicit TLS against JDK TLS peers ({@code SSLSocket} layered on the accepted socket, and
 * {@code SSLServerSocket}) with certificates made at test time.
 */
@ExtendWith(LeakCheck.class)
class TlsTest {

    static final Duration SHORT = Duration.ofMillis(500);
    static final NettyTransport transport = NettyTransport.withOwnThreads(1);
    static SSLContext serverContext;

    @BeforeAll
    static void certificatesAndWarmJsse() throws Exception {
        serverContext = TestPki.serverContext();
        TestPki.warmJsse();
        new dev.smtpprobe.netty.internal.TlsHandlers().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT,
                tls("localhost", true));
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    static TlsParameters tls(String host, boolean verify) {
        return tls(host, verify, TestPki.clientTrust(), SHORT);
    }

    static TlsParameters tls(String host, boolean verify, X509TrustManager trust, Duration handshakeTimeout) {
        return new TlsParameters(host, 465, trust, verify, handshakeTimeout);
    }

    static ConnectRequest plain(InetSocketAddress remote) {
        return new ConnectRequest(remote, null, SHORT, null, Duration.ofSeconds(2));
    }

    static ConnectRequest implicit(InetSocketAddress remote, TlsParameters tls) {
        return new ConnectRequest(remote, null, SHORT, tls, Duration.ofSeconds(2));
    }

    /** The SNI names the server saw, recorded by the server scripts. */
    final List<String> sniSeen = new CopyOnWriteArrayList<>();

    private void recordSni(SSLSocket socket) {
        List<SNIServerName> names = ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames();
        for (SNIServerName name : names) {
            sniSeen.add(((SNIHostName) name).getAsciiName());
        }
    }

    @Test
    void startTlsUpgradesAndNeverDeliversPlainTextSentAfterThe220() throws Exception {
        List<String> serverReceived = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test ESMTP\r\n");
            serverReceived.add(readLine(s));
            write(s, "250-mx.test\r\n250 STARTTLS\r\n");
            serverReceived.add(readLine(s));
            // An injected line right behind the 220, in the same write (RFC 3207 §4.2): must be discarded.
            write(s, "220 go ahead\r\n250 injected\r\n");
            SSLSocket tls = (SSLSocket) serverContext.getSocketFactory()
                    .createSocket(s, "localhost", s.getPort(), false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            recordSni(tls);
            serverReceived.add(readLine(tls));
            write(tls, "250 mx.test over TLS\r\n");
            serverReceived.add(readLine(tls));
            write(tls, "221 bye\r\n");
            tls.close();
        })) {
            int[] n = {0};
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> {
                        switch (n[0]++) {
                            case 0 -> link.send("EHLO client.test", SHORT);
                            case 1 -> link.send("STARTTLS", SHORT);
                            case 2 -> link.startTls(tls("localhost", true));
                            case 3 -> link.send("QUIT", SHORT);
                            default -> link.close();
                        }
                    })
                    .whenTls((link, session) -> link.send("EHLO client.test", SHORT));
            Dialogues.open(transport, plain(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(server.awaitScript()).isEmpty();
            assertThat(dialogue.events).containsExactly("connected", "reply 220", "reply 250", "reply 220", "tls",
                    "reply 250", "reply 221", "closed");
            assertThat(dialogue.replies).noneMatch(r -> r.text().contains("injected"));
            assertThat(dialogue.replies.get(3).text()).isEqualTo("mx.test over TLS");
            assertThat(dialogue.session.getProtocol()).startsWith("TLSv1.");
            assertThat(serverReceived).containsExactly("EHLO client.test\r\n", "STARTTLS\r\n",
                    "EHLO client.test\r\n", "QUIT\r\n");
            assertThat(sniSeen).containsExactly("localhost");
        }
    }

    @Test
    void implicitTlsHandshakesBeforeTheGreeting() throws Exception {
        RecordingDialogue dialogue = greetingOverImplicitTls("localhost");
        assertThat(dialogue.session.getPeerCertificates()[0].toString()).contains("CN=localhost");
        assertThat(sniSeen).containsExactly("localhost");
    }

    @Test
    void anAbsoluteHostNameWithATrailingDotIsVerifiedAndSentWithoutTheDot() throws Exception {
        greetingOverImplicitTls("localhost.");
        assertThat(sniSeen).containsExactly("localhost");
    }

    @Test
    void anAddressLiteralGetsNoSniAndIsVerifiedAgainstTheIpSan() throws Exception {
        greetingOverImplicitTls("127.0.0.1");
        assertThat(sniSeen).isEmpty();
    }

    /**
     * An SMTPS server that handshakes, records the SNI it was sent and greets; the client connects with implicit
     * TLS to {@code peerHost} (verified), reads the greeting and closes.
     */
    private RecordingDialogue greetingOverImplicitTls(String peerHost) throws Exception {
        try (LoopbackServer server = LoopbackServer.start(serverContext.getServerSocketFactory(), s -> {
            SSLSocket tls = (SSLSocket) s;
            tls.startHandshake();
            recordSni(tls);
            write(tls, "220 smtps.test ESMTP\r\n");
            assertThat(readsEof(tls)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenTls((link, session) -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> link.close());
            Dialogues.open(transport, implicit(server.address(), tls(peerHost, true)), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "tls", "reply 220", "closed");
            assertThat(server.awaitScript()).isEmpty();
            return dialogue;
        }
    }

    @Test
    void aPlainGreetingAnsweringOurClientHelloIsNotTls() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 plain.test ESMTP ready\r\n");
            readsEof(s);
        })) {
            RecordingDialogue dialogue = new RecordingDialogue(); // the handshake timeout bounds the wait
            Dialogues.open(transport, implicit(server.address(), tls("localhost", true)), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "failure NOT_TLS", "closed");
            NotTlsException notTls = (NotTlsException) dialogue.failure().getCause();
            assertThat(notTls.looksLikeSmtpReply()).isTrue();
            assertThat(new String(notTls.firstBytes(), StandardCharsets.US_ASCII))
                    .startsWith("220 plain.test ESMTP ready");
            assertThat(notTls.getCause()).isNotNull();
        }
    }

    @Test
    void aWrongHostNameFailsVerificationAndPassesWithoutIt() throws Exception {
        for (boolean verify : new boolean[] {true, false}) {
            try (LoopbackServer server = LoopbackServer.start(serverContext.getServerSocketFactory(), s -> {
                SSLSocket tls = (SSLSocket) s;
                tls.startHandshake();
                write(tls, "220 smtps.test ESMTP\r\n");
                readsEof(tls);
            })) {
                RecordingDialogue dialogue = new RecordingDialogue()
                        .whenTls((link, session) -> link.expectReply(SHORT))
                        .whenReply((link, reply) -> link.close());
                Dialogues.open(transport, implicit(server.address(), tls("mx.other.test", verify)), dialogue);
                dialogue.awaitClosed();

                if (verify) {
                    assertThat(dialogue.events).containsExactly("connected", "failure TLS", "closed");
                    assertThat(dialogue.failure().getCause()).isInstanceOf(SSLHandshakeException.class)
                            .hasRootCauseInstanceOf(CertificateException.class);
                    assertThat(rootCause(dialogue.failure()).getMessage()).contains("mx.other.test");
                } else {
                    assertThat(dialogue.events).containsExactly("connected", "tls", "reply 220", "closed");
                }
            }
        }
    }

    @Test
    void anUntrustedChainFailsTheHandshake() throws Exception {
        X509TrustManager otherRoot = trustOnly(new CertificateBuilder().subject("CN=another root")
                .setIsCertificateAuthority(true).ecp256().buildSelfSigned().toTrustManagerFactory()
                .getTrustManagers());
        try (LoopbackServer server = LoopbackServer.start(serverContext.getServerSocketFactory(), s -> {
            ((SSLSocket) s).startHandshake();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue();
            Dialogues.open(transport, implicit(server.address(), tls("localhost", true, otherRoot, SHORT)), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.failure().getCause()).isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void aServerSilentAfterOurClientHelloTripsTheHandshakeTimeout() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> drain(s))) {
            RecordingDialogue dialogue = new RecordingDialogue();
            long start = System.nanoTime();
            Dialogues.open(transport, implicit(server.address(),
                    tls("localhost", true, TestPki.clientTrust(), Duration.ofMillis(150))), dialogue);
            dialogue.awaitClosed();
            long tookMillis = (dialogue.failedAtNanos - start) / 1_000_000;

            assertThat(dialogue.events).containsExactly("connected", "failure ReplyTimeoutException", "closed");
            assertThat(dialogue.failure()).isInstanceOf(ReplyTimeoutException.class)
                    .hasMessageContaining("TLS handshake timed out")
                    .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            assertThat(tookMillis).as("at the 150 ms handshake timeout").isBetween(140L, 2_000L);
        }
    }

    @Test
    void aServerHangingUpOnOurClientHelloTerminatedTheHandshake() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> s.getInputStream().read())) {
            RecordingDialogue dialogue = new RecordingDialogue();
            Dialogues.open(transport, implicit(server.address(), tls("localhost", true)), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "failure TLS", "closed");
            assertThat(dialogue.failure().getCause()).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("terminated the handshake")
                    .hasCauseInstanceOf(java.nio.channels.ClosedChannelException.class);
        }
    }

    /** Reads until the client closes. */
    private static void drain(java.net.Socket s) throws java.io.IOException {
        byte[] buf = new byte[1024];
        try {
            while (s.getInputStream().read(buf) != -1) {
                // discard
            }
        } catch (java.net.SocketException closed) {
            // the client reset or closed: done
        }
    }

    private static X509TrustManager trustOnly(TrustManager[] managers) {
        for (TrustManager tm : managers) {
            if (tm instanceof X509TrustManager) {
                return (X509TrustManager) tm;
            }
        }
        throw new AssertionError("no X509TrustManager");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
