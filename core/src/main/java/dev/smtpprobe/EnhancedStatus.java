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

    /** Parses {@code "5.7.1"}; empty when the text is not an enhanced status code. */
    public static Optional<EnhancedStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return Optional.empty();
                }
            }
            int c = Integer.parseInt(parts[0]);
            if (parts[0].length() != 1 || (c != 2 && c != 4 && c != 5)) {
                return Optional.empty();
            }
            return Optional.of(new EnhancedStatus(c, Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code "5.7.1"}. */
    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
