package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ScopeSummary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exit code of a batch, on constructed results (the end-to-end runs are in {@code CliDnsIT}). */
class BatchCommandTest {

    private static BatchResult batch(ProbeResult... results) {
        ScopeSummary scope = new ScopeSummary(ScopeSummary.Scope.UNDETERMINED, List.of(), List.of(), "constructed");
        return new BatchResult(List.of(results), scope, Duration.ofMillis(5));
    }

    @Test
    void allOkExitsZero() {
        assertThat(BatchCommand.exitCode(batch(Results.okStartTls(), Results.okStartTls()))).isEqualTo(ExitCode.OK);
    }

    @Test
    void failuresInOneLayerExitWithThatLayersCode() {
        assertThat(BatchCommand.exitCode(batch(Results.okStartTls(), Results.noSuchDomain()))).isEqualTo(ExitCode.DNS);
        assertThat(BatchCommand.exitCode(batch(Results.refused(), Results.refused()))).isEqualTo(ExitCode.TCP);
    }

    @Test
    void failuresInSeveralLayersExit8() {
        assertThat(BatchCommand.exitCode(batch(Results.refused(), Results.noSuchDomain(), Results.okStartTls())))
                .isEqualTo(ExitCode.MIXED);
        assertThat(ExitCode.MIXED.code()).isEqualTo(8);
    }
}
