package dev.smtpprobe.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.Redaction;
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
