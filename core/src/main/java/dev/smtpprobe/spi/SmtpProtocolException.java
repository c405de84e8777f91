package dev.smtpprobe.spi;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.Arguments;
import java.util.List;

/**
 * The server sent something that is not a valid SMTP reply. Raised by {@link ReplyDecoder}; core's connection
 * rules make it the connection's failure as it is.
 */
public class SmtpProtocolException extends java.io.IOException {

    private static final long serialVersionUID = 1L;

    /** What was wrong with the input. */
    public enum Kind {
        /** Before any valid reply: the peer speaks another protocol (HTTP, SSH, TLS records, binary). */
        NOT_SMTP,
        /** A line that is not {@code ddd[ -]text}, or a continuation with another code. */
        MALFORMED,
        /** A line longer than the decoder's limit. */
        LINE_TOO_LONG,
        /** A reply with more lines than the decoder's limit. */
        TOO_MANY_LINES
    }

    /** What was wrong with the input. */
    private final Kind kind;
    private final transient List<SmtpReply> repliesBefore;

    /**
     * Invalid input with no reply completed before it.
     *
     * @param kind what was wrong with the input
     * @param message what was received and why it is invalid
     */
    public SmtpProtocolException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    /**
     * Invalid input that came after some valid replies in the same buffer.
     *
     * @param kind what was wrong with the input
     * @param message what was received and why it is invalid
     * @param repliesBefore the replies completed in the same input before the invalid part (see
     *                      {@link ReplyDecoder#decode(java.nio.ByteBuffer)})
     */
    public SmtpProtocolException(Kind kind, String message, List<SmtpReply> repliesBefore) {
        super(message);
        this.kind = Arguments.requireNonNull(kind, "kind");
        this.repliesBefore = List.copyOf(Arguments.requireNonNull(repliesBefore, "repliesBefore"));
    }

    /** {@return what was wrong} */
    public Kind kind() {
        return kind;
    }

    /**
     * The valid replies that arrived in the same input just before the invalid part, in order; they are delivered
     * before this failure is reported. Empty when none (or after serialization).
     *
     * @return the replies completed just before the invalid part, possibly empty
     */
    public List<SmtpReply> repliesBefore() {
        return repliesBefore == null ? List.of() : repliesBefore;
    }
}
