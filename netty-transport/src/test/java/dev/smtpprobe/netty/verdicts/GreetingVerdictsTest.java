package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.HintCode;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What the server says first: another protocol (NOT_SMTP) or a refusal of the session (4xx/5xx banners). */
class GreetingVerdictsTest extends VerdictTestSupport {

    static Stream<Arguments> otherProtocols() {
        return Stream.of(
                Arguments.of("HTTP", Script.effect(Effect.httpResponse(), Effect.STALL)),
                Arguments.of("SSH", Script.effect(Effect.sshBanner(), Effect.STALL)),
                Arguments.of("TLS", Script.effect(Effect.tlsAlert(), Effect.STALL)),
                Arguments.of("binary", Script.effect(Effect.garbage(64), Effect.STALL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProtocols")
    void anotherProtocolIsNotSmtp(String protocol, Script script) {
        serve(script);

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.NOT_SMTP);
        assertThat(result.layer()).isEqualTo(Layer.SMTP);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.detail()).contains(protocol);
        assertThat(result.greeting()).isNull();
        assertThat(result.failure()).isNotNull();
        assertDecidedBeforeTimers(result);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).as("nothing is sent to a peer that is not SMTP").isEmpty();
    }

    @Test
    void busyBannerIsTransientRejection() {
        serve(Script.greeting("421 4.7.0 mx.test Too many connections from your IP, try again later"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(result.layer()).isEqualTo(Layer.SMTP);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.policyReason()).isEqualTo(PolicyReason.RATE_LIMIT);
        assertThat(result.greeting().code()).isEqualTo(421);
        assertThat(result.lastReply().code()).isEqualTo(421);
        assertThat(result.detail()).contains("421");
        assertThat(received(result)).first().asString().startsWith("421");
        assertAddresses(result, onlyConnection());
    }

    @Test
    void blocklistBannerIsPermanentRejectionWithTheBlocklistNamed() {
        String banner = "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org";
        serve(Script.greeting(banner));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.policyReason()).isEqualTo(PolicyReason.BLOCKLIST);
        assertThat(result.greeting().code()).isEqualTo(554);
        assertThat(result.greeting().enhancedStatus()).hasToString("5.7.1");
        assertThat(result.detail()).contains("554");
        assertThat(result.hints()).extracting(h -> h.code()).contains(HintCode.BLOCKLIST_IN_REPLY);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).as("no EHLO after a refused session").doesNotContain("EHLO " + EHLO_NAME);
    }
}
