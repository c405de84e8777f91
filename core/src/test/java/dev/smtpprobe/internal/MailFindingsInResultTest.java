package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe made from mail properties carries the configuration's findings in its result, and its report shows them
 * first: real probes over loopback against scripted servers.
 */
class MailFindingsInResultTest {

    @TempDir
    Path root;

    private ProbeResult probe(Script script, String properties) {
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(properties.formatted(server.port())));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            SmtpProbe probe = SmtpProbe.fromMailProperties(p, HostEnvironment.rootedAt(root, Map.of(), List.of()))
                    .transport(new BlockingTransport()).confirmTlsMode(false).build();
            ProbeResult result = probe.run();
            assertThat(result.configFindings()).as("the probe's findings after the run")
                    .isEqualTo(probe.configFindings());
            return result;
        }
    }

    private static List<String> codesAndKeys(ProbeResult result) {
        return result.configFindings().stream().map(f -> f.code() + " " + f.key()).toList();
    }

    @Test
    void aMisspeltTimeoutIsInTheResultAndFirstInTheReport() {
        ProbeResult result = probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"), """
                mail.smtp.host=127.0.0.1
                mail.smtp.port=%d
                mail.smtp.connecttimeout=5000
                mail.smtp.timeout=3000
                mail.smtp.writetimeout=3000
                """);

        assertThat(result.verdict()).isEqualTo(Verdict.OK);
        assertThat(codesAndKeys(result)).startsWith("UNKNOWN_KEY mail.smtp.connecttimeout")
                .contains("TIMEOUT_MISSING mail.smtp.connectiontimeout");
        ConfigFinding unknown = result.configFindings().get(0);
        assertThat(unknown.value()).isEqualTo("5000");

        String report = result.report();
        int findings = report.indexOf("Configuration findings (" + result.configFindings().size() + ", ");
        int misspelt = report.indexOf("  - [UNKNOWN_KEY] mail.smtp.connecttimeout=5000\n      why: ");
        int missing = report.indexOf("  - [TIMEOUT_MISSING] mail.smtp.connectiontimeout");
        assertThat(report).startsWith("Subject: SMTP check passed: ");
        assertThat(findings).as(report).isEqualTo(report.indexOf("\n\n") + 2);
        assertThat(misspelt).as(report).isGreaterThan(findings);
        assertThat(report.indexOf("      fix: " + unknown.fix(), misspelt)).isGreaterThan(misspelt);
        assertThat(missing).isGreaterThan(misspelt);
        assertThat(report.indexOf("Source IP:")).isGreaterThan(missing);
        assertThat(report.indexOf("Result:")).isGreaterThan(missing);
    }

    @Test
    void aCertificateOnlyTheConfiguredTrustAcceptsIsAFindingOfTheRun() {
        TestCertificates certs = TestCertificates.shared();
        ProbeResult result = probe(Script.greeting("220 mx.test ESMTP").tlsOnConnect(certs.expired().tls())
                .ehlo("mx.test", "PIPELINING"), """
                mail.smtp.host=127.0.0.1
                mail.smtp.port=%d
                mail.smtp.ssl.enable=true
                mail.smtp.ssl.trust=*
                mail.smtp.ssl.checkserveridentity=false
                mail.smtp.connectiontimeout=5000
                mail.smtp.timeout=5000
                mail.smtp.writetimeout=5000
                """);

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(codesAndKeys(result)).contains("TRUST_ALL mail.smtp.ssl.trust",
                "CERTIFICATE_ACCEPTED_BY_TRUST mail.smtp.ssl.trust");
        assertThat(result.report()).contains("  - [CERTIFICATE_ACCEPTED_BY_TRUST] mail.smtp.ssl.trust\n");
    }

    @Test
    void aProbeConfiguredOtherwiseHasNoFindingsAndNoSection() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"));

        assertThat(run.result.configFindings()).isEmpty();
        assertThat(run.result.report()).doesNotContain("Configuration findings");
    }

    @Test
    void theBuilderCarriesFindingsAndEqualityCountsThem() {
        ProbeResult result = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test")).result;
        ConfigFinding finding = new ConfigFinding(Code.NO_TLS, "mail.smtp.starttls.enable", "", "Plain text.",
                "Enable STARTTLS.");

        ProbeResult withFinding = result.toBuilder().configFindings(List.of(finding)).build();

        assertThat(withFinding.configFindings()).containsExactly(finding);
        assertThat(withFinding).isNotEqualTo(result);
        assertThat(withFinding.toBuilder().build()).isEqualTo(withFinding).hasSameHashCodeAs(withFinding);
        assertThat(withFinding.getConfigFindings()).isSameAs(withFinding.configFindings());
    }
}
