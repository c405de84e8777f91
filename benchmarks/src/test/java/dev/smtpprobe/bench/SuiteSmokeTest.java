package dev.smtpprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole suite at smoke size (seconds) so the benchmarks keep compiling and working: every benchmark must
 * have run and produced a number for every competitor, and no probe may have ended unexpectedly. No timing is
 * asserted: this machine's speed is not a test result.
 */
class SuiteSmokeTest {

    @Test
    void everyBenchmarkRunsAndProducesNumbersForEveryCompetitor() throws Exception {
        Report report = new Suite(Suite.Config.smokeSize(), s -> { }).run();
        String md = report.markdown();

        assertThat(report.sections.keySet()).as(md).hasSize(7)
                .anyMatch(t -> t.startsWith("1.")).anyMatch(t -> t.startsWith("2.")).anyMatch(t -> t.startsWith("3a."))
                .anyMatch(t -> t.startsWith("3b.")).anyMatch(t -> t.startsWith("4.")).anyMatch(t -> t.startsWith("5."))
                .anyMatch(t -> t.startsWith("6."));
        expectCompetitors(report, "1.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        expectCompetitors(report, "2.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        expectCompetitors(report, "3a.", Suite.SMTP_PROBE, Suite.SOCKET, Suite.ANGUS);
        expectCompetitors(report, "3b.", Suite.SMTP_PROBE, Suite.SOCKET);
        expectCompetitors(report, "5.", Suite.SMTP_PROBE, Suite.ANGUS);
        expectCompetitors(report, "6.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        Report.Section memory = section(report, "4.");
        assertThat(memory.competitors).as(md).hasSize(4)
                .anyMatch(c -> c.contains("STARTTLS")).anyMatch(c -> !c.contains("STARTTLS"));

        for (Report.Section s : report.sections.values()) {
            for (Map.Entry<String, Map<String, List<Double>>> metric : s.values.entrySet()) {
                for (Map.Entry<String, List<Double>> byCompetitor : metric.getValue().entrySet()) {
                    String where = s.title + " / " + metric.getKey() + " / " + byCompetitor.getKey() + "\n" + md;
                    assertThat(byCompetitor.getValue()).as(where).isNotEmpty().allMatch(v -> !v.isNaN() && !v.isInfinite());
                    if (metric.getKey().startsWith("failed")) {
                        assertThat(byCompetitor.getValue()).as(where).allMatch(v -> v == 0);
                    }
                }
            }
        }
    }

    private static void expectCompetitors(Report report, String prefix, String... names) {
        assertThat(section(report, prefix).competitors).as(report.markdown()).containsExactlyInAnyOrder(names);
    }

    private static Report.Section section(Report report, String prefix) {
        return report.sections.values().stream().filter(s -> s.title.startsWith(prefix)).findFirst().orElseThrow();
    }
}
