package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.internal.tls.TlsaAnswer.DnssecTrust;
import dev.smtpprobe.internal.tls.TlsaAnswer.Status;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.SignedTestZone;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLSA answers validated locally ({@link DnssecTrust#LOCAL_VALIDATION}) from a test trust anchor: a zone signed at
 * test time with dnsjava, served by the testkit's DNS server on loopback.
 */
class LocalValidationTest {

    private static final String ZONE = "example.test";
    private static final String MX = "mx1.example.test";
    private static final String OWNER = "_25._tcp." + MX;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final byte[] DATA = new byte[32];

    private MockDnsServer dns;
    private SignedTestZone zone;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        zone = new SignedTestZone(ZONE).publishKey(dns);
        DATA[0] = 7;
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private TlsaAnswer lookup(String anchors, String host) {
        return TlsaLookup.validating(dns.address(), DnssecAnchors.parse(anchors), TIMEOUT).lookup(host, 25)
                .toCompletableFuture().join();
    }

    @Test
    void aSignedTlsaRecordChainedToTheAnchorIsAuthenticated() {
        zone.signedTlsa(dns, OWNER, 3, 1, 1, DATA);

        TlsaAnswer answer = lookup(zone.trustAnchor(), MX);

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.AUTHENTICATED);
        assertThat(answer.trust()).isEqualTo(DnssecTrust.LOCAL_VALIDATION);
        assertThat(answer.records()).containsExactly(Tlsa.of(3, 1, 1, DATA));
        assertThat(answer.detail()).contains("DNSSEC-authenticated by local validation");
        assertThat(dns.queries(ZONE)).as("the validator fetched the zone's key").extracting(MockDnsServer.Query::type)
                .contains("DNSKEY");
    }

    @Test
    void aSignatureOverOtherDataIsBogus() {
        zone.forgedTlsa(dns, OWNER, 3, 1, 1, DATA);

        TlsaAnswer answer = lookup(zone.trustAnchor(), MX);

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.BOGUS);
        assertThat(answer.rfc8460ResultType()).contains("dnssec-invalid");
        assertThat(answer.records()).isEmpty();
        assertThat(answer.detail()).startsWith("DNSSEC validation from the trust anchors (example.test. DS ")
                .contains("failed ANSWER rrset").contains("(extended DNS error 6)");
    }

    @Test
    void aKeyThatTheAnchorDoesNotVouchForIsBogus() {
        zone.signedTlsa(dns, OWNER, 3, 1, 1, DATA);
        String otherAnchor = new SignedTestZone(ZONE).trustAnchor();

        TlsaAnswer answer = lookup(otherAnchor, MX);

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.BOGUS);
        assertThat(answer.detail()).contains("chain of trust").contains("(extended DNS error 9)");
        assertThat(answer.rfc8460ResultType()).contains("dnssec-invalid");
    }

    @Test
    void anUnsignedZoneOutsideTheAnchorsIsInsecureSoNoUsableTlsa() {
        dns.tlsa("_25._tcp.mx.unsigned.test", 3, 1, 1, DATA);

        TlsaAnswer answer = lookup(zone.trustAnchor(), "mx.unsigned.test");

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.NOT_AUTHENTICATED);
        assertThat(answer.daneApplies()).isFalse();
        assertThat(answer.records()).as("kept as evidence").hasSize(1);
        assertThat(answer.detail()).contains("insecure").contains("DANE does not apply");
    }

    @Test
    void anAdFlagFromTheResolverDoesNotAuthenticateWhatTheValidatorCannot() {
        dns.tlsa("_25._tcp.mx.unsigned.test", 3, 1, 1, DATA).authenticated("_25._tcp.mx.unsigned.test");

        TlsaAnswer answer = lookup(zone.trustAnchor(), "mx.unsigned.test");

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.NOT_AUTHENTICATED);
        assertThat(answer.daneApplies()).isFalse();
    }

    @Test
    void aServfailInsideASignedZoneCannotBeValidatedSoADaneSenderDoesNotDeliver() {
        // RFC 7672 §2.1.1: a failed TLSA lookup for a host in a signed zone must not downgrade to cleartext/PKIX;
        // the validator cannot tell a broken server from an attack, and says bogus (RFC 8914 code 6).
        dns.behave(OWNER, "TLSA", MockDnsServer.Behaviour.SERVFAIL);

        TlsaAnswer answer = lookup(zone.trustAnchor(), MX);

        assertThat(answer.status()).as(answer.detail()).isEqualTo(Status.BOGUS);
        assertThat(answer.rfc8460ResultType()).contains("dnssec-invalid");
        assertThat(answer.detail()).contains("(extended DNS error 6)");
    }

    @Test
    void aSilentResolverIsAFailureWithinTheBound() {
        dns.behave(OWNER, MockDnsServer.Behaviour.SILENT);
        long start = System.nanoTime();

        TlsaAnswer answer = TlsaLookup.validating(dns.address(), DnssecAnchors.parse(zone.trustAnchor()),
                Duration.ofMillis(300)).lookup(MX, 25).toCompletableFuture().join();

        assertThat(answer.status()).as(answer.detail()).isIn(Status.FAILED, Status.BOGUS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void trustAnchorsParseOrFailNamingTheArgument() {
        assertThat(DnssecAnchors.ROOT.toString()).isEqualTo(". DS 20326, . DS 38696");
        assertThat(DnssecAnchors.parse(zone.trustAnchor()).toString()).startsWith("example.test. DS ");
        assertThatThrownBy(() -> DnssecAnchors.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnssecTrustAnchors");
        assertThatThrownBy(() -> DnssecAnchors.parse("example.test. IN A 192.0.2.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dnssecTrustAnchors");
        assertThatThrownBy(() -> DnssecAnchors.parse("example.test. IN DS not a record"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dnssecTrustAnchors");
        assertThatThrownBy(() -> TlsaLookup.validating(dns.address(), null, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anchors");
    }
}
