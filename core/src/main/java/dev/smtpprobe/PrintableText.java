package dev.smtpprobe;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from a server safe to print on a terminal or write to a log: every control character
 * becomes a visible escape, so a server cannot retitle or clear the operator's terminal, ring its bell, hide text
 * or overwrite the verdict line with a bare CR.
 *
 * <pre>{@code
 * System.out.println(PrintableText.escape(reply.text()));   // "\e]0;owned\x07" prints as those 12 characters
 * }</pre>
 *
 * <p>Escaped: the C0 controls U+0000 to U+001F ({@code \t}, {@code \n}, {@code \r}, {@code \e} for ESC, {@code \xNN}
 * for the others), DEL and the C1 controls U+007F to U+009F ({@code \xNN}), and the Unicode characters that move
 * or reorder text: the line and paragraph separators U+2028/U+2029 and the bidirectional marks, embeddings,
 * overrides and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), as {@code \}{@code uNNNN}.
 * Backslashes are kept as they are, so escaping is idempotent: escaped text escapes to itself.
 *
 * <p>Every text output of smtp-probe goes through this function: {@link ProbeResult#summary()},
 * {@link ProbeResult#report()}, the details of results, attempts and recipients, {@link TranscriptLine#text()},
 * {@link SmtpReply#toString()}. The data itself ({@link SmtpReply#lines()}, {@link Capabilities}) stays as the
 * server sent it. This class is threadsafe.
 */
public final class PrintableText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PrintableText() {
    }

    /**
     * {@code text} with every control character replaced by a visible escape; the same instance when there is
     * none, {@code null} for {@code null}.
     *
     * @param text any text, possibly {@code null}
     * @return the escaped text, {@code text} itself when nothing needs escaping, or {@code null} for {@code null}
     */
    public static @Nullable String escape(@Nullable String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case 0x1b -> sb.append("\\e");
                default -> {
                    if (c <= 0xff) {
                        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * Whether {@code text} has no character that {@link #escape} would replace ({@code null} has none).
     *
     * @param text any text, possibly {@code null}
     * @return {@code true} when {@link #escape} would return it unchanged
     */
    public static boolean isPrintable(@Nullable String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsEscape(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (c < 0x061c) {
            return false;
        }
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
