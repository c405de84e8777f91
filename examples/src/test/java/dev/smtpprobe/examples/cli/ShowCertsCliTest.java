package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerTls;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --show-certs} and {@code --min-tls}: the CLI probes 127.0.0.1 on loopback over real STARTTLS (the test CA
 * through {@code --cafile}).
 */
class ShowCertsCliTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int probe(ServerTls tls, String... extra) {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 localhost ESMTP")
                .ehlo("localhost", "STARTTLS").ehloAfterTls("localhost").onStartTls(tls))) {
            String[] base = {"--tls", "require-starttls", "--cafile", CERTS.caPemFile().toString(),
                "--tls-name", "localhost", "--ehlo", "client.test", "127.0.0.1:" + server.port()};
            String[] args = new String[extra.length + base.length];
            System.arraycopy(extra, 0, args, 0, extra.length);
            System.arraycopy(base, 0, args, extra.length, base.length);
            return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
        }
    }

    @Test
    void showCertsPrintsThePresentedChainAsPemThatOpensslAndTheJdkRead() throws Exception {
        int status = probe(CERTS.valid().tls(), "--show-certs");

        assertThat(status).as(out + " " + err).isZero();
        String text = out.toString();
        assertThat(text).contains("certificates (" + CERTS.valid().chain().size() + ", leaf first):")
                .contains("# 0 s:CN=localhost");
        String pem = text.substring(text.indexOf("-----BEGIN CERTIFICATE-----"));
        List<Certificate> read = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        assertThat(read).containsExactlyElementsOf(List.copyOf(CERTS.valid().chain()));
    }

    @Test
    void withoutShowCertsNoPemIsPrintedButTheJsonCarriesIt() {
        probe(CERTS.valid().tls());
        assertThat(out.toString()).doesNotContain("BEGIN CERTIFICATE");

        out.getBuffer().setLength(0);
        probe(CERTS.valid().tls(), "--json");
        assertThat(out.toString()).contains("\"pem\" : \"-----BEGIN CERTIFICATE-----\\n");
    }

    @Test
    void minTlsMakesATls12ServerAFindingAndABadValueIsAUsageError() {
        int status = probe(CERTS.tls12Only(), "--min-tls", "1.3", "--json");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("TLS_VERSION_BELOW_MINIMUM");

        out.getBuffer().setLength(0);
        int bad = SmtpProbeCli.execute(new String[] {"--min-tls", "1.1", "127.0.0.1"}, new PrintWriter(out),
                new PrintWriter(err), Map.of(), Style.PLAIN);
        assertThat(bad).isEqualTo(64);
        assertThat(err.toString()).contains("--min-tls: minTlsVersion");
        assertThat(out.toString()).isEmpty();
    }
}
