package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --tls-name}: the CLI probes 127.0.0.1 on loopback (real STARTTLS, the test CA through {@code --cafile})
 * and verifies the certificate as the given name.
 */
class TlsNameCliTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int probe(String... extra) {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test").onStartTls(CERTS.wrongHost().tls()))) {
            String[] base = {"--json", "--tls", "require-starttls", "--cafile", CERTS.caPemFile().toString(),
                "--ehlo", "client.test", "127.0.0.1:" + server.port()};
            String[] args = new String[extra.length + base.length];
            System.arraycopy(extra, 0, args, 0, extra.length);
            System.arraycopy(base, 0, args, extra.length, base.length);
            return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
        }
    }

    @Test
    void theCertificateIsVerifiedAsTheGivenName() {
        int status = probe("--tls-name", TestCertificates.WRONG_HOST);

        assertThat(status).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("\"verdict\" : \"OK\"").contains("STARTTLS TLS");
    }

    @Test
    void withoutItTheCertificateIsVerifiedAsTheAddress() {
        int status = probe();

        assertThat(status).as(err.toString()).isNotZero();
        assertThat(out.toString()).contains("CERTIFICATE_INVALID").contains("127.0.0.1");
    }

    @Test
    void aBadNameIsAUsageError() {
        int status = SmtpProbeCli.execute(new String[] {"--tls-name", "a b", "127.0.0.1"}, new PrintWriter(out),
                new PrintWriter(err), Map.of(), Style.PLAIN);

        assertThat(status).isEqualTo(64);
        assertThat(err.toString()).startsWith("smtp-probe: --tls-name: tlsServerName");
        assertThat(out.toString()).isEmpty();
    }
}
