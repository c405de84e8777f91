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
 * {@code --tls-policy}: the CLI probes 127.0.0.1 on loopback (real STARTTLS, a certificate for another name, the
 * test CA through {@code --cafile}); opportunistic TLS makes the mismatch a finding, verify a failure.
 */
class TlsPolicyCliTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int probe(String... extra) {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test").onStartTls(CERTS.wrongHost().tls()))) {
            String[] base = {"--tls", "require-starttls", "--cafile", CERTS.caPemFile().toString(),
                "--ehlo", "client.test", "127.0.0.1:" + server.port()};
            String[] args = new String[extra.length + base.length];
            System.arraycopy(extra, 0, args, 0, extra.length);
            System.arraycopy(base, 0, args, extra.length, base.length);
            return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
        }
    }

    @Test
    void opportunisticMakesAMismatchedCertificateAFinding() {
        int status = probe("--tls-policy", "opportunistic");

        assertThat(status).as(out + " " + err).isZero();
        assertThat(out.toString()).contains("TLS_CERTIFICATE_NOT_VERIFIED").contains("certificate-host-mismatch")
                .containsPattern("tls policy +OPPORTUNISTIC");
    }

    @Test
    void verifyKeepsItAFailure() {
        int status = probe("--tls-policy", "verify");

        assertThat(status).isEqualTo(4);
        assertThat(out.toString()).contains("CERTIFICATE_INVALID");
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        int status = SmtpProbeCli.execute(new String[] {"--tls-policy", "lax", "127.0.0.1"}, new PrintWriter(out),
                new PrintWriter(err), Map.of(), Style.PLAIN);

        assertThat(status).isEqualTo(64);
        assertThat(err.toString()).startsWith("smtp-probe: --tls-policy: expected verify, opportunistic or domain");
        assertThat(out.toString()).isEmpty();
    }
}
