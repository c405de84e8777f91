package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Capabilities;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EHLO step over a real loopback socket, with its HELO fallback, and its reading of the capabilities. */
class EhloStepTest {

    @Test
    void ehloReadsTheCapabilities() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "SIZE 1000", "SMTPUTF8"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.capabilities().maxSize()).contains(1000L);
        assertThat(run.attempt.capabilities().smtpUtf8()).isTrue();
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }

    @Test
    void ehloRefusedWith502FallsBackToHeloWithoutCapabilities() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test SMTP").on("EHLO", "502 5.5.1 unknown command"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.commands()).containsExactly("EHLO client.test", "HELO client.test", "QUIT");
        assertThat(run.attempt.capabilities()).isEqualTo(Capabilities.NONE);
        assertThat(run.attempt.ehlo().code()).isEqualTo(250);
        assertThat(run.transcript(dev.smtpprobe.TranscriptLine.Direction.INFO))
                .contains("EHLO not supported; falling back to HELO");
    }

    @Test
    void heloRefusedToo() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test SMTP").on("EHLO", "500 no")
                .on("HELO", "550 5.7.1 go away"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.EHLO);
    }

    @Test
    void ehlo421IsATransientRejectionAtEhlo() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").on("EHLO", "421 4.7.0 too many connections"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.EHLO);
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }

    @Test
    void capabilitiesNameTheServerAndListTheExtensions() {
        Capabilities c = EhloStep.capabilities(new SmtpReply(250, null,
                List.of("mx.test greets client.test", "PIPELINING", "STARTTLS")));

        assertThat(c.serverName()).isEqualTo("mx.test");
        assertThat(c.extensions()).containsExactly("PIPELINING", "STARTTLS");
        assertThat(c.startTls()).isTrue();
        assertThat(EhloStep.capabilities(new SmtpReply(250, null, List.of("mx.test"))).extensions()).isEmpty();
    }
}
