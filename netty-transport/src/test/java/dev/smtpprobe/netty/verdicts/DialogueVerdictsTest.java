package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** After the banner: rejections of EHLO and a server that breaks the dialogue (PROTOCOL_ERROR). */
class DialogueVerdictsTest extends VerdictTestSupport {

    private static Script greeted() {
        return Script.greeting("220 mx.test ESMTP");
    }

    @Test
    void transientRejectionOfEhlo() {
        serve(greeted().on("EHLO", "421 4.7.0 Too many connections, try again later"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.policyReason()).isEqualTo(PolicyReason.RATE_LIMIT);
        assertThat(result.greeting().code()).isEqualTo(220);
        assertThat(result.lastReply().code()).isEqualTo(421);
        assertThat(result.detail()).contains("421");
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME);
    }

    @Test
    void permanentRejectionOfEhlo() {
        serve(greeted().on("EHLO", "550 5.7.1 Client host rejected: poor reputation"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(result.layer()).isEqualTo(Layer.SMTP);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.policyReason()).isEqualTo(PolicyReason.REPUTATION);
        assertThat(result.lastReply().code()).isEqualTo(550);
        assertThat(result.lastReply().enhancedStatus()).hasToString("5.7.1");
        assertThat(received(result)).contains("550 5.7.1 Client host rejected: poor reputation");
        assertAddresses(result, onlyConnection());
    }

    @Test
    void malformedReplyAfterTheGreetingIsProtocolError() {
        serve(greeted().on("EHLO", Effect.raw("hello there, friend\r\n"), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.detail()).contains("malformed").contains("hello there");
        assertThat(result.failure()).isNotNull();
        assertDecidedBeforeTimers(result);
        assertAddresses(result, onlyConnection());
    }

    @Test
    void endlessReplyLineIsProtocolErrorInBoundedTime() {
        serve(greeted().on("EHLO", Effect.endlessLine(8 << 20), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.detail()).contains("longer than");
        assertDecidedBeforeTimers(result);
        assertThat(onlyConnection().clientClosed()).as("the probe hung up instead of reading 8 MiB").isTrue();
    }

    @Test
    void hugeMultiLineReplyIsProtocolErrorInBoundedTime() {
        serve(greeted().on("EHLO", Effect.continuationLines(100_000), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertDecidedBeforeTimers(result);
        assertThat(result.transcript().size()).isLessThanOrEqualTo(1001);
        onlyConnection();
    }

    @Test
    void closeAfterEhloIsProtocolError() {
        serve(greeted().on("EHLO", Effect.CLOSE));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.detail()).contains("closed").contains("EHLO");
        assertThat(result.greeting().code()).isEqualTo(220);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME);
    }

    @Test
    void noReplyToEhloIsProtocolErrorAfterTheReplyTimeout() {
        serve(greeted().on("EHLO", Effect.STALL));
        Duration replyTimeout = FIRES;

        ProbeResult result = probe(TlsMode.STARTTLS).replyTimeout(replyTimeout).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(result.phase()).isEqualTo(Phase.EHLO);
        assertThat(result.detail()).contains("no reply").contains("EHLO").contains(replyTimeout.toMillis() + " ms");
        assertThat(result.timings().get(Phase.EHLO)).isGreaterThanOrEqualTo(replyTimeout);
        assertEndedByTimer(result, replyTimeout);
        RecordedConnection connection = onlyConnection();
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME);
        assertThat(connection.clientClosed()).isTrue();
    }

    @Test
    void repliesArrivingOneByteAtATimeAreFramedWhole() {
        serve(Script.greeting(Effect.drip(Duration.ofMillis(1), "220-mx.test ESMTP", "220 slow but fine"))
                .on("EHLO", Effect.drip(Duration.ofMillis(1), "250-mx.test", "250-SIZE 1000", "250 STARTTLS")));

        ProbeResult result = probe(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.greeting().lines()).containsExactly("mx.test ESMTP", "slow but fine");
        assertThat(result.capabilities().maxSize()).contains(1000L);
        assertThat(result.capabilities().startTls()).isTrue();
        assertThat(onlyConnection().commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
    }

    @Test
    void slowDripOfTheGreetingEndsAtTheGreetingTimeout() {
        serve(Script.greeting(Effect.drip(Duration.ofMillis(100), "220 mx.test ESMTP slow")));

        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).confirmTlsMode(false).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(result.detail()).as("the timer bounds the whole banner, not each byte").contains(FIRES.toMillis() + " ms");
        assertEndedByTimer(result, FIRES);
        onlyConnection();
    }
}
