package dev.smtpprobe.netty.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A server that sends terminal controls (ESC sequences that retitle or clear the terminal, BEL, NUL, a bare CR
 * that rewinds the line, DEL, C1 CSI) in its banner, its EHLO lines and its rejections: none reaches the text a
 * person reads, and the transcript shows each one in a visible escaped form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlCharactersTest {

    /** Retitles the terminal (OSC 0), clears it, rings the bell, a NUL, and a bare CR that rewinds to "OK". */
    static final String BANNER = "220 mx.test \u001b]0;owned\u0007\u001b[2J\u0000 ESMTP\rOK all fine\r\n";
    static final String EHLO = "250-mx.test \u001b[31mred\r\n250-PIPELINING\u0007\r\n250 8BITMIME\u009b2J\u007f\r\n";
    static final String RCPT_REJECTION = "550-5.1.1 \u001b]2;title\u0007 no\rsuch user\r\n550 5.1.1 \u0000\u007f gone\u001b[A\r\n";

    private final NettyTransport transport = NettyTransport.withOwnThreads(1);
    private MockSmtpServer envelope;
    private MockSmtpServer greeting;

    @BeforeAll
    void servers() {
        envelope = new MockSmtpServer().start(Script.greeting(Effect.raw(BANNER)).on("EHLO", Effect.raw(EHLO))
                .on("RCPT", Effect.raw(RCPT_REJECTION)));
        greeting = new MockSmtpServer().start(Script.greeting(
                Effect.raw("554 5.7.1 \u001b[2J\u001b[H blocked using zen.spamhaus.org\rOK\u0007\r\n")));
    }

    @AfterAll
    void close() {
        envelope.close();
        greeting.close();
        transport.close();
    }

    private SmtpProbe.Builder probe(MockSmtpServer server) {
        return SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE).transport(transport)
                .ehloName("probe.test").confirmTlsMode(false).deadline(Duration.ofSeconds(10));
    }

    /** Where each control character of {@code text} is, as U+NNNN at its index; empty when there is none. */
    static List<String> controls(String text, boolean lineBreaksAllowed) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
            if (control && !(lineBreaksAllowed && c == '\n')) {
                found.add(String.format("U+%04X at %d", (int) c, i));
            }
        }
        return found;
    }

    private static void assertPrintable(ProbeResult r) {
        for (String text : ResultText.rendered(r)) {
            // Only the report has lines of its own.
            assertThat(controls(text, text.startsWith("Subject: "))).as("control characters in %s", text).isEmpty();
        }
        assertThat(controls(r.summary(), false)).isEmpty();
        assertThat(controls(r.detail(), false)).isEmpty();
        assertThat(controls(r.report(), true)).isEmpty();
        for (TranscriptLine line : r.transcript()) {
            assertThat(controls(line.text(), false)).as(line.text()).isEmpty();
            assertThat(controls(line.toString(), false)).isEmpty();
        }
    }

    @Test
    void bannerEhloAndRejectionsReachNoTextOutputRaw() {
        ProbeResult r = probe(envelope).envelope("probe@probe.test", "a@mx.test", "b@mx.test").run();
        assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.recipients()).hasSize(2);
        assertPrintable(r);
        // The data keeps what the server sent; every text for people shows it escaped, faithfully.
        assertThat(r.greeting().text()).contains("\u001b]0;owned\u0007");
        assertThat(r.greeting().toString()).contains("\\e]0;owned\\x07\\e[2J\\x00 ESMTP\\rOK all fine");
        assertThat(r.transcript()).extracting(TranscriptLine::text)
                .contains("220 mx.test \\e]0;owned\\x07\\e[2J\\x00 ESMTP\\rOK all fine", "250-mx.test \\e[31mred",
                        "250-PIPELINING\\x07", "250 8BITMIME\\x9b2J\\x7f", "550-5.1.1 \\e]2;title\\x07 no\\rsuch user",
                        "550 \\x00\\x7f gone\\e[A");
        assertThat(r.detail()).contains("\\e]2;title\\x07 no\\rsuch user");
        assertThat(r.recipients().get(0).detail()).contains("\\e]2;title\\x07");
        assertThat(r.report()).contains("\\e]0;owned\\x07");
    }

    @Test
    void aRejectedGreetingReachesNoTextOutputRaw() {
        ProbeResult r = probe(greeting).run();
        assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertPrintable(r);
        assertThat(r.summary()).contains("\\e[2J\\e[H blocked using zen.spamhaus.org\\rOK\\x07");
    }
}
