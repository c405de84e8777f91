package dev.smtpprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the deadline benchmark at smoke size so it keeps compiling and working: every probe of every scenario ends
 * with the verdict its server calls for (the silent one's banner never comes; the slow one's EHLO reply never
 * ends), and a transport that never calls back ends as an internal error, not a network verdict. No timing is asserted: the figures are BENCHMARKS.md's.
 */
class DeadlineLoadSmokeTest {

    @Test
    void everyScenarioEndsEveryProbeWithItsVerdict() throws Exception {
        String table = DeadlineLoad.run(20, Duration.ofMillis(400), 1);

        assertThat(table).contains("| silent | 20 | {GREETING_TIMEOUT=20} |")
                .contains("| slow | 20 | {PROTOCOL_ERROR=20} |")
                .contains("| mixed | 20 | {GREETING_TIMEOUT=10, PROTOCOL_ERROR=10} |")
                .contains("| stalled transport | 20 | {INTERNAL_ERROR=20} |");
    }
}
