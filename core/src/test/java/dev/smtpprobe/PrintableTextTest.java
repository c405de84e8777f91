package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTextTest {

    @Test
    void terminalControlsBecomeVisibleEscapes() {
        // An OSC that retitles the terminal, a clear screen, a bell, a NUL and a bare CR that rewinds the line.
        String hostile = "\u001b]0;owned\u0007\u001b[2J\u0000 OK\rfake";
        assertThat(PrintableText.escape(hostile)).isEqualTo("\\e]0;owned\\x07\\e[2J\\x00 OK\\rfake");
    }

    @Test
    void everyC0AndC1ControlAndDelIsEscaped() {
        for (char c = 0; c < 0x20; c++) {
            assertThat(PrintableText.escape("a" + c + "b")).as("U+%04X", (int) c).doesNotContain(String.valueOf(c))
                    .startsWith("a\\").endsWith("b");
        }
        for (char c = 0x7f; c <= 0x9f; c++) {
            assertThat(PrintableText.escape(String.valueOf(c))).isEqualTo(String.format("\\x%02x", (int) c));
        }
        assertThat(PrintableText.escape("\t\n")).isEqualTo("\\t\\n");
    }

    @Test
    void bidiOverridesAndLineSeparatorsAreEscaped() {
        assertThat(PrintableText.escape("a\u202eb\u2028c\u2066d")).isEqualTo("a\\u202eb\\u2028c\\u2066d");
    }

    @Test
    void printableTextIsReturnedAsItIsAndEscapingIsIdempotent() {
        String clean = "550 5.7.1 Zugriff verweigert: caf\u00e9 \u2603 C:\\path";
        assertThat(PrintableText.escape(clean)).isSameAs(clean);
        assertThat(PrintableText.isPrintable(clean)).isTrue();
        String once = PrintableText.escape("x\u001by\rz\u0085");
        assertThat(PrintableText.escape(once)).isEqualTo(once);
        assertThat(PrintableText.isPrintable(once)).isTrue();
        assertThat(PrintableText.isPrintable("a\u0007")).isFalse();
        assertThat(PrintableText.escape(null)).isNull();
    }

    /**
     * Every UTF-16 code unit, alone and in four surroundings (ASCII, {@code '?'}, a Latin-1 letter, a surrogate
     * pair), against the rule of the class comment written out char by char.
     */
    @Test
    void everyCharacterIsEscapedExactlyByTheRuleWhateverSurroundsIt() {
        for (int c = 0; c <= 0xffff; c++) {
            String ch = String.valueOf((char) c);
            String[] texts = {ch, "250 ok " + ch, "?" + ch + "?", "\u00e9?" + ch, "\ud83d\ude00" + ch + "?"};
            for (String text : texts) {
                String expected = byTheRule(text);
                assertThat(PrintableText.escape(text)).as("U+%04X in %s", c, text).isEqualTo(expected);
                assertThat(PrintableText.isPrintable(text)).as("U+%04X in %s", c, text)
                        .isEqualTo(expected.equals(text));
            }
        }
        assertThat(PrintableText.escape("a?\u202e?b")).isEqualTo("a?\\u202e?b");
    }

    private static String byTheRule(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            boolean bidi = c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069);
            if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == 0x1b) {
                sb.append("\\e");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else if (bidi) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
