package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void aLongTextIsCutWithTheBytesNotKept() {
        assertThat(Texts.cut("abcdef", 6)).isEqualTo("abcdef");
        assertThat(Texts.cut("abcdef", 4)).isEqualTo("abcd... 2 more bytes");
        // UTF-8: é is 2 bytes, the snowman 3, the emoji (a surrogate pair, never split) 4.
        assertThat(Texts.cut("ab\u00e9\u2603\uD83D\uDE00", 2)).isEqualTo("ab... 9 more bytes");
        assertThat(Texts.cut("ab\uD83D\uDE00c", 3)).isEqualTo("ab... 5 more bytes");
    }

    @Test
    void printableEscapesBeforeItCuts() {
        assertThat(Texts.printable("\u001b[2Jok", 100)).isEqualTo("\\e[2Jok");
        assertThat(Texts.printable("\u0007\u0007\u0007", 4)).isEqualTo("\\x07... 8 more bytes");
    }

    @Test
    void aReplyKeepsWholeLinesThenTheStartOfTheNextThenAMarker() {
        SmtpReply reply = new SmtpReply(550, EnhancedStatus.parse("5.7.1").orElseThrow(),
                List.of("first line", "second line", "third line"));
        assertThat(Texts.cut(reply, 100, UnaryOperator.identity())).isSameAs(reply);
        SmtpReply cut = Texts.cut(reply, 16, UnaryOperator.identity());
        // "first line" (10) + separator + "secon" (5) = 16; "d line" (6), a line break and "third line" (10) are not.
        assertThat(cut.lines()).containsExactly("first line", "secon", "... 17 more bytes");
        assertThat(cut.code()).isEqualTo(550);
        assertThat(cut.enhancedStatus()).isEqualTo(reply.enhancedStatus());
    }

    @Test
    void aReplyOfManyEmptyLinesIsBoundedToo() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("");
        }
        SmtpReply cut = Texts.cut(new SmtpReply(250, null, lines), 10, UnaryOperator.identity());
        assertThat(cut.lines()).hasSize(12).endsWith("... 489 more bytes");
    }

    @Test
    void eachLineIsTransformedWholeBeforeTheCutSoASecretAcrossTheCutIsRedacted() {
        SmtpReply reply = SmtpReply.of(535, "bad credentials hunter2hunter2 for you");
        SmtpReply cut = Texts.cut(reply, 20, line -> line.replace("hunter2hunter2", "<redacted>"));
        assertThat(cut.text()).doesNotContain("hunter").startsWith("bad credentials <red");
    }

    @Test
    void thePrefixIsTheStartOfTheJoinedText() {
        SmtpReply reply = new SmtpReply(550, null, List.of("abc", "def", "ghi"));
        assertThat(Texts.prefix(reply, 100)).isEqualTo(reply.text());
        assertThat(Texts.prefix(reply, 5)).isEqualTo("abc d");
        assertThat(Texts.prefix(reply, 4)).isEqualTo("abc ");
    }
}
