package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.internal.tls.DaneMatch.Outcome;
import dev.smtpprobe.internal.tls.DaneMatch.Problem;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 7672 matching rules against certificates made at test time. */
class DaneMatcherTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final TestCertificates OTHER = TestCertificates.generate();
    private static final List<String> MX = List.of("localhost");
    private static final Instant NOW = Instant.now();

    private static X509Certificate[] chain(ServerCertificate cert) {
        return cert.chain().toArray(new X509Certificate[0]);
    }

    private static X509Certificate leaf(ServerCertificate cert) {
        return cert.certificate();
    }

    /** The association data for {@code cert}, computed independently of the matcher. */
    static byte[] data(int selector, int matchingType, X509Certificate cert) throws Exception {
        byte[] selected = selector == 1 ? cert.getPublicKey().getEncoded() : cert.getEncoded();
        return switch (matchingType) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> throw new IllegalArgumentException("matchingType " + matchingType);
        };
    }

    static Tlsa tlsa(int usage, int selector, int matchingType, X509Certificate cert) throws Exception {
        return Tlsa.of(usage, selector, matchingType, data(selector, matchingType, cert));
    }

    private static DaneMatch match(List<Tlsa> records, ServerCertificate presented) {
        return DaneMatcher.match(records, chain(presented), MX, NOW);
    }

    @ParameterizedTest(name = "DANE-EE {0} {1}")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneEeMatchesTheServerCertificateWithEverySelectorAndMatchingType(int selector, int matchingType)
            throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_EE, selector, matchingType, leaf(CERTS.valid()));

        DaneMatch result = match(List.of(record), CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(result.record()).contains(record);
        assertThat(result.problem()).isEmpty();
        assertThat(result.outcome().rfc8460ResultType()).isEmpty();
        assertThat(result.detail()).startsWith("DANE-EE record 3 " + selector + " " + matchingType + " ");
    }

    @ParameterizedTest(name = "DANE-TA {0} {1}")
    @CsvSource({"0,0", "0,1", "0,2", "1,0", "1,1", "1,2"})
    void daneTaMatchesTheIssuerWithEverySelectorAndMatchingType(int selector, int matchingType) throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_TA, selector, matchingType, CERTS.caCertificate());

        DaneMatch result = match(List.of(record), CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(result.record()).contains(record);
        assertThat(result.detail()).contains("DANE-TA record 2 " + selector + " " + matchingType)
                .contains("names localhost");
    }

    @Test
    void daneEeIgnoresTheNameTheExpiryAndTheIssuer() throws Exception {
        for (ServerCertificate cert : List.of(CERTS.wrongHost(), CERTS.expired(), CERTS.notYetValid(),
                CERTS.selfSigned())) {
            Tlsa record = tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(cert));

            assertThat(match(List.of(record), cert).outcome()).as(cert.toString()).isEqualTo(Outcome.MATCH);
        }
    }

    @Test
    void daneEeComparesOnlyTheServerCertificateNotItsIssuer() throws Exception {
        Tlsa caAsEe = tlsa(Tlsa.DANE_EE, Tlsa.CERT, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch result = match(List.of(caAsEe), CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.NO_MATCH);
        assertThat(result.problem()).contains(Problem.NO_RECORD_MATCHES);
    }

    @Test
    void daneEeOfAnotherCertificateIsTlsaInvalid() throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(OTHER.valid()));

        DaneMatch result = match(List.of(record), CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.NO_MATCH);
        assertThat(result.record()).isEmpty();
        assertThat(result.problem()).contains(Problem.NO_RECORD_MATCHES);
        assertThat(result.outcome().rfc8460ResultType()).contains("tlsa-invalid");
        assertThat(result.detail()).contains("3 1 1 ").contains("2 certificates");
    }

    @Test
    void daneTaChecksTheNameAgainstTheMxHost() throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch result = match(List.of(record), CERTS.wrongHost());

        assertThat(result.outcome()).isEqualTo(Outcome.NO_MATCH);
        assertThat(result.problem()).contains(Problem.HOST_MISMATCH);
        assertThat(result.detail()).contains("names none of [localhost]");
    }

    @Test
    void daneTaAcceptsAnyReferenceName() throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch result = DaneMatcher.match(List.of(record), chain(CERTS.wrongHost()),
                List.of("localhost", TestCertificates.WRONG_HOST.toUpperCase(java.util.Locale.ROOT) + "."), NOW);

        assertThat(result.outcome()).isEqualTo(Outcome.MATCH);
    }

    @Test
    void daneTaChecksValidityDates() throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_TA, Tlsa.CERT, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch expired = match(List.of(record), CERTS.expired());
        DaneMatch notYet = match(List.of(record), CERTS.notYetValid());

        assertThat(expired.problem()).contains(Problem.CERTIFICATE_EXPIRED);
        assertThat(expired.detail()).contains("expired at");
        assertThat(notYet.problem()).contains(Problem.CERTIFICATE_EXPIRED);
        assertThat(notYet.detail()).contains("valid only from");
        assertThat(DaneMatcher.match(List.of(record), chain(CERTS.expired()), MX,
                leaf(CERTS.expired()).getNotBefore().toInstant().plusSeconds(60)).outcome())
                .as("the same chain at a time it was valid").isEqualTo(Outcome.MATCH);
    }

    @Test
    void daneTaNeedsTheAnchorAmongTheIssuersTheServerSent() throws Exception {
        Tlsa otherCa = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, OTHER.caCertificate());
        Tlsa leafAsTa = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, leaf(CERTS.valid()));
        X509Certificate[] leafOnly = {leaf(CERTS.valid())};
        Tlsa ca = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        assertThat(match(List.of(otherCa), CERTS.valid()).problem()).contains(Problem.NO_RECORD_MATCHES);
        assertThat(match(List.of(leafAsTa), CERTS.valid()).problem()).contains(Problem.NO_RECORD_MATCHES);
        assertThat(DaneMatcher.match(List.of(ca), leafOnly, MX, NOW).problem())
                .as("the CA is not sent").contains(Problem.NO_RECORD_MATCHES);
        assertThat(match(List.of(leafAsTa), CERTS.selfSigned()).problem())
                .as("a self-signed server certificate is not its own anchor").contains(Problem.NO_RECORD_MATCHES);
    }

    @Test
    void daneTaRefusesAChainWhoseSignatureDoesNotVerify() throws Exception {
        // Both test CAs have the same subject, so only the signature tells that the leaf is not the anchor's.
        X509Certificate[] spliced = {leaf(OTHER.valid()), CERTS.caCertificate()};
        Tlsa record = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch result = DaneMatcher.match(List.of(record), spliced, MX, NOW);

        assertThat(result.problem()).contains(Problem.CHAIN_BROKEN);
        assertThat(result.detail()).contains("signature");
    }

    @Test
    void daneTaRefusesAChainWhoseIssuerNameDiffers() throws Exception {
        X509Certificate[] wrongOrder = {leaf(CERTS.valid()), leaf(CERTS.wrongHost()), CERTS.caCertificate()};
        Tlsa record = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        DaneMatch result = DaneMatcher.match(List.of(record), wrongOrder, MX, NOW);

        assertThat(result.problem()).contains(Problem.CHAIN_BROKEN);
        assertThat(result.detail()).contains("not issued by the next one");
    }

    @Test
    void pkixUsagesAreUnusableForSmtpEvenWhenTheyMatch() throws Exception {
        List<Tlsa> pkix = List.of(tlsa(Tlsa.PKIX_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate()),
                tlsa(Tlsa.PKIX_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(CERTS.valid())));

        DaneMatch result = match(pkix, CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.NO_USABLE_TLSA);
        assertThat(result.record()).isEmpty();
        assertThat(result.problem()).isEmpty();
        assertThat(result.outcome().rfc8460ResultType()).isEmpty();
        assertThat(result.detail()).contains("0 1 1 ").contains("1 1 1 ");
    }

    @Test
    void unknownFieldsAndWrongDigestLengthsAreUnusable() throws Exception {
        byte[] sha256 = data(Tlsa.SPKI, Tlsa.SHA2_256, leaf(CERTS.valid()));
        List<Tlsa> unusable = List.of(
                Tlsa.of(4, Tlsa.SPKI, Tlsa.SHA2_256, sha256),
                Tlsa.of(Tlsa.DANE_EE, 2, Tlsa.SHA2_256, sha256),
                Tlsa.of(Tlsa.DANE_EE, Tlsa.SPKI, 3, sha256),
                Tlsa.of(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_512, sha256),
                Tlsa.of(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, java.util.Arrays.copyOf(sha256, 31)));

        assertThat(unusable).noneMatch(Tlsa::usableForSmtp);
        assertThat(match(unusable, CERTS.valid()).outcome()).isEqualTo(Outcome.NO_USABLE_TLSA);
        assertThat(match(List.of(), CERTS.valid()).outcome()).isEqualTo(Outcome.NO_USABLE_TLSA);
    }

    @Test
    void unusableRecordsAreIgnoredBesideUsableOnes() throws Exception {
        List<Tlsa> records = List.of(tlsa(Tlsa.PKIX_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(CERTS.valid())),
                tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(OTHER.valid())));

        DaneMatch result = match(records, CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.NO_MATCH);
        assertThat(result.detail()).doesNotContain("1 1 1 ");
    }

    @Test
    void oneMatchingRecordIsEnough() throws Exception {
        Tlsa stale = tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(OTHER.valid()));
        Tlsa badTa = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, OTHER.caCertificate());
        Tlsa good = tlsa(Tlsa.DANE_TA, Tlsa.CERT, Tlsa.SHA2_512, CERTS.caCertificate());

        DaneMatch result = match(List.of(stale, badTa, good), CERTS.valid());

        assertThat(result.outcome()).isEqualTo(Outcome.MATCH);
        assertThat(result.record()).contains(good);
    }

    @Test
    void aFailingTrustAnchorIsReportedWhenNothingElseMatches() throws Exception {
        Tlsa stale = tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(OTHER.valid()));
        Tlsa ca = tlsa(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_256, CERTS.caCertificate());

        assertThat(match(List.of(stale, ca), CERTS.wrongHost()).problem()).contains(Problem.HOST_MISMATCH);
    }

    @Test
    void noCertificateIsNoMatch() throws Exception {
        Tlsa record = tlsa(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, leaf(CERTS.valid()));

        DaneMatch result = DaneMatcher.match(List.of(record), new X509Certificate[0], MX, NOW);

        assertThat(result.outcome()).isEqualTo(Outcome.NO_MATCH);
        assertThat(result.problem()).contains(Problem.NO_CHAIN);
    }

    @Test
    void invalidArgumentsAreNamed() throws Exception {
        X509Certificate[] chain = chain(CERTS.valid());
        List<Tlsa> none = List.of();
        assertThatThrownBy(() -> DaneMatcher.match(null, chain, MX, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("records");
        assertThatThrownBy(() -> DaneMatcher.match(none, null, MX, NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chain");
        assertThatThrownBy(() -> DaneMatcher.match(none, chain, List.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("referenceNames");
        assertThatThrownBy(() -> DaneMatcher.match(none, chain, MX, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("now");
    }
}
