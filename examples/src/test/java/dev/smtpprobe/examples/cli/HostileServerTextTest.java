package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's human output of a real probe (loopback, the Netty transport found by ServiceLoader) against a server
 * that sends terminal controls in its banner, EHLO lines and rejection: the only escape sequences in the output are
 * the CLI's own colours; the server's show as visible escapes. The JSON output stays JSON-escaped data.
 */
class HostileServerTextTest {

    /** Retitles the terminal, clears it, rings the bell, a NUL, and a bare CR that rewinds the line to "OK". */
    private static final String BANNER = "220 mx.test \u001b]0;owned\u0007\u001b[2J\u0000 ESMTP\rOK all fine\r\n";
    private static final String EHLO = "250-mx.test \u001b[H\u001b[2J\r\n250-PIPELINING\u0007\r\n250 8BITMIME\u009b2J\u007f\r\n";
    private static final String REJECTION = "550-5.1.1 \u001b]2;title\u0007 no\rsuch user\r\n550 5.1.1 \u0000 gone\u001b[A\r\n";

    private static ProbeResult probe(MockSmtpServer server) {
        return SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE).ehloName("client.test")
                .confirmTlsMode(false).envelope("probe@client.test", "a@mx.test").deadline(Duration.ofSeconds(10)).run();
    }

    /** Each control character of {@code text} but the line feed, as U+NNNN at its index. */
    private static List<String> controls(String text) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)) {
                found.add(String.format("U+%04X at %d", (int) c, i));
            }
        }
        return found;
    }

    @Test
    void humanOutputShowsTheServersControlsEscapedAndHasOnlyItsOwnColours() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(Effect.raw(BANNER))
                .on("EHLO", Effect.raw(EHLO)).on("RCPT", Effect.raw(REJECTION)))) {
            ProbeResult r = probe(server);
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);

            HumanFormat plain = new HumanFormat(Style.PLAIN);
            String text = plain.render(r, true) + plain.compact(r, "  ");
            assertThat(controls(text)).as(text).isEmpty();
            assertThat(text).contains("\\e]0;owned\\x07\\e[2J\\x00 ESMTP\\rOK all fine", "250-PIPELINING\\x07",
                    "8BITMIME\\x9b2J\\x7f", "\\e]2;title\\x07 no\\rsuch user");

            HumanFormat ansi = new HumanFormat(Style.ANSI);
            String coloured = ansi.render(r, true) + ansi.compact(r, "  ");
            // Style's own SGR sequences (bold, colours, reset) are the only escapes left.
            assertThat(controls(coloured.replaceAll("\u001b\\[[0-9;]*m", ""))).isEmpty();

            // The report output (--output report) is printable as well.
            assertThat(controls(r.report())).isEmpty();
        }
    }

    @Test
    void jsonKeepsTheDataAndEscapesItTheJsonWay() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(Effect.raw(BANNER))
                .on("EHLO", Effect.raw(EHLO)).on("RCPT", Effect.raw(REJECTION)))) {
            String json = Json.write(probe(server));
            assertThat(json).doesNotContain("\u001b", "\u0007", "\u0000", "\r")
                    .contains("mx.test \\u001B]0;owned\\u0007\\u001B[2J\\u0000 ESMTP\\rOK all fine");
        }
    }
}
