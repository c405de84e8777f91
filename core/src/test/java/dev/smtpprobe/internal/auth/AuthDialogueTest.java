package dev.smtpprobe.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The AUTH states of the dialogue, event by event, without a socket. */
class AuthDialogueTest {

    private static final String PASSWORD = "correct horse battery";

    private static SmtpProbe.Builder probe() {
        return SmtpProbe.to("127.0.0.1").port(587).tls(TlsMode.STARTTLS);
    }

    private static List<String> transcript(ProbeResult r) {
        return r.transcript().stream().map(TranscriptLine::text).toList();
    }

    @Test
    void plainOverStartTlsAuthenticatesThenQuits() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HandOver h = HandOver.start(probe().auth("alice@example.net", PASSWORD.toCharArray()).listener(new ProbeListener() {
            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                events.add("start " + phase);
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                events.add("end " + phase);
            }
        }));
        h.handshake(true, "AUTH LOGIN PLAIN");
        assertThat(h.last()).startsWith("AUTH PLAIN ");
        h.reply(235, "2.7.0 Authentication successful");
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.phase()).isEqualTo(Phase.QUIT);
        assertThat(r.detail()).contains("AUTH PLAIN 235 as alice@example.net");
        AuthResult auth = r.auth();
        assertThat(auth.status()).isEqualTo(AuthResult.Status.AUTHENTICATED);
        assertThat(auth.mechanism()).isEqualTo(AuthMechanism.PLAIN);
        assertThat(auth.credentialsSent()).isTrue();
        assertThat(auth.offered()).containsExactly("LOGIN", "PLAIN");
        assertThat(auth.offeredBeforeStartTls()).isEmpty();
        assertThat(auth.offeredOnlyAfterStartTls()).isTrue();
        assertThat(r.timings()).containsKey(Phase.AUTH);
        assertThat(transcript(r)).contains("AUTH PLAIN <redacted>", "235 2.7.0 Authentication successful");
        assertThat(events).containsSubsequence("end STARTTLS", "start AUTH", "end AUTH", "start QUIT");
    }

    @Test
    void loginWhenPlainIsNotOffered() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH LOGIN");
        assertThat(h.last()).isEqualTo("AUTH LOGIN");
        h.reply(334, "VXNlcm5hbWU6").reply(334, "UGFzc3dvcmQ6");
        assertThat(h.last()).isEqualTo(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        h.reply(535, "5.7.8 Authentication credentials invalid");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.phase()).isEqualTo(Phase.AUTH);
        assertThat(r.detail()).contains("535 5.7.8", "not a network problem");
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.FAILED);
        assertThat(r.report()).contains("Auth:            AUTH LOGIN -> FAILED (535 5.7.8 Authentication credentials invalid)");
        assertThat(transcript(r)).containsSubsequence("AUTH LOGIN", "334 VXNlcm5hbWU6", "challenge (decoded): Username:",
                "<redacted>", "334 UGFzc3dvcmQ6", "challenge (decoded): Password:", "<redacted>");
    }

    @Test
    void withoutTlsCredentialsAreNotSent() throws Exception {
        HandOver h = HandOver.start(probe().tls(TlsMode.NONE).auth("alice", PASSWORD.toCharArray()));
        h.handshake(false, "AUTH PLAIN", "STARTTLS");
        assertThat(h.sent).noneMatch(l -> l.startsWith("AUTH"));
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
        assertThat(r.detail()).startsWith("credentials were not sent").contains("tls(STARTTLS)");
        assertThat(r.auth().credentialsSent()).isFalse();
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.REQUIRES_TLS);
    }

    @Test
    void allowPlaintextAuthSendsWithoutTls() throws Exception {
        HandOver h = HandOver.start(probe().tls(TlsMode.NONE).auth("alice", PASSWORD.toCharArray()).allowPlaintextAuth());
        h.handshake(false, "AUTH PLAIN");
        assertThat(h.last()).startsWith("AUTH PLAIN ");
        h.reply(530, "5.7.0 Must issue a STARTTLS command first");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
        assertThat(r.detail()).contains("sent in plain text");
        assertThat(r.auth().credentialsSent()).isTrue();
    }

    @Test
    void noAuthAdvertisedSaysWhereItWasLooked() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "PIPELINING");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
        assertThat(r.detail()).contains("no AUTH before or after STARTTLS", "credentials were not sent");
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.UNAVAILABLE);
    }

    @Test
    void noCommonMechanismNamesWhatTheServerOffersAndThatItAppearedOnlyAfterStartTls() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH CRAM-MD5 XOAUTH2");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
        assertThat(r.detail()).contains("offers AUTH CRAM-MD5 XOAUTH2", "PLAIN, LOGIN", "AUTH appeared only after STARTTLS");
    }

    @Test
    void aForcedMechanismThatIsNotOfferedIsUnavailable() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()).authMechanism(AuthMechanism.LOGIN));
        h.handshake(true, "AUTH PLAIN");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
        assertThat(r.detail()).contains("requested mechanism LOGIN", "offers AUTH PLAIN");
    }

    @Test
    void applicationSpecificPasswordIsNamed() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH PLAIN");
        h.reply(534, "5.7.9 Application-specific password required. Learn more at https://support.example/185833");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.detail()).contains("application-specific password is required", "app password");
    }

    @Test
    void temporaryFailureSaysRetryLater() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH PLAIN");
        h.reply(454, "4.7.0 Temporary authentication failure");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.TEMPORARY_FAILURE);
        assertThat(r.detail()).contains("temporary", "retry later");
    }

    @Test
    void xoauth2ErrorChallengeIsAcknowledgedDecodedAndReported() throws Exception {
        HandOver h = HandOver.start(probe().oauth2("alice@example.net", "ya29.token-value".toCharArray()));
        h.handshake(true, "AUTH LOGIN PLAIN XOAUTH2");
        assertThat(h.last()).startsWith("AUTH XOAUTH2 ");
        String json = "{\"status\":\"401\",\"schemes\":\"bearer\"}";
        h.reply(334, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(h.last()).isEmpty();
        h.reply(535, "5.7.8 Username and Password not accepted");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.detail()).contains("OAuth2 token for alice@example.net was rejected", "\"status\":\"401\"");
        assertThat(transcript(r)).contains("AUTH XOAUTH2 <redacted>", "challenge (decoded): " + json);
    }

    @Test
    void anUnexpectedChallengeCancelsTheExchange() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH PLAIN");
        h.reply(334, "");
        assertThat(h.last()).isEqualTo("*");
        h.reply(501, "5.0.0 cancelled");
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.INTERRUPTED);
    }

    @Test
    void aServerClosingMidAuthIsAProtocolErrorAtAuth() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH PLAIN");
        h.dialogue.onClosed();
        ProbeResult r = h.result.join();
        assertThat(r.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(r.phase()).isEqualTo(Phase.AUTH);
        assertThat(r.detail()).contains("to AUTH PLAIN");
        assertThat(r.auth().status()).isEqualTo(AuthResult.Status.INTERRUPTED);
    }

    @Test
    void aSupplierIsAskedOncePerAuthenticationAndItsArrayCleared() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        char[][] handedOut = new char[1][];
        HandOver h = HandOver.start(probe().auth("alice", () -> {
            calls.incrementAndGet();
            handedOut[0] = PASSWORD.toCharArray();
            return handedOut[0];
        }));
        assertThat(calls).hasValue(0);
        h.handshake(true, "AUTH PLAIN");
        h.reply(235, "ok");
        assertThat(h.finish().verdict()).isEqualTo(Verdict.OK);
        assertThat(calls).hasValue(1);
        assertThat(handedOut[0]).containsOnly('\0');
    }

    @Test
    void aSupplierReturningNothingSendsNothing() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", () -> null));
        h.handshake(true, "AUTH PLAIN");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.detail()).isEqualTo("credentials were not sent: the password supplier returned null");
        assertThat(h.sent).noneMatch(l -> l.startsWith("AUTH"));
    }

    @Test
    void aServerEchoingThePasswordNeverGetsItIntoTheResult() throws Exception {
        HandOver h = HandOver.start(probe().auth("alice", PASSWORD.toCharArray()));
        h.handshake(true, "AUTH PLAIN");
        String payload = h.last().substring("AUTH PLAIN ".length());
        h.reply(535, "5.7.8 bad: " + PASSWORD + " / " + payload);
        ProbeResult r = h.finish();
        assertThat(r.auth().reply().text()).isEqualTo("bad: <redacted> / <redacted>");
        assertThat(r.detail()).contains("bad: <redacted> / <redacted>");
        assertThat(r.report() + r.summary() + r).doesNotContain(PASSWORD, payload);
    }
}
