package dev.smtpprobe;

import java.util.Optional;

/**
 * An enhanced mail system status code (RFC 3463), such as {@code 5.7.1}: class, subject and detail.
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject     0 to 999: 1 addressing, 2 mailbox, 3 mail system, 4 network, 5 protocol, 6 content, 7 security
 * @param detail      0 to 999
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    /**
     * Checks the components.
     *
     * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
     * @param subject 0 to 999: 1 addressing, 2 mailbox, 3 mail system, 4 network, 5 protocol, 6 content, 7 security
     * @param detail 0 to 999
     */
    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("statusClass must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999) {
            throw new IllegalArgumentException("subject must be 0..999: " + subject);
        }
        if (detail < 0 || detail > 999) {
            throw new IllegalArgumentException("detail must be 0..999: " + detail);
        }
    }

    /**
     * Parses {@code "5.7.1"}; empty when the text is not an enhanced status code.
     *
     * @param text the text to parse, e.g. {@code "5.7.1"}; may be null
     * @return the status, or empty when {@code text} is not {@code class.subject.detail}
     */
    public static Optional<EnhancedStatus> parse(String text) {
        // Hand-parsed: it runs on the first line of every reply, so no regex and no streams.
        if (text == null || text.length() < 5 || text.length() > 9 || text.charAt(1) != '.') {
            return Optional.empty();
        }
        int c = text.charAt(0) - '0';
        if (c != 2 && c != 4 && c != 5) {
            return Optional.empty();
        }
        int second = text.indexOf('.', 2);
        if (second < 0) {
            return Optional.empty();
        }
        int subject = number(text, 2, second);
        int detail = number(text, second + 1, text.length());
        if (subject < 0 || detail < 0) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(c, subject, detail));
    }

    /** The number in {@code text[from, to)}: one to three digits, else -1. */
    private static int number(String text, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 3) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }

    /** {@code "5.7.1"}. */
    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
