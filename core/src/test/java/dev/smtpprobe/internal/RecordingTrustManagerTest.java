package dev.smtpprobe.internal;

import static dev.smtpprobe.internal.TlsHandshake.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.X509Bundle;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordingTrustManagerTest {

    static X509Bundle ca;
    static X509Bundle valid;
    static X509Bundle wrongName;
    static X509Bundle wildcard;
    static X509Bundle byIp;
    static X509Bundle expired;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TlsHandshake.ca("Test CA");
        valid = TlsHandshake.validServer("mx.example.net", "mx.example.net").buildIssuedBy(ca);
        wrongName = TlsHandshake.validServer("a.example", "a.example", "b.example").buildIssuedBy(ca);
        wildcard = TlsHandshake.validServer("example.net", "*.example.net").buildIssuedBy(ca);
        byIp = TlsHandshake.validServer("loopback", "127.0.0.1", "::1").buildIssuedBy(ca);
        expired = TlsHandshake.server("mx.example.net", NOW.minus(100, ChronoUnit.DAYS), NOW.minus(12, ChronoUnit.DAYS),
                "mx.example.net").buildIssuedBy(ca);
    }

    /** The JDK's own trust manager, and the same validation behind the plain interface. */
    static Stream<Arguments> delegates() {
        Function<X509TrustManager, X509TrustManager> asIs = tm -> tm;
        Function<X509TrustManager, X509TrustManager> plain = TlsHandshake::plain;
        return Stream.of(Arguments.of("extended (JDK)", asIs), Arguments.of("plain", plain));
    }

    private static RecordingTrustManager recording(Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        return new RecordingTrustManager(kind.apply(TlsHandshake.trusting(ca.getCertificate())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void accepts_a_valid_certificate_and_records_its_chain(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        RecordingTrustManager tm = recording(kind);

        TlsHandshake.Outcome outcome = TlsHandshake.run(valid, tm, "mx.example.net", true);

        assertThat(outcome.succeeded()).as("%s", outcome.clientFailure()).isTrue();
        assertThat(tm.chain()).isNotNull();
        assertThat(tm.chain()[0]).isEqualTo(valid.getCertificate());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void records_the_chain_even_when_validation_fails(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        RecordingTrustManager tm = recording(kind);

        TlsHandshake.Outcome outcome = TlsHandshake.run(expired, tm, "mx.example.net", true);

        assertThat(outcome.clientFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(tm.chain()[0]).isEqualTo(expired.getCertificate());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void checks_the_host_name_when_endpoint_identification_is_asked(String name,
            Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        RecordingTrustManager tm = recording(kind);

        TlsHandshake.Outcome outcome = TlsHandshake.run(wrongName, tm, "mx.example.net", true);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.clientFailure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(CertificateProblems.classify(outcome.clientFailure(), tm.chain(), "mx.example.net", NOW))
                .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(CertificateProblems.Kind.HOSTNAME_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void skips_the_host_name_when_endpoint_identification_is_off(String name,
            Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        TlsHandshake.Outcome outcome = TlsHandshake.run(wrongName, recording(kind), "mx.example.net", false);

        assertThat(outcome.succeeded()).as("%s", outcome.clientFailure()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void accepts_a_wildcard_for_one_label(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        assertThat(TlsHandshake.run(wildcard, recording(kind), "mx.example.net", true).succeeded()).isTrue();
        assertThat(TlsHandshake.run(wildcard, recording(kind), "a.mx.example.net", true).succeeded()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void checks_an_ip_literal_against_the_ip_entries(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        assertThat(TlsHandshake.run(byIp, recording(kind), "127.0.0.1", true).succeeded()).isTrue();
        assertThat(TlsHandshake.run(byIp, recording(kind), "::1", true).succeeded()).isTrue();
        assertThat(TlsHandshake.run(byIp, recording(kind), "127.0.0.2", true).succeeded()).isFalse();
        assertThat(TlsHandshake.run(valid, recording(kind), "127.0.0.1", true).succeeded()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void refuses_an_untrusted_chain(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle otherCa = TlsHandshake.ca("Other CA");
        RecordingTrustManager tm = new RecordingTrustManager(kind.apply(TlsHandshake.trusting(otherCa.getCertificate())));

        TlsHandshake.Outcome outcome = TlsHandshake.run(valid, tm, "mx.example.net", true);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(tm.chain()[0]).isEqualTo(valid.getCertificate());
    }

    @Test
    void the_plain_delegate_gets_the_chain_and_the_host_check_is_ours() throws Exception {
        // With a plain trust manager that accepts anything, only our host name check can refuse the handshake.
        X509TrustManager acceptsAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        RecordingTrustManager tm = new RecordingTrustManager(acceptsAll);

        TlsHandshake.Outcome outcome = TlsHandshake.run(wrongName, tm, "mx.example.net", true);

        assertThat(outcome.clientFailure()).hasRootCauseInstanceOf(HostnameMatcher.MismatchException.class)
                .hasStackTraceContaining("certificate is for [a.example, b.example], not mx.example.net");
        assertThat(TlsHandshake.run(valid, new RecordingTrustManager(acceptsAll), "mx.example.net", true).succeeded())
                .isTrue();
    }

    /**
     * The socket variant, over a real TLS socket on loopback: a plain delegate still gets our host name check,
     * with the host taken from the socket's handshake session.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void checks_the_host_over_a_real_socket(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        assertThat(socketHandshake(valid, recording(kind), "mx.example.net")).isNull();
        RecordingTrustManager tm = recording(kind);
        Exception failure = socketHandshake(wrongName, tm, "mx.example.net");
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(tm.chain()[0]).isEqualTo(wrongName.getCertificate());
        assertThat(RecordingTrustManager.chainShown(failure)[0]).isEqualTo(wrongName.getCertificate());
        assertThat(CertificateProblems.classify(failure, tm.chain(), "mx.example.net", NOW))
                .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(CertificateProblems.Kind.HOSTNAME_MISMATCH));
    }

    /** A TLS 1.3 handshake over loopback sockets; the client's failure, or null when it succeeded. */
    private static Exception socketHandshake(X509Bundle server, RecordingTrustManager clientTrust, String host)
            throws Exception {
        javax.net.ssl.SSLContext serverContext = javax.net.ssl.SSLContext.getInstance("TLS");
        serverContext.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
        javax.net.ssl.SSLContext clientContext = javax.net.ssl.SSLContext.getInstance("TLS");
        clientContext.init(null, new javax.net.ssl.TrustManager[] {clientTrust}, null);
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) serverContext
                .getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            listener.setSoTimeout(500);
            Thread accept = new Thread(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) listener.accept()) {
                    s.setSoTimeout(500);
                    s.startHandshake();
                } catch (java.io.IOException e) {
                    // the client refused the certificate: the server's side of that is not under test
                }
            }, "tls-test-server");
            accept.setDaemon(true);
            accept.start();
            try (java.net.Socket plainSocket = new java.net.Socket()) {
                plainSocket.connect(new java.net.InetSocketAddress(loopback, listener.getLocalPort()), 500);
                plainSocket.setSoTimeout(500);
                javax.net.ssl.SSLSocket client = (javax.net.ssl.SSLSocket) clientContext.getSocketFactory()
                        .createSocket(plainSocket, host, listener.getLocalPort(), true);
                javax.net.ssl.SSLParameters params = client.getSSLParameters();
                params.setProtocols(new String[] {"TLSv1.3"});
                params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
                params.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(params);
                try {
                    client.startHandshake();
                    return null;
                } catch (SSLHandshakeException e) {
                    return e;
                } finally {
                    client.close();
                    accept.join(1000);
                }
            }
        }
    }

    /**
     * One manager shared by many handshakes (as core shares one per trust configuration): each refused handshake's
     * failure carries the chain that handshake was shown, whatever the others were shown since.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void a_shared_manager_gives_each_refused_handshake_its_own_chain(String name,
            Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        RecordingTrustManager tm = recording(kind);

        Throwable expiredFailure = TlsHandshake.run(expired, tm, "mx.example.net", true).clientFailure();
        Throwable mismatchFailure = TlsHandshake.run(wrongName, tm, "mx.example.net", true).clientFailure();
        TlsHandshake.Outcome ok = TlsHandshake.run(valid, tm, "mx.example.net", true);

        assertThat(ok.succeeded()).as("%s", ok.clientFailure()).isTrue();
        assertThat(RecordingTrustManager.chainShown(expiredFailure)[0]).isEqualTo(expired.getCertificate());
        assertThat(RecordingTrustManager.chainShown(mismatchFailure)[0]).isEqualTo(wrongName.getCertificate());
        assertThat(CertificateProblems.classify(expiredFailure, RecordingTrustManager.chainShown(expiredFailure),
                "mx.example.net", NOW)).hasValueSatisfying(p -> assertThat(p.kind())
                .isEqualTo(CertificateProblems.Kind.EXPIRED));
        assertThat(CertificateProblems.classify(mismatchFailure, RecordingTrustManager.chainShown(mismatchFailure),
                "mx.example.net", NOW)).hasValueSatisfying(p -> assertThat(p.kind())
                .isEqualTo(CertificateProblems.Kind.HOSTNAME_MISMATCH));
    }

    @Test
    void the_chain_rides_as_a_suppressed_exception_and_leaves_the_refusal_as_it_was() throws Exception {
        RecordingTrustManager tm = recording(Function.identity());

        assertThatThrownBy(() -> tm.checkServerTrusted(expired.getCertificatePath(), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .satisfies(e -> {
                    assertThat(e.getClass().getName()).doesNotContain("RecordingTrustManager");
                    assertThat(e.getSuppressed()).hasSize(1);
                    Throwable wrapped = new SSLHandshakeException("wrapped").initCause(e);
                    X509Certificate[] shown = RecordingTrustManager.chainShown(wrapped);
                    assertThat(shown[0]).isEqualTo(expired.getCertificate());
                    shown[0] = null;
                    assertThat(RecordingTrustManager.chainShown(e)[0]).as("a copy").isEqualTo(expired.getCertificate());
                });
        assertThat(RecordingTrustManager.chainShown(new SSLHandshakeException("no certificate involved"))).isNull();
    }

    @Test
    void one_shared_manager_per_trust_configuration() throws Exception {
        X509TrustManager a = TlsHandshake.trusting(ca.getCertificate());
        X509TrustManager b = TlsHandshake.trusting(ca.getCertificate());

        assertThat(RecordingTrustManager.forDelegate(a)).isSameAs(RecordingTrustManager.forDelegate(a))
                .as("by identity: equal-looking managers may trust different roots")
                .isNotSameAs(RecordingTrustManager.forDelegate(b));
        assertThat(RecordingTrustManager.forJdkDefault()).isSameAs(RecordingTrustManager.forJdkDefault());
        assertThatIllegalArgumentException().isThrownBy(() -> RecordingTrustManager.forDelegate(null));
    }

    @Test
    void has_no_chain_before_a_handshake_and_hands_out_copies() throws Exception {
        RecordingTrustManager tm = recording(Function.identity());
        assertThat(tm.chain()).isNull();

        tm.checkServerTrusted(valid.getCertificatePath(), "ECDHE_ECDSA");
        X509Certificate[] first = tm.chain();
        first[0] = null;

        assertThat(tm.chain()[0]).isEqualTo(valid.getCertificate());
    }

    @Test
    void is_an_extended_trust_manager_so_the_jdk_does_not_wrap_it() throws Exception {
        assertThat(recording(TlsHandshake::plain)).isInstanceOf(X509ExtendedTrustManager.class);
    }

    @Test
    void refuses_client_certificates() throws Exception {
        RecordingTrustManager tm = recording(Function.identity());
        X509Certificate[] chain = valid.getCertificatePath();

        assertThatThrownBy(() -> tm.checkClientTrusted(chain, "RSA")).isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> tm.checkClientTrusted(chain, "RSA", (java.net.Socket) null))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> tm.checkClientTrusted(chain, "RSA", (javax.net.ssl.SSLEngine) null))
                .isInstanceOf(CertificateException.class);
        assertThat(tm.chain()).isNull();
    }

    @Test
    void offers_the_delegates_issuers() throws Exception {
        assertThat(recording(Function.identity()).getAcceptedIssuers()).containsExactly(ca.getCertificate());
    }

    @Test
    void rejects_a_missing_delegate() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RecordingTrustManager(null))
                .withMessageContaining("delegate");
    }
}
