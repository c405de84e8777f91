package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** OK: the path and the service work, in plain text, with STARTTLS and with implicit TLS. */
class OkVerdictTest extends VerdictTestSupport {

    @Test
    void plainSmtp() {
        serve(Script.greeting("220 mx.test ESMTP Postfix")
                .ehlo("mx.test", "PIPELINING", "SIZE 35882577", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"));

        ProbeResult result = probe(TlsMode.NONE).run();

        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(result.isOk()).isTrue();
        assertThat(result.phase()).isEqualTo(Phase.QUIT);
        assertThat(result.policyReason()).isNull();
        assertThat(result.failure()).isNull();
        assertThat(result.greeting().code()).isEqualTo(220);
        assertThat(result.greeting().text()).contains("mx.test ESMTP Postfix");
        assertThat(result.ehlo().code()).isEqualTo(250);
        assertThat(result.capabilities().serverName()).isEqualTo("mx.test");
        assertThat(result.capabilities().pipelining()).isTrue();
        assertThat(result.capabilities().maxSize()).contains(35882577L);
        assertThat(result.capabilities().eightBitMime()).isTrue();
        assertThat(result.capabilities().smtpUtf8()).isTrue();
        assertThat(result.capabilities().enhancedStatusCodes()).isTrue();
        assertThat(result.capabilities().startTls()).isFalse();
        assertThat(result.tls()).isNull();
        assertThat(result.timings()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.EHLO);
        assertDecidedBeforeTimers(result);
        assertThat(result.startedAt()).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(sent(result)).containsExactly("EHLO " + EHLO_NAME, "QUIT");
        assertThat(received(result)).contains("220 mx.test ESMTP Postfix", "250-mx.test", "250 ENHANCEDSTATUSCODES",
                "221 2.0.0 Bye");

        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
        assertThat(connection.tlsProtocol()).isEmpty();
    }

    @Test
    void startTlsWithTheTestCaAsTrust() {
        serve(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "PIPELINING", "STARTTLS")
                .onStartTls(CERTS.valid().tls())
                .ehloAfterTls("mx.test", "PIPELINING", "AUTH PLAIN LOGIN"));

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.phase()).isEqualTo(Phase.QUIT);
        assertThat(result.detail()).contains("STARTTLS");
        assertThat(result.capabilities().authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(result.capabilities().startTls()).as("capabilities are those after TLS").isFalse();
        assertThat(result.timings()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.EHLO, Phase.STARTTLS);
        assertThat(sent(result)).containsExactly("EHLO " + EHLO_NAME, "STARTTLS", "EHLO " + EHLO_NAME, "QUIT");

        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME, "STARTTLS", "EHLO " + EHLO_NAME, "QUIT");
        assertThat(connection.plaintextDiscardedAtTls()).isZero();
        assertThat(result.tls()).isNotNull();
        assertThat(result.tls().protocol()).isEqualTo(connection.tlsProtocol().orElseThrow());
        assertThat(result.tls().cipherSuite()).isEqualTo(connection.tlsCipherSuite().orElseThrow());
        CertificateInfo leaf = result.tls().leaf();
        assertThat(leaf.subject()).contains("CN=localhost");
        assertThat(leaf.issuer()).contains("CN=smtp-probe test CA");
        assertThat(leaf.subjectAlternativeNames()).contains("localhost", "127.0.0.1");
        assertThat(leaf.notAfter()).isEqualTo(CERTS.valid().certificate().getNotAfter().toInstant());
        assertThat(leaf.daysToExpiry()).isBetween((long) TestCertificates.VALID_DAYS - 1, (long) TestCertificates.VALID_DAYS);
        assertThat(result.tls().peerCertificates()).hasSize(2);
    }

