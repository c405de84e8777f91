package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.internal.tls.TlsaAnswer.DnssecTrust;
import dev.smtpprobe.internal.tls.TlsaAnswer.Status;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.MockDnsServer.Behaviour;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLSA lookups against the testkit's DNS server on loopback, with and without the AD flag. */
class TlsaLookupTest {

    private static final String MX = "mx.example.net";
    private static final String OWNER = "_25._tcp." + MX;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final TestCertificates CERTS = TestCertificates.shared();

    private MockDnsServer dns;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private TlsaAnswer lookup(boolean validating, String host, int port) {
        return TlsaLookup.of(dns.address(), validating, TIMEOUT).lookup(host, port).toCompletableFuture().join();
    }

    private static byte[] spkiSha256(X509Certificate cert) throws Exception {
        return DaneMatcherTest.data(Tlsa.SPKI, Tlsa.SHA2_256, cert);
    }

    @Test
    void authenticatedRecordsFromAValidatingResolver() throws Exception {
        byte[] data = spkiSha256(CERTS.valid().certificate());
        dns.tlsa(OWNER, 3, 1, 1, data).tlsa(OWNER, 0, 0, 1, data).authenticated(OWNER);

        TlsaAnswer answer = lookup(true, MX, 25);

        assertThat(answer.status()).isEqualTo(Status.AUTHENTICATED);
        assertThat(answer.daneApplies()).isTrue();
        assertThat(answer.records()).containsExactlyInAnyOrder(Tlsa.of(3, 1, 1, data), Tlsa.of(0, 0, 1, data));
        assertThat(answer.trust()).isEqualTo(DnssecTrust.RESOLVER_AD_BIT);
        assertThat(answer.queryName()).isEqualTo(OWNER);
        assertThat(answer.resolver()).isEqualTo(dns.address());
        assertThat(answer.rfc8460ResultType()).isEmpty();
        assertThat(answer.detail()).contains("2 TLSA records, DNSSEC-authenticated");
        assertThat(dns.queries(OWNER)).extracting(MockDnsServer.Query::type).containsOnly("TLSA");
    }

    @Test
    void recordsWithoutTheAdFlagAreNotAuthenticated() throws Exception {
        byte[] data = spkiSha256(CERTS.valid().certificate());
        dns.tlsa(OWNER, 3, 1, 1, data);

        TlsaAnswer answer = lookup(true, MX, 25);

        assertThat(answer.status()).isEqualTo(Status.NOT_AUTHENTICATED);
        assertThat(answer.daneApplies()).isFalse();
        assertThat(answer.records()).as("kept as evidence").containsExactly(Tlsa.of(3, 1, 1, data));
        assertThat(answer.detail()).contains("no AD flag").contains("DANE does not apply");
    }

    @Test
    void theAdFlagCountsOnlyWhenTheCallerDeclaresTheResolverValidating() throws Exception {
        dns.tlsa(OWNER, 3, 1, 1, spkiSha256(CERTS.valid().certificate())).authenticated(OWNER);

        TlsaAnswer answer = lookup(false, MX, 25);

        assertThat(answer.status()).isEqualTo(Status.NOT_AUTHENTICATED);
        assertThat(answer.trust()).isEqualTo(DnssecTrust.NONE);
        assertThat(answer.records()).hasSize(1);
        assertThat(answer.detail()).contains("not declared validating");
    }

    @Test
    void servfailFromAValidatingResolverIsBogus() {
        dns.tlsa(OWNER, 3, 1, 1, new byte[32]).authenticated(OWNER).behave(OWNER, "TLSA", Behaviour.SERVFAIL);

        TlsaAnswer validating = lookup(true, MX, 25);
        TlsaAnswer plain = lookup(false, MX, 25);

        assertThat(validating.status()).isEqualTo(Status.BOGUS);
        assertThat(validating.rfc8460ResultType()).contains("dnssec-invalid");
        assertThat(validating.records()).isEmpty();
        assertThat(validating.detail()).contains("SERVFAIL");
        assertThat(plain.status()).as("nothing says why a non-validating resolver failed").isEqualTo(Status.FAILED);
        assertThat(plain.rfc8460ResultType()).isEmpty();
    }

