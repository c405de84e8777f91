package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The QUIT step over a real loopback socket: it decides OK when every step passed, and its 221 is a courtesy. */
class QuitStepTest {

    @Test
    void passingEveryStepIsOkDecidedAtQuit() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.phase()).isEqualTo(Phase.QUIT);
        assertThat(run.attempt.timings()).containsKey(Phase.QUIT);
        assertThat(run.commands()).endsWith("QUIT");
        // The 221 is in the transcript, but the evidence stays the reply that decided.
        assertThat(run.attempt.lastReply().code()).isEqualTo(250);
    }

    @Test
    void aServerThatNeverAnswersQuitDoesNotChangeTheVerdictNorHoldTheProbe() {
        long start = System.nanoTime();
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").on("QUIT", Effect.STALL));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        // QUIT waits at most its own short timer, not the 5 s reply timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QuitStep.QUIT_TIMEOUT.plusSeconds(2));
    }

    @Test
    void afterARejectionQuitOnlySaysGoodbye() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").on("EHLO", "554 5.7.1 no"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.EHLO);
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }
}
