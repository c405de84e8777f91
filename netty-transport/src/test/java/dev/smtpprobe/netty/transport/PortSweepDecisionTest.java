package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A port sweep has one decision: the overall verdict, its detail, the deciding attempt, the summary and the report
 * all name the same port and the same reply, even when two ports end with the same verdict in different phases.
 */
class PortSweepDecisionTest {

    private static final String BUSY_BANNER = "421 4.7.0 port-a busy banner, try again later";
    private static final String BUSY_EHLO = "421 4.7.0 port-b refuses EHLO, try again later";

    @Test
    void theFurthestOfTwoEqualVerdictsDecidesEveryAccessor() throws Exception {
        try (MockSmtpServer a = new MockSmtpServer().start(Script.greeting(BUSY_BANNER));
             MockSmtpServer b = new MockSmtpServer()
                     .start(Script.greeting("220 mx.test ESMTP").on("EHLO", BUSY_EHLO))) {

            ProbeResult result = SmtpProbe.to("127.0.0.1").ports(a.port(), b.port()).tls(TlsMode.NONE)
                    .ehloName("probe.test").greetingTimeout(Duration.ofSeconds(5)).run();

            // Both ports end in a transient rejection; B's came later in the dialogue, so B decides.
            assertThat(result.portVerdicts()).as(result.report()).containsExactly(
                    Map.entry(a.port(), Verdict.SMTP_TRANSIENT_REJECTION),
                    Map.entry(b.port(), Verdict.SMTP_TRANSIENT_REJECTION));
            assertThat(result.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
            assertThat(result.phase()).isEqualTo(Phase.EHLO);

            Attempt deciding = result.decidingAttempt();
            assertThat(deciding).isNotNull();
            assertThat(deciding.remote().getPort()).as(result.report()).isEqualTo(b.port());
            assertThat(deciding.phase()).isEqualTo(result.phase());
            assertThat(deciding.detail()).isEqualTo(result.detail());
            assertThat(result.detail()).contains("port-b refuses EHLO").doesNotContain("port-a");
            assertThat(result.lastReply().toString()).contains("port-b refuses EHLO");
            assertThat(result.remoteAddress().getPort()).isEqualTo(b.port());

            assertThat(result.summary()).contains("127.0.0.1:" + b.port() + ":")
                    .doesNotContain(":" + a.port() + ":").contains("port-b refuses EHLO").doesNotContain("port-a");
            String report = result.report();
            assertThat(field(report, "Destination IP")).as(report).endsWith("port " + b.port());
            assertThat(field(report, "Layer")).as(report).endsWith("phase " + Phase.EHLO);
            assertThat(field(report, "Detail")).as(report).contains("port-b refuses EHLO").doesNotContain("port-a");
        }
    }

    /** The value of one field of the report's header, e.g. {@code "Destination IP"}. */
    private static String field(String report, String name) {
        return report.lines().filter(line -> line.startsWith(name + ":")).findFirst()
                .map(line -> line.substring(name.length() + 1).strip()).orElseThrow();
    }
}
