package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Phase;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The AUTH step over a real loopback socket with real STARTTLS: it sends the secret only where it may, redacted. */
class AuthStepTest {

    private static final String USER = "user@mx.test";
    private static final String PASSWORD = "Pa55-w0rd-step";

    private static Script submission(String auth) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .ehloAfterTls("mx.test", "AUTH PLAIN LOGIN").onStartTls(Loopback.CERTS.valid().tls()).onAuth(auth);
    }

    @Test
    void authenticatesOverTlsAndNeverRecordsTheSecret() {
        Loopback run = Loopback.probe(submission("235 2.7.0 Authentication successful"),
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).auth(USER, PASSWORD.toCharArray()));

        assertThat(run.attempt.verdict()).as(run.attempt.detail()).isEqualTo(Verdict.OK);
        AuthResult auth = run.attempt.auth();
        assertThat(auth.status()).isEqualTo(AuthResult.Status.AUTHENTICATED);
        assertThat(auth.mechanism()).isEqualTo(AuthMechanism.PLAIN);
        assertThat(auth.credentialsSent()).isTrue();
        assertThat(auth.offeredBeforeStartTls()).isEmpty();
        assertThat(run.attempt.timings()).containsKey(Phase.AUTH);
        assertThat(run.attempt.detail()).contains("AUTH PLAIN 235 as " + USER);
        assertThat(run.transcript(TranscriptLine.Direction.CLIENT)).contains("AUTH PLAIN <redacted>");
        String plain = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(run.commands()).contains("AUTH PLAIN " + plain);
        assertThat(run.attempt.toString()).doesNotContain(PASSWORD).doesNotContain(plain);
        assertThat(run.attempt.transcript()).noneMatch(l -> l.text().contains(PASSWORD) || l.text().contains(plain));
    }

    @Test
    void wrongPasswordIsAuthFailedNotANetworkProblem() {
        Loopback run = Loopback.probe(submission("535 5.7.8 Username and Password not accepted"),
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).auth(USER, PASSWORD.toCharArray()));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(run.attempt.phase()).isEqualTo(Phase.AUTH);
        assertThat(run.attempt.auth().status()).isEqualTo(AuthResult.Status.FAILED);
        assertThat(run.attempt.detail()).contains("rejected the username or password for " + USER)
                .contains("not a network problem");
    }

    @Test
    void withoutTlsTheCredentialsAreNotSent() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN"),
                b -> b.tls(TlsMode.NONE).auth(USER, PASSWORD.toCharArray()));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
        assertThat(run.attempt.auth().credentialsSent()).isFalse();
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }

    @Test
    void withoutCredentialsTheStepDoesNotRun() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.auth()).isNull();
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }
}
