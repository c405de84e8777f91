package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TestAccess;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TlsPolicy;
import dev.smtpprobe.TlsPolicyReport.StrictSender;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.tls.DnssecAnchors;
import dev.smtpprobe.testkit.dns.SignedTestZone;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DANE with DNSSEC validated locally ({@link DnssecMode#VALIDATE}), end to end on real sockets: {@code mx(domain)}
 * resolved by the testkit's DNS server, which serves a zone signed at test time (DNSKEY, RRSIG over the TLSA
 * records); the trust anchor is the DS of that zone's key; the MX a loopback {@link MockSmtpServer} with STARTTLS.
 */
class DnssecValidateTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String DOMAIN = "example.test";
    private static final String MX = "mx1.example.test";

    private MockDnsServer dns;
    private SignedTestZone zone;

    @BeforeEach
    void zone() {
        dns = MockDnsServer.start();
        dns.mx(DOMAIN, 10, MX).a(MX, "127.0.0.1");
        zone = new SignedTestZone(DOMAIN).publishKey(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void aSignedMatchingTlsaRecordAuthenticatesEvenACertificateForAnotherName() throws Exception {
        ServerCertificate cert = CERTS.wrongHost();
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(cert))) {
            zone.signedTlsa(dns, owner(server), 3, 1, 1, spkiSha256(cert));
            ProbeResult r = run(server, zone.trustAnchor());

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
            assertThat(r.tlsPolicy().dnssec()).isEqualTo(DnssecMode.VALIDATE);
            assertThat(r.tlsPolicy().reason()).contains("DANE");
            assertThat(r.tlsPolicy().strictSender()).isEqualTo(StrictSender.DELIVERS);
            assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("DNSSEC-authenticated by local validation"));
            assertThat(r.hints()).noneMatch(h -> h.code() == HintCode.TLS_CERTIFICATE_NOT_VERIFIED);
        }
    }

    @Test
    void aSignedTlsaRecordThatDoesNotMatchIsTlsaInvalid() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(CERTS.issuedFor(MX)))) {
            zone.signedTlsa(dns, owner(server), 3, 1, 1, new byte[32]);
            ProbeResult r = run(server, zone.trustAnchor());

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.TLS_POLICY_FAILED);
            assertThat(r.detail()).startsWith("tlsa-invalid: ");
            assertThat(r.tlsPolicy().failureType()).isEqualTo("tlsa-invalid");
        }
    }

    @Test
    void aTlsaRecordInAnUnsignedZoneIsNotUsableSoTlsStaysOpportunistic() throws Exception {
        ServerCertificate cert = CERTS.wrongHost();
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(cert))) {
            dns.tlsa(owner(server), 3, 1, 1, new byte[32]); // unsigned, and no anchor covers example.test
            String otherZonesAnchor = new SignedTestZone("signed.test").trustAnchor();
            ProbeResult r = run(server, otherZonesAnchor);

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.OK);
            assertThat(r.tlsPolicy().dnssec()).isEqualTo(DnssecMode.VALIDATE);
            assertThat(r.tlsPolicy().evidence()).anyMatch(l -> l.contains("insecure") && l.contains("DANE does not apply"));
            assertThat(r.hints()).anyMatch(h -> h.code() == HintCode.TLS_CERTIFICATE_NOT_VERIFIED);
        }
    }

    @Test
    void aForgedSignatureIsDnssecInvalid() throws Exception {
        ServerCertificate cert = CERTS.issuedFor(MX);
        try (MockSmtpServer server = new MockSmtpServer().start(startTls(cert))) {
            zone.forgedTlsa(dns, owner(server), 3, 1, 1, spkiSha256(cert));
            ProbeResult r = run(server, zone.trustAnchor());

            assertThat(r.verdict()).as(r.detail()).isEqualTo(Verdict.TLS_POLICY_FAILED);
            assertThat(r.detail()).startsWith("dnssec-invalid: ");
            assertThat(r.tlsPolicy().failureType()).isEqualTo("dnssec-invalid");
        }
    }

    @Test
    void trustAnchorsThatAreNotDsOrDnskeyRecordsAreRefusedNamingTheArgument() {
        SmtpProbe.Builder b = SmtpProbe.mx(DOMAIN);
        assertThatThrownBy(() -> b.dnssecTrustAnchors("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnssecTrustAnchors");
        assertThatThrownBy(() -> b.dnssecTrustAnchors(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnssecTrustAnchors");
        assertThatThrownBy(() -> b.dnssecTrustAnchors("example.test. IN TXT \"anchor\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dnssecTrustAnchors");
    }

    @Test
    void theRootsTrustAnchorsAreTheDefaultAndOthersReplaceThem() {
        ProbeConfig defaults = TestAccess.config(SmtpProbe.mx(DOMAIN).dnssec(DnssecMode.VALIDATE).build());
        ProbeConfig own = TestAccess.config(SmtpProbe.mx(DOMAIN).dnssec(DnssecMode.VALIDATE)
                .dnssecTrustAnchors(zone.trustAnchor()).build());

        assertThat(defaults.tlsPolicy().anchors()).isSameAs(DnssecAnchors.ROOT);
        assertThat(DnssecAnchors.ROOT.toString()).isEqualTo(". DS 20326, . DS 38696");
        assertThat(own.tlsPolicy().anchors().toString()).matches("example\\.test\\. DS \\d+");
    }

    private static String owner(MockSmtpServer server) {
        return "_" + server.port() + "._tcp." + MX;
    }

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 " + MX + " ESMTP").ehlo(MX, "STARTTLS").ehloAfterTls(MX)
                .onStartTls(certificate.tls());
    }

    private ProbeResult run(MockSmtpServer server, String anchors) {
        SmtpProbe.Builder b = SmtpProbe.mx(DOMAIN).resolver("127.0.0.1", dns.port()).port(server.port())
                .tls(TlsMode.STARTTLS).tlsPolicy(TlsPolicy.DOMAIN).transport(new BlockingTransport())
                .trustManager(CERTS.trustManager()).mtaStsTrustManager(CERTS.trustManager()).ehloName("client.test")
                .connectTimeout(WAIT).greetingTimeout(WAIT).replyTimeout(WAIT).deadline(Duration.ofSeconds(10))
                .confirmTlsMode(false).dnssec(DnssecMode.VALIDATE).dnssecTrustAnchors(anchors);
        TestAccess.mtaStsPort(b, 9); // discard: nothing listens there
        return b.build().run();
    }

    private static byte[] spkiSha256(ServerCertificate cert) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(cert.certificate().getPublicKey().getEncoded());
    }
}
