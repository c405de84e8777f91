package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.Texts;
import org.jspecify.annotations.Nullable;

/**
 * How the server answered {@code RCPT TO} for one recipient of the probe's envelope
 * ({@link SmtpProbe.Builder#envelope(String, String...)}). No mail is ever sent: the probe says RSET after the
 * last recipient.
 *
 * <pre>{@code
 * for (RecipientResult r : result.recipients()) {
 *     System.out.println(r.address() + ": " + r.status() + " " + r.reason());
 * }
 * }</pre>
 *
 * @param address the recipient as given
 * @param status  accepted, rejected (temporarily or permanently), or not tried
 * @param reply   the server's reply to {@code RCPT TO}, or {@code null} when not tried
 * @param reason  why the server rejected (USER_UNKNOWN, RELAY_DENIED, GREYLISTED, MAILBOX_FULL, ...), or
 *                {@code null} when accepted or not tried
 * @param detail  a human description, e.g. why the recipient was not tried; printable
 *                ({@link PrintableText#escape}) and at most {@value dev.smtpprobe.internal.Texts#MAX_RECIPIENT_DETAIL}
 *                characters plus a {@code "... N more bytes"} marker
 */
public record RecipientResult(String address, Status status, @Nullable SmtpReply reply, @Nullable PolicyReason reason,
                              String detail) {

    /** How one recipient fared. */
    public enum Status {
        /** 250 or 251/252: the server would take mail for this recipient. */
        ACCEPTED,
        /** A 4xx reply: try later (greylisting, mailbox full, rate limit). */
        TRANSIENT_REJECTION,
        /** A 5xx reply: the server will not take mail for this recipient. */
        PERMANENT_REJECTION,
        /** RCPT TO was not sent: an earlier step failed, or the address cannot be sent to this server. */
        NOT_TRIED
    }

    /**
     * Checks the components.
     *
     * @param address the recipient as given
     * @param status accepted, rejected (temporarily or permanently), or not tried
     * @param reply the server's reply to {@code RCPT TO}, or {@code null} when not tried
     * @param reason why the server rejected (USER_UNKNOWN, RELAY_DENIED, GREYLISTED, MAILBOX_FULL, ...), or {@code
     *     null} when accepted or not tried
     * @param detail a human description, e.g. why the recipient was not tried; printable ({@link PrintableText#escape})
     *     and at most {@value dev.smtpprobe.internal.Texts#MAX_RECIPIENT_DETAIL} characters plus a {@code "... N more
     *     bytes"} marker
     */
    public RecipientResult {
        Arguments.requireNonNull(address, "address");
        Arguments.requireNonNull(status, "status");
        detail = Texts.printable(Arguments.requireNonNull(detail, "detail"), Texts.MAX_RECIPIENT_DETAIL);
    }

    /** {@return whether the server accepted this recipient} */
    public boolean isAccepted() {
        return status == Status.ACCEPTED;
    }

    /** {@return whether the server rejected this recipient, temporarily or permanently} */
    public boolean isRejected() {
        return status == Status.TRANSIENT_REJECTION || status == Status.PERMANENT_REJECTION;
    }

    /** {@code "bob@example.net: PERMANENT_REJECTION USER_UNKNOWN (550 5.1.1 ...)"}. */
    @Override
    public String toString() {
        return address + ": " + status + (reason == null ? "" : " " + reason)
                + (reply == null ? (detail.isEmpty() ? "" : " (" + detail + ")") : " (" + reply + ")");
    }
}
