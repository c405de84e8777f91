package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TestAccess;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TlsPolicy;
import dev.smtpprobe.TlsPolicyReport.StrictSender;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS policy engine end to end, on real sockets only: {@code mx(domain)} resolved by the testkit's DNS server
 * (MX, A, TXT, TLSA and the AD flag), the MX a loopback {@link MockSmtpServer} with real STARTTLS and certificates
 * from the test CA, and the MTA-STS policy from a loopback HTTPS server whose host name the same DNS server
 * resolves to 127.0.0.1. Each RFC 8460 result type named in a verdict comes from such an exchange.
 */
class TlsPolicyTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String DOMAIN = "example.test";
    private static final String MX = "mx1.example.test";
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\n"
            + "max_age: 86400\r\n";

    private MockDnsServer dns;
    private HttpsServer https;

    @BeforeEach
    void zone() {
        dns = MockDnsServer.start();
        dns.mx(DOMAIN, 10, MX).a(MX, "127.0.0.1").a("mta-sts." + DOMAIN, "127.0.0.1");
    }

    @AfterEach
    void stop() {
        dns.close();
        if (https != null) {
            https.stop(0);
        }
    }

    // ---- no policy: opportunistic -------------------------------------------------------------------------------

    @Test
    void aMismatchedCertificateWithoutAnyPolicyIsOkWithAHintNamingWhatIsWrong() throws Exception {
        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.attempts().get(0).tls()).isNotNull();
        assertThat(hint(r, HintCode.TLS_CERTIFICATE_NOT_VERIFIED).message())
                .contains("hostname mismatch").contains("certificate-host-mismatch").contains("strict sender");
        assertThat(r.tlsPolicy().policy()).isEqualTo(TlsPolicy.DOMAIN);
        assertThat(r.tlsPolicy().reason()).contains("set with tlsPolicy(DOMAIN)").contains("opportunistic TLS");
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
        assertThat(r.tlsPolicy().failure()).isEmpty();
        assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.startsWith("MTA-STS: none"));
        assertThat(hint(r, HintCode.TLS_DOMAIN_POLICY).message()).contains("would also deliver");
    }

    @Test
    void theSameServerUnderVerifyIsACertificateFailureAsBefore() throws Exception {
        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b.tlsPolicy(TlsPolicy.VERIFY));

        assertThat(r.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(r.tlsPolicy().policy()).isEqualTo(TlsPolicy.VERIFY);
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.NOT_CHECKED);
    }

    @Test
    void opportunisticOnAHostMakesAnExpiredCertificateAFinding() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.expired()))) {
            ProbeResult r = SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.STARTTLS_REQUIRED)
                    .tlsPolicy(TlsPolicy.OPPORTUNISTIC).transport(new BlockingTransport())
                    .trustManager(CERTS.trustManager()).ehloName("client.test").connectTimeout(WAIT)
                    .greetingTimeout(WAIT).replyTimeout(WAIT).deadline(Duration.ofSeconds(10)).build().run();

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
            assertThat(hint(r, HintCode.TLS_CERTIFICATE_NOT_VERIFIED).message()).contains("certificate-expired");
            assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.NOT_CHECKED);
        }
    }

    @Test
    void aValidCertificateUnderOpportunisticTlsGivesNoCertificateHint() throws Exception {
        ProbeResult r = probe(startTls(CERTS.issuedFor(MX)), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.hints()).noneMatch(h -> h.code() == HintCode.TLS_CERTIFICATE_NOT_VERIFIED);
    }

    @Test
    void defaultsAreVerifyForAHostAndTheDomainPolicyForMxOnPort25() {
        ProbeConfig host = TestAccess.config(SmtpProbe.to("mx.example.net").build());
        ProbeConfig mx = TestAccess.config(SmtpProbe.mx("example.net").build());
        ProbeConfig set = TestAccess.config(SmtpProbe.mx("example.net").tlsPolicy(TlsPolicy.VERIFY).build());

        assertThat(TlsPolicyRun.applied(host, 25)).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicyRun.applied(host, 587)).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicyRun.applied(mx, 25)).isEqualTo(TlsPolicy.DOMAIN);
        assertThat(TlsPolicyRun.applied(mx, 587)).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicyRun.applied(set, 25)).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicyRun.reason(mx, 25)).contains("mx(domain) on port 25");
    }

    @Test
    void invalidArgumentsAreRefusedNamingTheArgument() {
        SmtpProbe.Builder b = SmtpProbe.mx("example.net");
        assertThatThrownBy(() -> b.tlsPolicy(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlsPolicy");
        assertThatThrownBy(() -> b.dnssec(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnssec");
        assertThatThrownBy(() -> b.mtaStsTrustManager(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mtaStsTrustManager");
    }

    // ---- MTA-STS ------------------------------------------------------------------------------------------------

    @Test
    void mtaStsEnforceWithAMismatchedCertificateIsAPolicyFailureNamingTheResultType() throws Exception {
        publishSts(ENFORCE);
        dns.txt("_smtp._tls." + DOMAIN, "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");

        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("certificate-host-mismatch: ").contains(MX);
        assertThat(r.tlsPolicy().failureType()).isEqualTo("certificate-host-mismatch");
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.REFUSES);
        assertThat(r.tlsPolicy().reason()).contains("MTA-STS enforce");
        assertThat(r.tlsPolicy().reportTo()).containsExactly("mailto:tlsrpt@example.test");
        assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("policy mode enforce"));
        assertThat(hint(r, HintCode.TLS_DOMAIN_POLICY).message()).contains("would not deliver")
                .contains("mailto:tlsrpt@example.test");
    }

    @Test
    void mtaStsEnforceWithAValidCertificateIsOkAndAStrictSenderDelivers() throws Exception {
        publishSts(ENFORCE);

        ProbeResult r = probe(startTls(CERTS.issuedFor(MX)), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
        assertThat(hint(r, HintCode.TLS_DOMAIN_POLICY).message()).contains("would also deliver")
                .contains("matches the MTA-STS mx patterns");
    }

    @Test
    void mtaStsTestingReportsTheFailureButAStrictSenderDelivers() throws Exception {
        publishSts(ENFORCE.replace("enforce", "testing"));

        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().failureType()).isEqualTo("certificate-host-mismatch");
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
        assertThat(hint(r, HintCode.TLS_DOMAIN_POLICY).message()).contains("policy mode testing");
    }

    @Test
    void anMxThatNoPatternAllowsIsAValidationFailure() throws Exception {
        publishSts(ENFORCE.replace("mx: mx1.example.test", "mx: *.mail.example.test"));

        ProbeResult r = probe(startTls(CERTS.issuedFor(MX)), b -> b);

        assertThat(r.verdict()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("validation-failure: ").contains("matches none of the MTA-STS mx patterns");
    }

    @Test
    void mtaStsEnforceWithAnExpiredCertificateIsCertificateExpired() throws Exception {
        publishSts(ENFORCE);

        ProbeResult r = probe(startTls(CERTS.expired()), b -> b);

        assertThat(r.verdict()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("certificate-expired: ");
    }

    @Test
    void mtaStsEnforceWithAnUntrustedCertificateIsCertificateNotTrusted() throws Exception {
        publishSts(ENFORCE);

        ProbeResult r = probe(startTls(CERTS.selfSigned()), b -> b);

        assertThat(r.verdict()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("certificate-not-trusted: ");
    }

    @Test
    void mtaStsEnforceWithoutStartTlsIsStartTlsNotSupported() throws Exception {
        publishSts(ENFORCE);

        ProbeResult r = probe(Script.greeting("220 " + MX + " ESMTP").ehlo(MX), b -> b);

        assertThat(r.verdict()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("starttls-not-supported: ");
    }

    @Test
    void aPolicyThatCannotBeFetchedIsEvidenceAndTheDeliveryOpportunistic() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1;");
        serve(CERTS.issuedFor("mta-sts." + DOMAIN), exchange -> respond(exchange, 404, "nothing"));

        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("sts-policy-fetch-error") && l.contains("404"));
    }

    @Test
    void aPolicyHostWithAnotherNamesCertificateIsStsWebpkiInvalid() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1;");
        serve(CERTS.wrongHost(), exchange -> respond(exchange, 200, ENFORCE));

        ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("sts-webpki-invalid"));
    }

    @Test
    void aPolicyHostThatNeverAnswersCostsAtMostItsBoundAndLeavesTheDeliveryOpportunistic() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1;");
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        serve(CERTS.issuedFor("mta-sts." + DOMAIN), exchange -> {
            try {
                never.await(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            long t0 = System.nanoTime();
            ProbeResult r = probe(startTls(CERTS.wrongHost()), b -> b.replyTimeout(Duration.ofSeconds(1)));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
            assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("sts-policy-fetch-error")
                    || l.contains("did not finish"));
            assertThat(took).isLessThan(Duration.ofSeconds(6));
        } finally {
            never.countDown();
        }
    }

    // ---- DANE ---------------------------------------------------------------------------------------------------

    @Test
    void anAuthenticatedMatchingTlsaRecordAuthenticatesEvenACertificateForAnotherName() throws Exception {
        ServerCertificate cert = CERTS.wrongHost();
        ProbeResult r = probeWithTlsa(cert, spkiSha256(cert), true);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().dnssec()).isEqualTo(DnssecMode.TRUST_AD);
        assertThat(r.tlsPolicy().reason()).contains("DANE");
        assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
        assertThat(hint(r, HintCode.TLS_DOMAIN_POLICY).message()).contains("DANE authenticates");
        assertThat(r.hints()).as("DANE authenticates the server: no certificate finding")
                .noneMatch(h -> h.code() == HintCode.TLS_CERTIFICATE_NOT_VERIFIED);
    }

    @Test
    void anAuthenticatedTlsaRecordThatDoesNotMatchIsTlsaInvalid() throws Exception {
        ServerCertificate cert = CERTS.issuedFor(MX);
        ProbeResult r = probeWithTlsa(cert, new byte[32], true);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.TLS_POLICY_FAILED);
        assertThat(r.detail()).startsWith("tlsa-invalid: ");
        assertThat(r.tlsPolicy().failureType()).isEqualTo("tlsa-invalid");
    }

    @Test
    void anUnauthenticatedTlsaRecordIsNotApplied() throws Exception {
        ServerCertificate cert = CERTS.issuedFor(MX);
        ProbeResult r = probeWithTlsa(cert, new byte[32], false);

        assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
        assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("DANE does not apply"));
    }

    @Test
    void authenticatedTlsaRecordsOfWhichNoneIsUsableLeaveTlsMandatoryButUnauthenticated() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.wrongHost()))) {
            String owner = "_" + server.port() + "._tcp." + MX;
            dns.tlsa(owner, 1, 1, 1, new byte[32]).authenticated(owner); // PKIX-EE: not for SMTP (RFC 7672 §3.1.3)
            ProbeResult r = run(server, b -> b.dnssec(DnssecMode.TRUST_AD));

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
            assertThat(r.tlsPolicy().reason()).contains("none usable");
            assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
        }
    }

    @Test
    void aBogusTlsaAnswerIsDnssecInvalid() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.issuedFor(MX)))) {
            dns.behave("_" + server.port() + "._tcp." + MX, MockDnsServer.Behaviour.SERVFAIL);
            ProbeResult r = run(server, b -> b.dnssec(DnssecMode.TRUST_AD));

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.TLS_POLICY_FAILED);
            assertThat(r.detail()).startsWith("dnssec-invalid: ");
        }
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    private ProbeResult probeWithTlsa(ServerCertificate cert, byte[] data, boolean authenticated) throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(cert))) {
            String owner = "_" + server.port() + "._tcp." + MX;
            dns.tlsa(owner, 3, 1, 1, data);
            if (authenticated) {
                dns.authenticated(owner);
            }
            return run(server, b -> b.dnssec(DnssecMode.TRUST_AD));
        }
    }

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 " + MX + " ESMTP").ehlo(MX, "STARTTLS").ehloAfterTls(MX)
                .onStartTls(certificate.tls());
    }

    private ProbeResult probe(Script script, UnaryOperator<SmtpProbe.Builder> options) throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            return run(server, options);
        }
    }

    private ProbeResult run(MockSmtpServer server, UnaryOperator<SmtpProbe.Builder> options) {
        SmtpProbe.Builder b = SmtpProbe.mx(DOMAIN).resolver("127.0.0.1", dns.port()).port(server.port())
                .tls(TlsMode.STARTTLS).tlsPolicy(TlsPolicy.DOMAIN).transport(new BlockingTransport())
                .trustManager(CERTS.trustManager()).mtaStsTrustManager(CERTS.trustManager()).ehloName("client.test")
                .connectTimeout(WAIT).greetingTimeout(WAIT).replyTimeout(WAIT).deadline(Duration.ofSeconds(10))
                .confirmTlsMode(false);
        if (https != null) {
            TestAccess.mtaStsPort(b, https.getAddress().getPort());
        } else {
            TestAccess.mtaStsPort(b, 9); // discard: nothing listens there
        }
        return options.apply(b).build().run();
    }

    private static Hint hint(ProbeResult r, HintCode code) {
        return r.hints().stream().filter(h -> h.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " hint in " + r.hints()));
    }

    private void publishSts(String policy) throws IOException {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=20261203;");
        serve(CERTS.issuedFor("mta-sts." + DOMAIN), exchange -> respond(exchange, 200, policy));
    }

    private void serve(ServerCertificate certificate, HttpHandler handler) throws IOException {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
        https.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-policy-test-https");
            t.setDaemon(true);
            return t;
        }));
        https.createContext("/", handler);
        https.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] spkiSha256(ServerCertificate cert) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(cert.certificate().getPublicKey().getEncoded());
    }
}
