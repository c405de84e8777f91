package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import org.junit.jupiter.api.Test;

/** The envelope step over a real loopback socket: MAIL FROM, RCPT TO for each recipient, RSET, and never DATA. */
class EnvelopeStepTest {

    private static final String FROM = "probe@client.test";

    @Test
    void everyRecipientAcceptedThenRsetAndNoData() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "SIZE 10000"),
                b -> b.envelope(FROM, "a@mx.test", "b@mx.test").messageSize(2000));

        assertThat(run.attempt.verdict()).as(run.attempt.detail()).isEqualTo(Verdict.OK);
        assertThat(run.commands()).containsExactly("EHLO client.test", "MAIL FROM:<" + FROM + "> SIZE=2000",
                "RCPT TO:<a@mx.test>", "RCPT TO:<b@mx.test>", "RSET", "QUIT");
        assertThat(run.attempt.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientResult.Status.ACCEPTED, RecipientResult.Status.ACCEPTED);
        assertThat(run.attempt.detail()).contains("MAIL FROM and 2 RCPT TO accepted (RSET, no DATA)");
        assertThat(run.attempt.timings()).containsKey(Phase.ENVELOPE);
    }

    @Test
    void aRefusedRecipientIsARejectionAtEnvelope() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").rcpt("nobody@mx.test", "550 5.1.1 User unknown"),
                b -> b.envelope(FROM, "a@mx.test", "nobody@mx.test"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.phase()).isEqualTo(Phase.ENVELOPE);
        assertThat(run.attempt.detail()).startsWith("1 of 2 recipient(s) refused: nobody@mx.test 550");
        assertThat(run.commands()).contains("RSET").doesNotContain("DATA");
    }

    @Test
    void aRefusedSenderTriesNoRecipient() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").on("MAIL", "451 4.3.0 try later"),
                b -> b.envelope(FROM, "a@mx.test"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(run.attempt.detail()).contains("no recipient was tried");
        assertThat(run.attempt.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientResult.Status.NOT_TRIED);
        assertThat(run.attempt.recipients().get(0).detail()).contains("not tried: the attempt ended with "
                + Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(run.commands()).containsExactly("EHLO client.test", "MAIL FROM:<" + FROM + ">", "QUIT");
    }
}
