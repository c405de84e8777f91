package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Layer;
import dev.smtpprobe.Verdict;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExitCodeTest {

    @ParameterizedTest
    @EnumSource(Verdict.class)
    void everyVerdictExitsWithTheCodeOfItsLayer(Verdict verdict) {
        int expected = switch (verdict.layer()) {
            case NONE -> 0;
            case DNS -> 2;
            case TCP -> 3;
            case TLS -> 4;
            case SMTP -> 5;
            case AUTH -> 6;
            case INTERNAL -> 7;
        };
        assertThat(ExitCode.of(verdict).code()).isEqualTo(expected);
    }

    @Test
    void codesAreDistinctAndUsageIs64() {
        assertThat(Arrays.stream(ExitCode.values()).mapToInt(ExitCode::code).distinct().count())
                .isEqualTo(ExitCode.values().length);
        assertThat(ExitCode.USAGE.code()).isEqualTo(64);
        assertThat(Arrays.stream(Layer.values()).map(ExitCode::of).distinct().count()).isEqualTo(Layer.values().length);
    }

    @Test
    void theHelpListNamesEveryCode() {
        assertThat(ExitCode.helpList()).hasSize(ExitCode.values().length).containsKeys("  0", "  7", " 64", " 70");
    }
}
