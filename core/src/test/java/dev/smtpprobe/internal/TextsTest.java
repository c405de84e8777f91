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
    void aLongTextIsCutWithTheBytesNotKeptAndTheMarkerWithinTheLimit() {
        String text = "x".repeat(100);
        assertThat(Texts.cut(text, 100)).isSameAs(text);
        String cut = Texts.cut(text, 40);
        // Room is made for "... 100 more bytes" (18): 22 characters are kept, and 78 bytes are not.
        assertThat(cut).isEqualTo("x".repeat(22) + "... 78 more bytes").hasSizeLessThanOrEqualTo(40);
        assertThat(Texts.cut(cut, 40)).as("idempotent").isSameAs(cut);
    }

    @Test
    void theBytesNotKeptAreCountedInUtf8AndASurrogatePairIsNeverSplit() {
        // é is 2 bytes in UTF-8, the snowman 3, the emoji (a surrogate pair) 4.
        String text = "x".repeat(30) + "\u00e9\u2603\uD83D\uDE00";
        // Room for "... 39 more bytes" (17): 13 characters kept; 17 x and 9 bytes of the others are not.
        assertThat(Texts.cut(text, 30)).isEqualTo("x".repeat(13) + "... 26 more bytes");
        String pair = "x".repeat(19) + "\uD83D\uDE00" + "y".repeat(20);
        // 37 less the room for "... 43 more bytes" would cut between the two halves of the emoji: it cuts before.
        assertThat(Texts.cut(pair, 37)).isEqualTo("x".repeat(19) + "... 24 more bytes");
    }

    @Test
    void printableEscapesBeforeItCuts() {
        assertThat(Texts.printable("\u001b[2Jok", 100)).isEqualTo("\\e[2Jok");
        assertThat(Texts.printable("\u0007".repeat(10), 29)).isEqualTo("\\x07\\x07\\x07... 28 more bytes");
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
