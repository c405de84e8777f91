package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One complete SMTP reply (RFC 5321 §4.2), possibly spanning several lines.
 *
 * <p>For {@code "250-mx.example.net Hello"} / {@code "250 SIZE 1000"} the code is 250 and the lines are
 * {@code ["mx.example.net Hello", "SIZE 1000"]}. The enhanced status code (RFC 3463), when the first line starts
 * with one, is parsed out and kept apart; {@link #text()} never contains it.
 *
 * @param code           the three-digit reply code, 200 to 599
 * @param enhancedStatus the enhanced status code of the reply, or {@code null} when the server sent none
 * @param lines          the text of each line, without the code, the separator and the enhanced status code
 */
public record SmtpReply(int code, @Nullable EnhancedStatus enhancedStatus, List<String> lines) {

    /**
     * Checks and copies the components.
     *
     * @param code the three-digit reply code, 200 to 599
     * @param enhancedStatus the enhanced status code of the reply, or {@code null} when the server sent none
     * @param lines the text of each line, without the code, the separator and the enhanced status code
     */
    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("code must be 200..599: " + code);
        }
        lines = List.copyOf(Arguments.requireNonNull(lines, "lines"));
    }

    /**
     * A one-line reply without an enhanced status code.
     *
     * @param code the three-digit reply code, 200 to 599
     * @param text the reply text, one line
     * @return the reply
     */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, null, List.of(text));
    }

    /** {@return the text of all lines joined with a space} */
    public String text() {
        return String.join(" ", lines);
    }

    /**
     * 2xx.
     *
     * @return {@code true} for a 2xx reply
     */
    public boolean isPositive() {
        return code / 100 == 2;
    }

    /**
     * 3xx: the server waits for more input (AUTH challenges, DATA).
     *
     * @return {@code true} for a 3xx reply
     */
    public boolean isIntermediate() {
        return code / 100 == 3;
    }

    /**
     * 4xx.
     *
     * @return {@code true} for a 4xx reply
     */
    public boolean isTransientFailure() {
        return code / 100 == 4;
    }

    /**
     * 5xx.
     *
     * @return {@code true} for a 5xx reply
     */
    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    /**
     * The reply as the server would write it on one line, e.g. {@code "550 5.7.1 Relaying denied"}, printable: control
     * characters are escaped ({@link PrintableText#escape}). {@link #lines()} and {@link #text()} keep them.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(code);
        if (enhancedStatus != null) {
            sb.append(' ').append(enhancedStatus);
        }
        if (!lines.isEmpty()) {
            sb.append(' ').append(text());
        }
        return PrintableText.escape(sb.toString());
    }
}
