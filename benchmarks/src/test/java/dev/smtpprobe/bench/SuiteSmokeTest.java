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

        assertThat(report.sections.keySet()).as(md).hasSize(13)
                .anyMatch(t -> t.startsWith("F0.")).anyMatch(t -> t.startsWith("F1.")).anyMatch(t -> t.startsWith("F2."))
                .anyMatch(t -> t.startsWith("F3.")).anyMatch(t -> t.startsWith("F4.")).anyMatch(t -> t.startsWith("T."));
        assertThat(report.sections.keySet()).as(md)
                .anyMatch(t -> t.startsWith("1.")).anyMatch(t -> t.startsWith("2.")).anyMatch(t -> t.startsWith("3a."))
                .anyMatch(t -> t.startsWith("3b.")).anyMatch(t -> t.startsWith("4.")).anyMatch(t -> t.startsWith("5."))
                .anyMatch(t -> t.startsWith("6."));
        // The fresh regime (issue 18) comes first: headline rows are workloads, its columns the competitors.
        assertThat(report.sections.keySet().iterator().next()).as(md).startsWith("F0.");
        Report.Section headline = section(report, "F0.");
        assertThat(headline.competitors).as(md).hasSize(5);
        assertThat(headline.values.keySet()).as(md)
                .containsExactly(Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        expectCompetitors(report, "F1.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        expectCompetitors(report, "F2.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET, Suite.CEILING);
        expectCompetitors(report, "F3.", Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET);
        expectCompetitors(report, "F4.", Suite.SMTP_PROBE, Suite.ANGUS);
        for (String fresh : new String[] {"F1.", "F2.", "F3."}) {
            assertThat(section(report, fresh).values.keySet()).as(md)
                    .contains("client CPU µs/probe", "alloc B/probe", "failed");
        }
        // Every target of issue 18 has a measured ratio (met or not: no timing is asserted).
        String targets = String.join("\n", section(report, "T.").notes);
        assertThat(targets.lines().filter(l -> l.startsWith("| fresh") || l.startsWith("| steady"))).as(md).hasSize(8)
                .allMatch(l -> l.endsWith("| met |") || l.endsWith("| NOT met |"));
        assertThat(report.header).as(md).noneMatch(h -> h.contains("unexpected outcome"));
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
