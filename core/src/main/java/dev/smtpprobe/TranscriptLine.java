package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;

/**
 * One line of a probe's transcript. Secrets are redacted before a line is recorded: an AUTH payload reads
 * {@code <redacted>}.
 *
 * @param offset    time since the probe started
 * @param direction who produced the line
 * @param text      the line without CRLF, or a note from the probe; printable: every control character is escaped
 *                  ({@link PrintableText#escape}, e.g. a bare CR reads {@code \r}), nothing else changed
 */
public record TranscriptLine(Duration offset, Direction direction, String text) {

    /** Who produced a transcript line. */
    public enum Direction {
        /** Sent by the probe ({@code >}). */
        CLIENT(">"),
        /** Received from the server ({@code <}). */
        SERVER("<"),
        /** A note from the probe itself: connecting, TLS established, DNS answers, failures ({@code *}). */
        INFO("*");

        private final String marker;

        Direction(String marker) {
            this.marker = marker;
        }

        /**
         * {@code >}, {@code <} or {@code *}.
         *
         * @return the one-character marker that starts the line in a printed transcript
         */
        public String marker() {
            return marker;
        }
    }

    /**
     * Checks the components.
     *
     * @param offset time since the probe started
     * @param direction who produced the line
     * @param text the line without CRLF, or a note from the probe; printable: every control character is escaped
     *     ({@link PrintableText#escape}, e.g. a bare CR reads {@code \r}), nothing else changed
     */
    public TranscriptLine {
        Arguments.requireNonNull(offset, "offset");
        Arguments.requireNonNull(direction, "direction");
        text = PrintableText.escape(Arguments.requireNonNull(text, "text"));
    }

    /** {@code "+0.012s > EHLO probe.example"}. */
    @Override
    public String toString() {
        long millis = offset.toMillis();
        return String.format(java.util.Locale.ROOT, "+%d.%03ds %s %s", millis / 1000, millis % 1000, direction.marker(), text);
    }
}
