package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.Texts;

/**
 * The underlying error behind a failed probe, kept as data: the exception type and its message, never the
 * exception itself (a result must stay a plain, serialisable value).
 *
 * @param type    the fully qualified class name, e.g. {@code java.net.ConnectException}
 * @param message the message, possibly empty; printable ({@link PrintableText#escape}) and at most
 *                {@value dev.smtpprobe.internal.Texts#MAX_FAILURE_MESSAGE} characters plus a {@code "... N more bytes"}
 *                marker
 */
public record FailureInfo(String type, String message) {

    /**
     * Checks the components.
     *
     * @param type the fully qualified class name, e.g. {@code java.net.ConnectException}
     * @param message the message, possibly empty; printable ({@link PrintableText#escape}) and at most {@value
     *     dev.smtpprobe.internal.Texts#MAX_FAILURE_MESSAGE} characters plus a {@code "... N more bytes"} marker
     */
    public FailureInfo {
        Arguments.requireNonNull(type, "type");
        message = message == null ? "" : Texts.printable(message, Texts.MAX_FAILURE_MESSAGE);
    }

    /**
     * The type and message of a throwable.
     *
     * @param t the throwable
     * @return its class name and its message made printable and bounded
     */
    public static FailureInfo of(Throwable t) {
        return new FailureInfo(t.getClass().getName(), t.getMessage());
    }

    @Override
    public String toString() {
        return message.isEmpty() ? type : type + ": " + message;
    }
}
