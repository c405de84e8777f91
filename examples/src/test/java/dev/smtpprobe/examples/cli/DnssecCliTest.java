package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.SignedTestZone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dnssec-validate} and {@code --dnssec-trust-anchors}: the CLI probes {@code --mx example.test} through the
 * testkit's DNS server on loopback, which serves a zone signed at test time; the anchor file holds its key's DS.
 */
class DnssecCliTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final String MX = "mx1.example.test";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int execute(String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
    }

    private int probeMx(boolean forged) throws Exception {
        ServerCertificate cert = CERTS.wrongHost();
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(cert.certificate().getPublicKey().getEncoded());
        try (MockDnsServer dns = MockDnsServer.start();
                MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 " + MX + " ESMTP")
                        .ehlo(MX, "STARTTLS").ehloAfterTls(MX).onStartTls(cert.tls()))) {
            dns.mx("example.test", 10, MX).a(MX, "127.0.0.1");
            SignedTestZone zone = new SignedTestZone("example.test").publishKey(dns);
            String owner = "_" + server.port() + "._tcp." + MX;
            if (forged) {
                zone.forgedTlsa(dns, owner, 3, 1, 1, spki);
            } else {
                zone.signedTlsa(dns, owner, 3, 1, 1, spki);
            }
            Path anchors = Files.writeString(dir.resolve("anchors"), zone.trustAnchor() + "\n");
            return execute("--mx", "example.test", "--resolver", "127.0.0.1:" + dns.port(), "--port",
                    String.valueOf(server.port()), "--tls", "require-starttls", "--tls-policy", "domain",
                    "--cafile", CERTS.caPemFile().toString(), "--ehlo", "client.test", "--dnssec-validate",
                    "--dnssec-trust-anchors", anchors.toString());
        }
    }

    @Test
    void aLocallyValidatedMatchingTlsaRecordAuthenticatesTheServer() throws Exception {
        int status = probeMx(false);

        assertThat(status).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("DANE").doesNotContain("TLS_CERTIFICATE_NOT_VERIFIED");
    }

    @Test
    void aForgedSignatureIsDnssecInvalid() throws Exception {
        int status = probeMx(true);

        assertThat(status).as(out + " " + err).isNotZero().isNotEqualTo(64);
        assertThat(out.toString()).contains("TLS_POLICY_FAILED").contains("dnssec-invalid");
    }

    @Test
    void contradictoryOrIncompleteOptionsAreUsageErrors() throws Exception {
        assertThat(execute("--dnssec-trust-ad", "--dnssec-validate", "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("--dnssec-trust-ad and --dnssec-validate exclude each other");

        Path anchors = Files.writeString(dir.resolve("a"), ". IN DS 20326 8 2 "
                + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        assertThat(execute("--dnssec-trust-anchors", anchors.toString(), "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("--dnssec-trust-anchors needs --dnssec-validate");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnusableAnchorFileIsAUsageErrorNamingTheOption() throws Exception {
        Path notAnchors = Files.writeString(dir.resolve("txt"), "example.test. IN TXT \"hello\"\n");
        Path big = Files.write(dir.resolve("big"), new byte[DnssecOptions.MAX_ANCHOR_BYTES + 1]);

        assertThat(execute("--dnssec-validate", "--dnssec-trust-anchors", notAnchors.toString(), "127.0.0.1"))
                .isEqualTo(64);
        assertThat(execute("--dnssec-validate", "--dnssec-trust-anchors", big.toString(), "127.0.0.1"))
                .isEqualTo(64);
        assertThat(execute("--dnssec-validate", "--dnssec-trust-anchors", dir.resolve("none").toString(),
                "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("--dnssec-trust-anchors: dnssecTrustAnchors must hold only DS or DNSKEY")
                .contains("larger than 65536 bytes").contains("--dnssec-trust-anchors: cannot read");
        assertThat(out.toString()).isEmpty();
    }
}