    @Test
    void authenticatedDenialMeansNoDane() {
        dns.a(MX, "192.0.2.1").exists(OWNER).authenticated(OWNER).authenticated("_25._tcp.nx.example.net");

        TlsaAnswer nodata = lookup(true, MX, 25);
        TlsaAnswer nxdomain = lookup(true, "nx.example.net", 25);

        assertThat(nodata.status()).isEqualTo(Status.AUTHENTICATED_DENIAL);
        assertThat(nodata.detail()).contains("no TLSA records");
        assertThat(nxdomain.status()).isEqualTo(Status.AUTHENTICATED_DENIAL);
        assertThat(nxdomain.detail()).contains("NXDOMAIN");
        assertThat(nxdomain.daneApplies()).isFalse();
    }

    @Test
    void unauthenticatedDenialIsNotAuthenticated() {
        TlsaAnswer answer = lookup(true, "nx.example.net", 25);

        assertThat(answer.status()).isEqualTo(Status.NOT_AUTHENTICATED);
        assertThat(answer.records()).isEmpty();
    }

    @Test
    void refusalAndSilenceAreFailures() {
        dns.behave(OWNER, Behaviour.REFUSED);
        dns.behave("_25._tcp.silent.example.net", Behaviour.SILENT);

        TlsaAnswer refused = lookup(true, MX, 25);
        TlsaAnswer silent = TlsaLookup.of(dns.address(), true, Duration.ofMillis(300))
                .lookup("silent.example.net", 25).toCompletableFuture().join();

        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.detail()).contains("REFUSED");
        assertThat(silent.status()).isEqualTo(Status.FAILED);
        assertThat(silent.detail()).startsWith("no answer from " + dns.host());
    }

    @Test
    void aTruncatedAnswerIsRetriedOverTcp() throws Exception {
        dns.tlsa(OWNER, 3, 0, 0, CERTS.valid().certificate().getEncoded()).authenticated(OWNER)
                .behave(OWNER, Behaviour.TRUNCATE);

        TlsaAnswer answer = lookup(true, MX, 25);

        assertThat(answer.status()).isEqualTo(Status.AUTHENTICATED);
        assertThat(answer.records()).hasSize(1);
        assertThat(dns.queries(OWNER)).extracting(MockDnsServer.Query::protocol)
                .contains(MockDnsServer.Protocol.TCP);
    }

    @Test
    void thePortNamesTheService() {
        dns.tlsa("_465._tcp." + MX, 3, 1, 1, new byte[32]).authenticated("_465._tcp." + MX);

        TlsaAnswer answer = lookup(true, MX + ".", 465);

        assertThat(answer.queryName()).isEqualTo("_465._tcp." + MX);
        assertThat(answer.status()).isEqualTo(Status.AUTHENTICATED);
    }

    @Test
    void authenticatedRecordsDecideTheMatch() throws Exception {
        dns.tlsa(OWNER, Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, spkiSha256(CERTS.caCertificate()))
                .authenticated(OWNER);
        X509Certificate[] wrongHost = CERTS.wrongHost().chain().toArray(new X509Certificate[0]);
        X509Certificate[] valid = CERTS.valid().chain().toArray(new X509Certificate[0]);

        TlsaAnswer answer = lookup(true, MX, 25);

        assertThat(answer.daneApplies()).isTrue();
        assertThat(DaneMatcher.match(answer.records(), valid, List.of(MX, "localhost"), Instant.now()).outcome())
                .isEqualTo(DaneMatch.Outcome.MATCH);
        assertThat(DaneMatcher.match(answer.records(), wrongHost, List.of(MX), Instant.now()).problem())
                .contains(DaneMatch.Problem.HOST_MISMATCH);
    }

    @Test
    void invalidArgumentsAreNamed() {
        InetSocketAddress resolver = dns.address();
        assertThatThrownBy(() -> TlsaLookup.of(null, true, TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolver");
        assertThatThrownBy(() -> TlsaLookup.of(InetSocketAddress.createUnresolved("dns.invalid", 53), true, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolver");
        assertThatThrownBy(() -> TlsaLookup.of(resolver, true, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        TlsaLookup lookup = TlsaLookup.of(resolver, true, TIMEOUT);
        assertThatThrownBy(() -> lookup.lookup(" ", 25)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mxHost");
        assertThatThrownBy(() -> lookup.lookup("a..b", 25)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mxHost");
        assertThatThrownBy(() -> lookup.lookup(MX, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThat(lookup.trust()).isEqualTo(DnssecTrust.RESOLVER_AD_BIT);
        assertThat(dns.queries()).isEmpty();
    }
}
