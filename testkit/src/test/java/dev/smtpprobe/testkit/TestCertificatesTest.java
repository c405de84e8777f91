package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TestCertificatesTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    @Test
    void validCertificateNamesTheLoopbackAndIsTrustedThroughTheTestCa() throws Exception {
        X509Certificate leaf = CERTS.valid().certificate();
        assertThat(sans(leaf)).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(CERTS.caCertificate().getSubjectX500Principal());
        leaf.checkValidity();
        Duration left = Duration.between(Instant.now(), leaf.getNotAfter().toInstant());
        assertThat(left.toDays()).isBetween((long) TestCertificates.VALID_DAYS - 1, (long) TestCertificates.VALID_DAYS);
        CERTS.trustManager().checkServerTrusted(chain(CERTS.valid()), "ECDHE_ECDSA");
    }

    @Test
    void badCertificatesAreBadInExactlyOneWay() throws Exception {
        X509Certificate expired = CERTS.expired().certificate();
        assertThat(expired.getNotAfter().toInstant()).isBefore(Instant.now());
        assertThat(expired.getIssuerX500Principal()).isEqualTo(CERTS.caCertificate().getSubjectX500Principal());

        X509Certificate notYetValid = CERTS.notYetValid().certificate();
        assertThat(notYetValid.getNotBefore().toInstant()).isAfter(Instant.now());

        X509Certificate wrongHost = CERTS.wrongHost().certificate();
        wrongHost.checkValidity();
        assertThat(sans(wrongHost)).containsExactly(TestCertificates.WRONG_HOST);
        CERTS.trustManager().checkServerTrusted(chain(CERTS.wrongHost()), "ECDHE_ECDSA");

        X509Certificate selfSigned = CERTS.selfSigned().certificate();
        selfSigned.checkValidity();
        assertThat(selfSigned.getIssuerX500Principal()).isEqualTo(selfSigned.getSubjectX500Principal());
        assertThatThrownBy(() -> CERTS.trustManager().checkServerTrusted(chain(CERTS.selfSigned()), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aCertificateIssuedForANameNamesOnlyThatNameAndIsTrustedThroughTheCa() throws Exception {
        ServerCertificate issued = CERTS.issuedFor("mta-sts.example.test");

        issued.certificate().checkValidity();
        assertThat(sans(issued.certificate())).containsExactly("mta-sts.example.test");
        CERTS.trustManager().checkServerTrusted(chain(issued), "ECDHE_ECDSA");
        assertThatThrownBy(() -> CERTS.issuedFor(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dnsName");
    }

    @Test
    void clientSideTrustMaterialHoldsTheCa() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(CERTS.caPemFile())) {
            assertThat(factory.generateCertificate(in)).isEqualTo(CERTS.caCertificate());
        }
        assertThat(CERTS.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(CERTS.trustStore().getCertificate(CERTS.trustStore().aliases().nextElement()))
                .isEqualTo(CERTS.caCertificate());
        assertThat(CERTS.trustManager().getAcceptedIssuers()).containsExactly(CERTS.caCertificate());
        assertThat(CERTS.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void serverSideMaterialPresentsTheChain() {
        ServerCertificate valid = CERTS.valid();
        assertThat(valid.keyManager().getCertificateChain(
                valid.keyManager().getServerAliases("EC", null)[0])).containsExactly(chain(valid));
        assertThat(valid.chain()).containsExactly(valid.certificate(), CERTS.caCertificate());
        assertThat(valid.sslContext().getProtocol()).isEqualTo("TLS");
        assertThat(valid.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void anotherSetHasAnotherCa() throws Exception {
        TestCertificates other = TestCertificates.generate();
        assertThat(other.caCertificate()).isNotEqualTo(CERTS.caCertificate());
        assertThatThrownBy(() -> CERTS.trustManager().checkServerTrusted(chain(other.valid()), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(TestCertificates.shared()).isSameAs(CERTS);
    }

    private static X509Certificate[] chain(ServerCertificate certificate) {
        return certificate.chain().toArray(X509Certificate[]::new);
    }

    private static List<String> sans(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream()
                .map(entry -> String.valueOf(entry.get(1)))
                .collect(Collectors.toList());
    }
}
