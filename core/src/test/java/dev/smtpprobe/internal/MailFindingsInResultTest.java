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
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
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
        return probe(script, properties, b -> b);
    }

    private ProbeResult probe(Script script, String properties, UnaryOperator<SmtpProbe.Builder> options) {
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(properties.formatted(server.port())));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            SmtpProbe probe = options.apply(SmtpProbe.fromMailProperties(p,
                    HostEnvironment.rootedAt(root, Map.of(), List.of()))
                    .transport(new BlockingTransport()).confirmTlsMode(false)).build();
            ProbeResult result = probe.run();
            assertThat(result.configFindings()).as("the probe's findings after the run, then the run's own")
                    .hasSizeGreaterThanOrEqualTo(probe.configFindings().size());
            assertThat(result.configFindings().subList(0, probe.configFindings().size()))
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

    private static final String PLAIN_WITH_TIMEOUTS = """
            mail.smtp.host=mail.test
            mail.smtp.port=%d
            mail.smtp.connectiontimeout=5000
            mail.smtp.timeout=5000
            mail.smtp.writetimeout=5000
            """;

    /** A probe of mail.test, which the testkit's DNS server resolves to these addresses in this order. */
    private ProbeResult withTwoAddresses(String first, String second) {
        try (MockDnsServer dns = MockDnsServer.start().a("mail.test", first, second)) {
            return probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"), PLAIN_WITH_TIMEOUTS,
                    b -> b.resolver(dns.address().getAddress().getHostAddress() + ":" + dns.port()));
        }
    }

    @Test
    void whenOnlyALaterAddressWorksTheApplicationWouldFailAndTheFindingSaysSo() {
        // Two loopback addresses for one name; the server listens on 127.0.0.1 only, so the first is refused.
        ProbeResult result = withTwoAddresses("127.0.0.2", "127.0.0.1");

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.attempts()).extracting(a -> a.remote().getAddress().getHostAddress() + " " + a.verdict())
                .containsExactly("127.0.0.2 CONNECTION_REFUSED", "127.0.0.1 OK");
        ConfigFinding parity = result.configFindings().stream().filter(f -> f.code() == Code.LIBRARY_DIFFERS)
                .findFirst().orElseThrow(() -> new AssertionError(result.configFindings()));
        assertThat(parity.key()).isEqualTo("mail.smtp.host");
        assertThat(parity.value()).isEqualTo("mail.test");
        assertThat(parity.why()).startsWith("Jakarta Mail connects to the first address of mail.test only")
                .contains("127.0.0.2 port ", "CONNECTION_REFUSED", "127.0.0.1 worked",
                        "Your application would fail here although a client that tries the next address would succeed");
        assertThat(result.report()).contains("  - [LIBRARY_DIFFERS] mail.smtp.host=mail.test\n");
    }

    @Test
    void whenTheFirstAddressWorksThereIsNoParityFinding() {
        ProbeResult result = withTwoAddresses("127.0.0.1", "127.0.0.2");

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.configFindings()).extracting(ConfigFinding::code).doesNotContain(Code.LIBRARY_DIFFERS);
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
    }
}
