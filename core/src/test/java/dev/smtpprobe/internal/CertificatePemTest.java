package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The presented chain as PEM: over real STARTTLS on loopback, each certificate of the result reads back (as
 * {@code openssl x509} would) into exactly the certificate the server presented, for OK and failed handshakes.
 */
class CertificatePemTest {

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(certificate.tls());
    }

    private static List<X509Certificate> read(String pem) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .forEach(c -> out.add((X509Certificate) c));
        return out;
    }

    @Test
    void theChainOfAnOkResultReadsBackAsTheServersChain() throws Exception {
        ServerCertificate served = Loopback.CERTS.valid();
        Loopback run = Loopback.probe(startTls(served), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.result.verdict()).as(run.result.detail()).isEqualTo(Verdict.OK);
        TlsInfo tls = run.attempt.tls();
        CertificateInfo leaf = tls.leaf();
        assertThat(leaf.pem()).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(leaf.pem().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(read(leaf.pem())).containsExactly(served.certificate());
        assertThat(read(tls.pemChain())).containsExactlyElementsOf(served.chain());
        assertThat(tls.pemChain().split("-----BEGIN CERTIFICATE-----", -1)).hasSize(served.chain().size() + 1);
    }

    @Test
    void aRefusedCertificateIsShownAsPemToo() throws Exception {
        ServerCertificate served = Loopback.CERTS.expired();
        Loopback run = Loopback.probe(startTls(served), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.result.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(read(run.attempt.tls().pemChain())).first().isEqualTo(served.certificate());
    }

    @Test
    void noChainGivesNoPemAndAnInfoWithoutEncodingHasAnEmptyOne() {
        assertThat(new TlsInfo("", "", List.of()).pemChain()).isEmpty();
        CertificateInfo bare = new CertificateInfo("CN=a", "CN=b", List.of(), java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, 0, "1", "");
        assertThat(bare.pem()).isEmpty();
    }
}
