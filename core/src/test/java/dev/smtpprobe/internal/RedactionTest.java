package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.testkit.SecretForms;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void scrubsEveryFormAndKeepsCleanTextIdentical() {
        Redaction r = new Redaction();
        r.addSecret("hunter22".toCharArray());
        String clean = "535 5.7.8 Authentication credentials invalid";
        assertThat(r.scrub(clean)).isSameAs(clean);
        assertThat(r.scrub("pw=hunter22, b64=aHVudGVyMjI=, twice hunter22hunter22"))
                .isEqualTo("pw=<redacted>, b64=<redacted>, twice <redacted><redacted>");
        assertThat(r.scrub((String) null)).isNull();
    }

    @Test
    void scrubsRepliesAndFailureMessages() {
        Redaction r = new Redaction();
        r.addSecret("hunter22".toCharArray());
        SmtpReply reply = new SmtpReply(535, new EnhancedStatus(5, 7, 8), List.of("bad password hunter22", "bye"));
        SmtpReply scrubbed = r.scrub(reply);
        assertThat(scrubbed.lines()).containsExactly("bad password <redacted>", "bye");
        assertThat(scrubbed.enhancedStatus()).isEqualTo(new EnhancedStatus(5, 7, 8));
        SmtpReply clean = SmtpReply.of(250, "ok");
        assertThat(r.scrub(clean)).isSameAs(clean);
        assertThat(r.scrub(new FailureInfo("java.io.IOException", "wrote hunter22")).message()).isEqualTo("wrote <redacted>");
    }

    /**
     * A server may echo the secret inside a longer base64 text, after 0, 1 or 2 bytes of its own (and followed by
     * 0, 1 or 2 more): each alignment encodes the secret to different characters. Whatever is left after scrubbing
     * must not decode to the secret, nor to any 4 bytes of it, at any character offset.
     */
    @Test
    void scrubsTheSecretInsideLongerBase64AtEveryAlignment() {
        for (String secret : List.of("hunter22", "ya29.A0ARrdaM-known-token-value", "päss wörd!")) {
            Redaction r = new Redaction();
            r.addSecret(secret.toCharArray());
            for (String prefix : List.of("", "x", "xy", "xyz", "you said: ")) {
                for (String suffix : List.of("", "!", "!?", "!?.")) {
                    String encoded = b64(prefix + secret + suffix);
                    for (String text : List.of(encoded, "334 " + encoded, "535 5.7.8 " + encoded + " rejected")) {
                        String scrubbed = r.scrub(text);
                        assertThat(scrubbed).as("%s in %s", secret, text).contains(Redaction.REDACTED);
                        assertThat(SecretForms.base64Decodings(scrubbed)).as("decodings of %s", scrubbed)
                                .noneMatch(d -> containsAnyWindow(d, secret.getBytes(StandardCharsets.UTF_8), 4));
                    }
                }
            }
        }
    }

    @Test
    void theOldScrubberMissedAShiftedEcho() {
        // The case a hostile server used: the token one byte into the base64 of a 334 challenge.
        Redaction r = new Redaction();
        r.addSecret("ya29.A0ARrdaM-known-token-value".toCharArray());
        String challenge = b64("x" + "ya29.A0ARrdaM-known-token-value");
        assertThat(r.scrub(challenge)).isEqualTo(Redaction.REDACTED);
    }

    @Test
    void cleanBase64KeepsItsCharacters() {
        Redaction r = new Redaction();
        r.addSecret("hunter22".toCharArray());
        String other = b64("an unrelated challenge of some length");
        assertThat(r.scrub(other)).isSameAs(other);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean containsAnyWindow(byte[] haystack, byte[] secret, int window) {
        for (int start = 0; start + window <= secret.length; start++) {
            byte[] w = Arrays.copyOfRange(secret, start, start + window);
            if (SecretForms.indexOf(haystack, w) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void clearForgetsTheSecrets() {
        Redaction r = new Redaction();
        r.addSecret("hunter22".toCharArray());
        assertThat(r.isEmpty()).isFalse();
        r.clear();
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.scrub("hunter22")).isEqualTo("hunter22");
    }
}
