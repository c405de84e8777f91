package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** STARTTLS, implicit TLS and the TLS failure effects, against a JDK TLS client that trusts the test CA. */
class TlsTest {

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final TestCertificates CERTS = TestCertificates.shared();

    private static Script startTls(ServerTls tls) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS").onStartTls(tls);
    }

    @Test
    void startTlsUpgradesTheConnectionAndRecordsTheHandshake() throws Exception {
        Script script = startTls(CERTS.valid().tls()).ehloAfterTls("mx.test", "AUTH PLAIN LOGIN");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("EHLO probe.test");
            assertThat(client.readReply()).containsExactly("250-mx.test", "250-PIPELINING", "250 STARTTLS");
            client.send("STARTTLS");
            assertThat(client.readReply()).containsExactly("220 2.0.0 Ready to start TLS");
            client.startTls(CERTS.clientContext(), "localhost");
            client.send("EHLO probe.test");
            assertThat(client.readReply()).containsExactly("250-mx.test", "250 AUTH PLAIN LOGIN");

            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.tlsProtocol()).contains(((SSLSocket) client.socket()).getSession().getProtocol());
            assertThat(connection.tlsCipherSuite()).isPresent();
            assertThat(connection.sniHostNames()).containsExactly("localhost");
            assertThat(connection.plaintextDiscardedAtTls()).isZero();
            assertThat(connection.tlsFailure()).isEmpty();
            assertThat(connection.commands()).containsExactly("EHLO probe.test", "STARTTLS", "EHLO probe.test");
        }
    }

    @Test
    void capabilitiesAfterTlsDropStartTlsByDefault() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.valid().tls()));
                Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            client.startTls(CERTS.clientContext(), "127.0.0.1");
            client.send("EHLO probe.test");
            assertThat(client.readReply()).containsExactly("250-mx.test", "250 PIPELINING");
            assertThat(server.takeConnection(WAIT).sniHostNames()).as("no SNI for an IP literal").isEmpty();
        }
    }

    @Test
    void implicitTlsGreetsOverTls() throws Exception {
        Script script = Script.greeting("220 mx.test ESMTP over TLS").tlsOnConnect(CERTS.valid().tls());
        try (MockSmtpServer server = new MockSmtpServer().start(script);
                Client client = Client.connectTls(server, CERTS.clientContext(), "localhost")) {
            assertThat(client.readReply()).containsExactly("220 mx.test ESMTP over TLS");
            client.send("EHLO probe.test");
            assertThat(client.readReply()).containsExactly("250-mx.test", "250-PIPELINING", "250 8BITMIME");
            assertThat(server.takeConnection(WAIT).tlsProtocol()).isPresent();
        }
    }

    @Test
    void plaintextClientOnAnImplicitTlsPortHearsNothing() throws Exception {
        Script script = Script.greeting("220 mx.test").tlsOnConnect(CERTS.valid().tls());
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            RecordedConnection connection;
            try (Client client = Client.connect(server)) {
                client.setReadTimeout(200);
                assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
                connection = server.takeConnection(WAIT);
            }
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.tlsFailure()).get().isInstanceOf(SSLException.class);
        }
    }

    @Test
    void expiredCertificateIsRejectedByTheClient() throws Exception {
        assertThat(rejection(CERTS.expired().tls(), "localhost"))
                .hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void notYetValidCertificateIsRejectedByTheClient() throws Exception {
        assertThat(rejection(CERTS.notYetValid().tls(), "localhost"))
                .hasRootCauseInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void wrongHostCertificateIsRejectedByTheClient() throws Exception {
        Throwable failure = rejection(CERTS.wrongHost().tls(), "localhost");
        assertThat(failure).hasRootCauseInstanceOf(CertificateException.class);
        assertThat(rootCause(failure)).hasMessageContaining("localhost");
    }

    @Test
    void selfSignedCertificateIsUntrusted() throws Exception {
        Throwable failure = rejection(CERTS.selfSigned().tls(), "localhost");
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(failure)).anyMatch(c -> c instanceof CertPathValidatorException
                || c.getClass().getName().contains("SunCertPathBuilderException"));
    }

    @Test
    void validCertificateMatchesTheIpv4LoopbackLiteral() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.valid().tls()));
                Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            client.startTls(CERTS.clientContext(), "127.0.0.1");
        }
    }

    @Test
    void tls12OnlyServerNegotiatesExactlyThatProtocolAndCipher() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.tls12Only()));
                Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            client.startTls(CERTS.clientContext(), "localhost");
            client.send("NOOP");
            client.readReply(); // the server records the handshake before it reads the next command
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.tlsProtocol()).contains("TLSv1.2");
            assertThat(connection.tlsCipherSuite()).contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void noCommonCipherFailsTheHandshakeWithAnAlert() throws Exception {
        Throwable failure = rejection(CERTS.noCommonCipher(), "localhost");
        assertThat(failure).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("handshake_failure");
    }

    @Test
    void garbageAfterReadyFailsTheHandshake() throws Exception {
        Script script = Script.greeting("220 mx.test")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"), Effect.awaitTlsHello(),
                        Effect.garbage(64), Effect.STALL);
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            assertThat(client.readReply()).containsExactly("220 2.0.0 Ready to start TLS");
            assertThatThrownBy(() -> client.startTls(CERTS.clientContext(), "localhost"))
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void awaitTlsHelloConsumesTheClientHelloOnly() throws Exception {
        Script script = Script.greeting("220 mx.test")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"), Effect.awaitTlsHello(),
                        Effect.reply("554 not TLS at all"), Effect.CLOSE);
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            client.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00});
            assertThat(client.readReply()).containsExactly("554 not TLS at all");
        }
    }

    @Test
    void awaitTlsHelloEndsTheConnectionOnPlainText() throws Exception {
        Script script = Script.greeting("220 mx.test")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"), Effect.awaitTlsHello(),
                        Effect.reply("250 never sent"));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            client.send("EHLO in plain text");
            assertThat(client.read()).isEqualTo(-1);
        }
    }

    @Test
    void serverClosingMidHandshakeFailsTheHandshake() throws Exception {
        Script script = Script.greeting("220 mx.test")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"),
                        Effect.abortTlsHandshake(CERTS.valid().tls()));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            assertThatThrownBy(() -> client.startTls(CERTS.clientContext(), "localhost"))
                    .isInstanceOf(SSLException.class);
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.tlsFailure()).as("the server engine itself was happy").isEmpty();
        }
    }

    @Test
    void implicitTlsServerClosingMidHandshake() throws Exception {
        Script script = Script.effect(Effect.abortTlsHandshake(CERTS.valid().tls()));
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            assertThatThrownBy(() -> Client.connectTls(server, CERTS.clientContext(), "localhost").close())
                    .isInstanceOf(SSLException.class);
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscardedAndCounted() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.valid().tls()));
                Client client = Client.connect(server)) {
            client.readReply();
            client.sendRaw("STARTTLS\r\nRSET\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.readReply();
            client.startTls(CERTS.clientContext(), "localhost");
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.plaintextDiscardedAtTls()).isEqualTo("RSET\r\n".length());
        }
    }

    /** Runs STARTTLS against a server with this TLS and returns the client's handshake failure. */
    private static Throwable rejection(ServerTls tls, String host) throws Exception {
        SSLContext context = CERTS.clientContext();
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(tls)); Client client = Client.connect(server)) {
            client.readReply();
            client.send("STARTTLS");
            client.readReply();
            Throwable failure = null;
            try {
                client.startTls(context, host);
            } catch (SSLException e) {
                failure = e;
            }
            assertThat(failure).as("the handshake must fail").isNotNull();
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.tlsFailure()).as("the server saw the handshake fail").isPresent();
            return failure;
        }
    }

    private static java.util.List<Throwable> causes(Throwable failure) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    private static Throwable rootCause(Throwable failure) {
        java.util.List<Throwable> all = causes(failure);
        return all.get(all.size() - 1);
    }
}
