package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import org.junit.jupiter.api.Test;

/** The greeting step over a real loopback socket: 220 passes to EHLO, 4xx/5xx rejects, anything else is an error. */
class GreetingStepTest {

    @Test
    void banner220PassesToEhlo() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP ready"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.greeting().code()).isEqualTo(220);
        assertThat(run.attempt.timings()).containsKeys(Phase.GREETING, Phase.EHLO);
        assertThat(run.commands()).startsWith("EHLO client.test");
        assertThat(run.attempt.detail()).startsWith("220 banner, EHLO 250");
    }

    @Test
    void banner554RejectsTheSessionBeforeEhlo() {
        Loopback run = Loopback.probe(Script.greeting("554 5.7.1 blocked using zen.spamhaus.org"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.GREETING);
        assertThat(run.attempt.policyReason()).isEqualTo(PolicyReason.BLOCKLIST);
        assertThat(run.commands()).containsExactly("QUIT");
    }

    @Test
    void banner421IsTransient() {
        Loopback run = Loopback.probe(Script.greeting("421 4.3.2 try again later"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.GREETING);
    }

    @Test
    void aGreetingThatIsNeither220NorAFailureIsAProtocolError() {
        Loopback run = Loopback.probe(Script.greeting("250 mx.test hello"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(run.attempt.detail()).contains("the greeting was 250, not 220");
        assertThat(run.commands()).containsExactly("QUIT");
    }
}
