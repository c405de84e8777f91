package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AuthMechanism;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SASL encoding and mechanism choice, without a socket. */
class SaslTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainSendsTheRfc4616PayloadAsInitialResponseAndShowsItRedacted() {
        char[] secret = "tanstaaftanstaaf".toCharArray();
        Redaction redaction = new Redaction();
        Sasl.Client client = Sasl.client(AuthMechanism.PLAIN, "tim", secret, redaction);
        // RFC 4616 section 4 example: NUL tim NUL tanstaaftanstaaf
        Sasl.Step step = client.start();
        assertThat(step.line()).isEqualTo("AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        assertThat(step.shown()).isEqualTo("AUTH PLAIN <redacted>").isEqualTo(step.toString());
        assertThat(client.credentialsSent()).isTrue();
        // The caller's array is zeroed as soon as the payload is encoded.
        assertThat(secret).containsOnly('\0');
        assertThat(client.onChallenge("")).isEmpty();
        assertThat(redaction.scrub("echo AHRpbQB0YW5zdGFhZnRhbnN0YWFm and tanstaaftanstaaf and " + b64("tanstaaftanstaaf")))
                .isEqualTo("echo <redacted> and <redacted> and <redacted>");
    }

    @Test
    void loginAnswersUsernameThenPasswordChallengesAndRedactsBoth() {
        char[] secret = "s3cret-pw".toCharArray();
        Sasl.Client client = Sasl.client(AuthMechanism.LOGIN, "alice@example.net", secret, new Redaction());
        assertThat(client.start().line()).isEqualTo("AUTH LOGIN");
        assertThat(client.credentialsSent()).isFalse();
        Sasl.Step user = client.onChallenge("VXNlcm5hbWU6").orElseThrow();
        assertThat(user.line()).isEqualTo(b64("alice@example.net"));
        assertThat(user.shown()).isEqualTo("<redacted>");
        assertThat(client.credentialsSent()).isTrue();
        assertThat(secret).doesNotContain('\0');
        Sasl.Step pass = client.onChallenge("UGFzc3dvcmQ6").orElseThrow();
        assertThat(pass.line()).isEqualTo(b64("s3cret-pw"));
        assertThat(pass.shown()).isEqualTo("<redacted>");
        assertThat(secret).containsOnly('\0');
        assertThat(client.onChallenge("UGFzc3dvcmQ6")).as("a third challenge is unexpected").isEmpty();
    }

    @Test
    void xoauth2SendsUserAndBearerTokenAndAcknowledgesTheErrorChallengeWithAnEmptyLine() {
        char[] token = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg".toCharArray();
        Sasl.Client client = Sasl.client(AuthMechanism.XOAUTH2, "someuser@example.com", token, new Redaction());
        Sasl.Step step = client.start();
        // The example of Google's XOAUTH2 documentation.
        assertThat(step.line()).isEqualTo("AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5"
                + "LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
        assertThat(step.shown()).isEqualTo("AUTH XOAUTH2 <redacted>");
        assertThat(token).containsOnly('\0');
        assertThat(client.onChallenge(b64("{\"status\":\"401\"}")).orElseThrow().line()).isEmpty();
        assertThat(client.onChallenge("")).isEmpty();
    }

    @Test
    void nonAsciiPasswordsAreEncodedAsUtf8() {
        Sasl.Client client = Sasl.client(AuthMechanism.PLAIN, "jürgen", "pässwörd".toCharArray(), new Redaction());
        String payload = client.start().line().substring("AUTH PLAIN ".length());
        assertThat(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)).isEqualTo("\0jürgen\0pässwörd");
    }

    @Test
    void thePasswordMechanismPrefersPlainOverLoginAndTheTokenUsesXoauth2() {
        assertThat(Sasl.choose(Credentials.Kind.PASSWORD, null, List.of("LOGIN", "PLAIN", "XOAUTH2"))).contains(AuthMechanism.PLAIN);
        assertThat(Sasl.choose(Credentials.Kind.PASSWORD, null, List.of("LOGIN", "CRAM-MD5"))).contains(AuthMechanism.LOGIN);
        assertThat(Sasl.choose(Credentials.Kind.PASSWORD, null, List.of("XOAUTH2", "CRAM-MD5"))).isEmpty();
        assertThat(Sasl.choose(Credentials.Kind.OAUTH2_TOKEN, null, List.of("PLAIN", "LOGIN", "XOAUTH2"))).contains(AuthMechanism.XOAUTH2);
        assertThat(Sasl.choose(Credentials.Kind.OAUTH2_TOKEN, null, List.of("PLAIN", "LOGIN"))).isEmpty();
        assertThat(Sasl.choose(Credentials.Kind.PASSWORD, AuthMechanism.LOGIN, List.of("PLAIN", "LOGIN"))).contains(AuthMechanism.LOGIN);
        assertThat(Sasl.choose(Credentials.Kind.PASSWORD, AuthMechanism.LOGIN, List.of("PLAIN"))).isEmpty();
    }

    @Test
    void offeredMechanismsMergeEveryAuthLineIncludingTheOldEqualsSyntax() {
        assertThat(Sasl.offeredMechanisms(List.of("PIPELINING", "AUTH plain LOGIN", "AUTH=LOGIN XOAUTH2", "SIZE 10")))
                .containsExactly("PLAIN", "LOGIN", "XOAUTH2");
        assertThat(Sasl.offeredMechanisms(List.of("AUTHX PLAIN", "8BITMIME"))).isEmpty();
        assertThat(Sasl.offeredMechanisms(List.of("AUTH"))).isEmpty();
    }

    @Test
    void challengesAreDecodedPrintableAndBounded() {
        assertThat(Sasl.decodeChallenge("VXNlcm5hbWU6")).isEqualTo("Username:");
        assertThat(Sasl.decodeChallenge("not base64!")).isNull();
        assertThat(Sasl.decodeChallenge(b64("a\u0001b\nc"))).isEqualTo("a.b.c");
        assertThat(Sasl.decodeChallenge(b64("x".repeat(500)))).hasSize(203).endsWith("...");
    }
}
