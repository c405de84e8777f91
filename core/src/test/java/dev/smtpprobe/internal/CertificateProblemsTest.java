package dev.smtpprobe.internal;

import static dev.smtpprobe.internal.TlsHandshake.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.smtpprobe.internal.CertificateProblems.CertificateProblem;
import dev.smtpprobe.internal.CertificateProblems.Kind;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each problem is produced by a real handshake with a certificate made for it, then classified. */
class CertificateProblemsTest {

    static final String HOST = "mx.example.net";
    static X509Bundle ca;

    @BeforeAll
    static void authority() throws Exception {
        ca = TlsHandshake.ca("Test CA");
    }

    static Stream<Arguments> delegates() {
        Function<X509TrustManager, X509TrustManager> asIs = tm -> tm;
        Function<X509TrustManager, X509TrustManager> plain = TlsHandshake::plain;
        return Stream.of(Arguments.of("extended (JDK)", asIs), Arguments.of("plain", plain));
    }

    /** Handshakes with {@code server} against a client trusting only the test CA, then classifies the failure. */
    static Optional<CertificateProblem> handshake(X509Bundle server, String host,
                                                  Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        RecordingTrustManager tm = new RecordingTrustManager(kind.apply(TlsHandshake.trusting(ca.getCertificate())));
        TlsHandshake.Outcome outcome = TlsHandshake.run(server, tm, host, true);
        assertThat(outcome.succeeded()).as("the handshake must fail").isFalse();
        assertThat(tm.chain()).as("the chain was recorded").isNotNull();
        return CertificateProblems.classify(outcome.clientFailure(), tm.chain(), host, NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void expired(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle server = TlsHandshake.server(HOST, NOW.minus(100, ChronoUnit.DAYS), NOW.minus(12, ChronoUnit.DAYS),
                HOST).buildIssuedBy(ca);

        assertThat(handshake(server, HOST, kind)).contains(new CertificateProblem(Kind.EXPIRED,
                "certificate CN=mx.example.net expired " + NOW.minus(12, ChronoUnit.DAYS) + ", 12 days ago"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void expired_hours_ago(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle server = TlsHandshake.server(HOST, NOW.minus(100, ChronoUnit.DAYS), NOW.minus(Duration.ofHours(5)),
                HOST).buildIssuedBy(ca);

        assertThat(handshake(server, HOST, kind)).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Kind.EXPIRED);
            assertThat(p.detail()).endsWith(", 5 hours ago");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void not_yet_valid(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle server = TlsHandshake.server(HOST, NOW.plus(30, ChronoUnit.DAYS), NOW.plus(120, ChronoUnit.DAYS),
                HOST).buildIssuedBy(ca);

        assertThat(handshake(server, HOST, kind)).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Kind.NOT_YET_VALID);
            assertThat(p.detail()).startsWith("certificate CN=mx.example.net is not valid before "
                    + NOW.plus(30, ChronoUnit.DAYS) + ", in 30 days");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void untrusted_self_signed(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        // As "openssl req -x509" makes them: its own CA.
        X509Bundle server = TlsHandshake.validServer(HOST, HOST).setIsCertificateAuthority(true).buildSelfSigned();

        assertThat(handshake(server, HOST, kind)).contains(new CertificateProblem(Kind.UNTRUSTED,
                "issuer CN=mx.example.net is not trusted (self-signed: yes)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void untrusted_and_expired_says_both(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        X509Bundle server = TlsHandshake.server(HOST, NOW.minus(400, ChronoUnit.DAYS), NOW.minus(2, ChronoUnit.DAYS),
                HOST).setIsCertificateAuthority(true).buildSelfSigned();

        assertThat(handshake(server, HOST, kind)).contains(new CertificateProblem(Kind.UNTRUSTED,
                "issuer CN=mx.example.net is not trusted (self-signed: yes); it also expired "
                        + NOW.minus(2, ChronoUnit.DAYS) + ", 2 days ago"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void untrusted_unknown_ca(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle otherCa = TlsHandshake.ca("Other CA");
        X509Bundle server = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(otherCa);

        assertThat(handshake(server, HOST, kind)).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(Kind.UNTRUSTED);
            assertThat(p.detail()).startsWith("issuer CN=Other CA is not trusted (self-signed: no)");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void hostname_mismatch(String name, Function<X509TrustManager, X509TrustManager> kind) throws Exception {
        X509Bundle server = TlsHandshake.validServer("a.example", "a.example", "b.example").buildIssuedBy(ca);

        assertThat(handshake(server, HOST, kind)).contains(new CertificateProblem(Kind.HOSTNAME_MISMATCH,
                "certificate is for [a.example, b.example], not mx.example.net"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void hostname_mismatch_for_an_ip_literal(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        X509Bundle server = TlsHandshake.validServer("x", HOST, "192.0.2.25").buildIssuedBy(ca);

        assertThat(handshake(server, "127.0.0.1", kind)).contains(new CertificateProblem(Kind.HOSTNAME_MISMATCH,
                "certificate is for [mx.example.net, 192.0.2.25], not 127.0.0.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("delegates")
    void a_valid_certificate_has_no_problem(String name, Function<X509TrustManager, X509TrustManager> kind)
            throws Exception {
        X509Bundle server = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(ca);
        RecordingTrustManager tm = new RecordingTrustManager(kind.apply(TlsHandshake.trusting(ca.getCertificate())));

        TlsHandshake.Outcome outcome = TlsHandshake.run(server, tm, HOST, true);

        assertThat(outcome.succeeded()).as("%s", outcome.clientFailure()).isTrue();
    }

    @Test
    void a_failure_that_is_not_about_the_certificate_is_no_problem() throws Exception {
        // A real protocol mismatch: the server speaks only TLS 1.3, the client only TLS 1.2.
        X509Bundle server = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(ca);
        RecordingTrustManager tm = new RecordingTrustManager(TlsHandshake.trusting(ca.getCertificate()));
        TlsHandshake.Outcome outcome = mismatchedProtocols(server, tm);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(CertificateProblems.classify(outcome.clientFailure(), tm.chain(), HOST, NOW)).isEmpty();
        assertThat(CertificateProblems.classify(new SSLHandshakeException("Received fatal alert: handshake_failure"),
                server.getCertificatePath(), HOST, NOW)).isEmpty();
        assertThat(CertificateProblems.classify(new SocketException("Connection reset"), null, HOST, NOW)).isEmpty();
    }

    private static TlsHandshake.Outcome mismatchedProtocols(X509Bundle server, RecordingTrustManager tm)
            throws Exception {
        javax.net.ssl.SSLContext serverContext = javax.net.ssl.SSLContext.getInstance("TLS");
        serverContext.init(server.toKeyManagerFactory().getKeyManagers(), null, null);
        javax.net.ssl.SSLEngine s = serverContext.createSSLEngine();
        s.setUseClientMode(false);
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        javax.net.ssl.SSLContext clientContext = javax.net.ssl.SSLContext.getInstance("TLS");
        clientContext.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        javax.net.ssl.SSLEngine c = clientContext.createSSLEngine(HOST, 25);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] {"TLSv1.2"});
        return TlsHandshake.pumpForTest(c, s);
    }

    @Test
    void the_tls_stack_clock_disagreeing_with_the_dates_is_said() throws Exception {
        X509Certificate valid = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(ca).getCertificate();

        Optional<CertificateProblem> p = CertificateProblems.classify(
                handshakeFailure(new CertificateExpiredException("NotAfter: ...")),
                new X509Certificate[] {valid}, HOST, NOW);

        assertThat(p).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.EXPIRED);
            assertThat(problem.detail()).contains("is valid until").contains("clock");
        });
    }

    @Test
    void an_expired_intermediate_is_named() throws Exception {
        X509Bundle intermediate = new CertificateBuilder().subject("CN=Intermediate CA").ecp256()
                .setIsCertificateAuthority(true).notBefore(NOW.minus(400, ChronoUnit.DAYS))
                .notAfter(NOW.minus(3, ChronoUnit.DAYS)).buildIssuedBy(ca);
        X509Certificate leaf = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(intermediate).getCertificate();

        Optional<CertificateProblem> p = CertificateProblems.classify(
                new CertPathValidatorException("validity check failed", null, null, -1,
                        CertPathValidatorException.BasicReason.EXPIRED),
                new X509Certificate[] {leaf, intermediate.getCertificate()}, HOST, NOW);

        assertThat(p.map(CertificateProblem::detail)).hasValueSatisfying(d -> assertThat(d)
                .startsWith("certificate CN=Intermediate CA expired").endsWith("3 days ago"));
    }

    @Test
    void other_validation_reasons_are_untrusted_with_the_reason() throws Exception {
        X509Certificate leaf = TlsHandshake.validServer(HOST, HOST).buildIssuedBy(ca).getCertificate();

        Optional<CertificateProblem> p = CertificateProblems.classify(handshakeFailure(
                new CertPathValidatorException("Could not determine revocation status", null, null, -1,
                        CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)),
                new X509Certificate[] {leaf}, HOST, NOW);

        assertThat(p).hasValueSatisfying(problem -> {
            assertThat(problem.kind()).isEqualTo(Kind.UNTRUSTED);
            assertThat(problem.detail()).contains("undetermined revocation status");
        });
    }

    @Test
    void works_without_a_recorded_chain() {
        assertThat(CertificateProblems.classify(new CertificateExpiredException("NotAfter: x"), null, HOST, NOW))
                .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(Kind.EXPIRED));
        assertThat(CertificateProblems.classify(new IOException(new java.security.cert.CertificateException(
                "No subject alternative DNS name matching mx.example.net found.")), null, HOST, NOW))
                .contains(new CertificateProblem(Kind.HOSTNAME_MISMATCH, "certificate does not name mx.example.net:"
                        + " No subject alternative DNS name matching mx.example.net found."));
        assertThat(CertificateProblems.classify(new java.security.cert.CertificateException(
                "No name matching mx.example.net found"), new X509Certificate[0], HOST, NOW))
                .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(Kind.HOSTNAME_MISMATCH));
    }

    private static SSLHandshakeException handshakeFailure(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("handshake failed");
        e.initCause(cause);
        return e;
    }

    @Test
    void survives_a_cause_cycle() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);

        assertThat(CertificateProblems.classify(a, null, HOST, NOW)).isEmpty();
    }

    @Test
    void rejects_missing_arguments_naming_them() {
        assertThatIllegalArgumentException().isThrownBy(() -> CertificateProblems.classify(null, null, HOST, NOW))
                .withMessageContaining("tlsFailure");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CertificateProblems.classify(new Exception(), null, HOST, null))
                .withMessageContaining("now");
    }
}
