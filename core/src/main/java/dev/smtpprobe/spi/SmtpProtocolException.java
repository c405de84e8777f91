package dev.smtpprobe.spi;

import java.util.Objects;

/**
 * The server sent something that is not a valid SMTP reply. Raised by {@link ReplyDecoder}; a transport reports
 * it to {@link Dialogue#onFailure} as it is.
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

    private final Kind kind;

    public SmtpProtocolException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What was wrong. */
    public Kind kind() {
        return kind;
    }
}