    /**
     * Probes of one trust configuration share one TLS context (core hands the transport one trust manager per
     * configuration), yet no session is ever resumed: every handshake is shown the server's chain and checks it,
     * so a certificate that changed or expired since the last probe is seen.
     */
    @Test
    void repeatedStartTlsProbesCheckTheCertificateEveryTime() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(CERTS.valid().tls()));
        CountingTrustManager counting = new CountingTrustManager((X509ExtendedTrustManager) CERTS.trustManager());
        SmtpProbe probe = probe(TlsMode.STARTTLS_REQUIRED).trustManager(counting).build();

        for (int i = 0; i < 3; i++) {
            ProbeResult result = probe.run();
            assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
            assertThat(result.tls().leaf().serialNumber())
                    .isEqualToIgnoringCase(CERTS.valid().certificate().getSerialNumber().toString(16));
        }

        assertThat(counting.checks.get()).as("a full handshake each time, no resumed session").isEqualTo(3);
        assertThat(server.connectionCount()).isEqualTo(3);
    }

    /** Counts the server chains it is asked to check; validation is the delegate's. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        final AtomicInteger checks = new AtomicInteger();
        private final X509ExtendedTrustManager delegate;

        CountingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checks.incrementAndGet();
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    @Test
    void startTlsTrustingTheCaFromAPemFileOrAKeyStore() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(CERTS.valid().tls()));

        ProbeResult fromPem = probe(TlsMode.STARTTLS_REQUIRED).trustedCertificates(CERTS.caPemFile()).run();
        ProbeResult fromKeyStore = probe(TlsMode.STARTTLS_REQUIRED).trustStore(CERTS.trustStore()).run();

        assertThat(fromPem.verdict()).as(fromPem.summary()).isEqualTo(Verdict.OK);
        assertThat(fromKeyStore.verdict()).as(fromKeyStore.summary()).isEqualTo(Verdict.OK);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void opportunisticStartTlsGoesOnInPlainTextWhenNotOffered() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(result.detail()).contains("no STARTTLS offered");
        assertThat(result.tls()).isNull();
        assertThat(onlyConnection().commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
    }

    @Test
    void implicitTls() {
        serve(Script.greeting("220 mx.test ESMTP ready").tlsOnConnect(CERTS.valid().tls())
                .ehlo("mx.test", "AUTH PLAIN", "SIZE 1000"));

        ProbeResult result = probe(TlsMode.IMPLICIT).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.phase()).isEqualTo(Phase.QUIT);
        assertThat(result.detail()).contains("implicit TLS");
        assertThat(result.greeting().text()).contains("mx.test ESMTP ready");
        assertThat(result.capabilities().authMechanisms()).containsExactly("PLAIN");
        assertThat(result.capabilities().maxSize()).contains(1000L);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
        assertThat(result.tls().protocol()).isEqualTo(connection.tlsProtocol().orElseThrow());
        assertThat(result.tls().leaf().subject()).contains("CN=localhost");
    }

    @Test
    void tlsFactsNameTheNegotiatedProtocolAndCipher() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(CERTS.tls12Only()));

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.tls().protocol()).isEqualTo("TLSv1.2");
        assertThat(result.tls().cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(result.detail()).contains("TLSv1.2");
    }

    @Test
    void aHostNameIsSentAsSniAndVerifiedAgainstTheCertificate() {
        server = new MockSmtpServer();
        if (Ports.ipv6LoopbackAvailable()) {
            server.alsoOnIpv6(); // "localhost" may resolve to ::1 first
        }
        server.start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(CERTS.valid().tls()));

        ProbeResult result = SmtpProbe.to("localhost").port(server.port()).tls(TlsMode.STARTTLS_REQUIRED)
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                .deadline(DEADLINE).ehloName(EHLO_NAME).trustManager(CERTS.trustManager()).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.sniHostNames()).containsExactly("localhost");
        assertThat(result.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void sourceAddressIsTheOneTheServerSees() throws Exception {
        serve(Script.greeting("220 mx.test ESMTP"));
        InetAddress source = InetAddress.getByName("127.0.0.2");

        ProbeResult result = probe(TlsMode.NONE).sourceAddress(source).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        RecordedConnection connection = onlyConnection();
        assertThat(connection.clientAddress().getAddress()).isEqualTo(source);
        assertThat(result.localAddress()).isEqualTo(connection.clientAddress());
    }

    @Test
    void ipv6Loopback() {
        assumeTrue(Ports.ipv6LoopbackAvailable(), "no IPv6 loopback here");
        server = new MockSmtpServer().alsoOnIpv6().start(Script.greeting("220 mx.test ESMTP"));

        ProbeResult result = SmtpProbe.to("::1").port(server.port()).tls(TlsMode.NONE)
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                .deadline(DEADLINE).ehloName(EHLO_NAME).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.remoteAddress()).isEqualTo(server.ipv6Address());
        RecordedConnection connection = onlyConnection();
        assertThat(connection.clientAddress().getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(result.localAddress()).isEqualTo(connection.clientAddress());
    }

    @Test
    void runAsyncCompletesWithTheSameResult() throws Exception {
        serve(Script.greeting("220 mx.test ESMTP"));

        ProbeResult result = probe(TlsMode.NONE).runAsync().get(5, TimeUnit.SECONDS);

        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(onlyConnection().commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
    }

    @Test
    void listenerHearsEveryPhaseInOrder() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(CERTS.valid().tls()));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ProbeListener listener = new ProbeListener() {
            @Override
            public void probeStart(ProbeRun probe) {
                events.add("probeStart " + probe.target());
            }

            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                events.add("start " + phase);
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                events.add("end " + phase);
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                events.add("failed " + phase + " " + verdict);
            }

            @Override
            public void probeEnd(ProbeRun probe, ProbeResult result) {
                events.add("probeEnd " + result.verdict());
            }
        };

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).listener(listener).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(events).containsExactly("probeStart 127.0.0.1",
                "start CONNECT", "end CONNECT", "start GREETING", "end GREETING", "start EHLO", "end EHLO",
                "start STARTTLS", "end STARTTLS", "start QUIT", "end QUIT", "probeEnd OK");
    }

    @Test
    void oldServerWithoutEsmtpIsGreetedWithHelo() {
        serve(Script.greeting("220 old.test SMTP").on("EHLO", "502 5.5.2 Error: command not recognized")
                .helo("old.test"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(onlyConnection().commands()).containsExactly("EHLO " + EHLO_NAME, "HELO " + EHLO_NAME, "QUIT");
        assertDecidedBeforeTimers(result);
    }
}
