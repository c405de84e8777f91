package dev.smtpprobe.spi;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.Arguments;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns the bytes a server sends into {@link SmtpReply} values (RFC 5321 §4.2), incrementally and in bounded
 * memory: input may arrive split at any byte; at most {@code maxLineLength} bytes of an unfinished line and
 * {@code maxLines} lines of an unfinished reply are held (with the defaults, at most 2 MiB of reply text however
 * much the server sends; an endless line fails after 4 KiB). Pure code: no I/O, no threads.
 *
 * <p>Before the first complete reply, input that cannot be SMTP is recognised and reported as
 * {@link SmtpProtocolException.Kind#NOT_SMTP} with the protocol named: TLS records, SSH, HTTP, or binary data.
 * Lines may end with CRLF or a bare LF. Non-UTF-8 bytes are decoded leniently (replaced), never fatal.
 *
 * <p>Not threadsafe: one instance per connection.
 *
 * <pre>{@code
 * ReplyDecoder decoder = new ReplyDecoder();
 * for (SmtpReply reply : decoder.decode(ByteBuffer.wrap("220 mx ESMTP\r\n".getBytes(US_ASCII)))) { ... }
 * }</pre>
 */
public final class ReplyDecoder {

    /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it, so allow 4 KiB. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 4096;
    /** Many more than any real EHLO reply has. */
    public static final int DEFAULT_MAX_LINES = 512;
    /** A typical reply line fits; longer ones double the buffer. */
    private static final int INITIAL_LINE_CAPACITY = 128;

    private final int maxLineLength;
    private final int maxLines;
    /** Grows on demand up to {@code maxLineLength + 1}: most replies are short, and many decoders wait at once. */
    private byte[] line;
    private int lineLength;
    private final List<String> replyLines = new ArrayList<>();
    /** Bytes of the complete lines of the unfinished reply, as received (without line endings). */
    private int replyBytes;
    private int replyCode = -1;
    private EnhancedStatus replyStatus;
    private boolean sawReply;
    private boolean failed;

    /** A decoder with the default limits. */
    public ReplyDecoder() {
        this(DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_LINES);
    }

    /**
     * @param maxLineLength the longest line accepted, in bytes without the line ending (at least 8)
     * @param maxLines      the most lines one reply may have (at least 1)
     */
    public ReplyDecoder(int maxLineLength, int maxLines) {
        if (maxLineLength < 8) {
            throw new IllegalArgumentException("maxLineLength must be at least 8: " + maxLineLength);
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be at least 1: " + maxLines);
        }
        this.maxLineLength = maxLineLength;
        this.maxLines = maxLines;
        this.line = new byte[Math.min(maxLineLength + 1, INITIAL_LINE_CAPACITY)];
    }

    /**
     * Consumes all of {@code in} and returns the replies it completed, in order (often none or one).
     *
     * <p>When the input turns invalid after some replies were completed by the same call, those replies are not
     * lost: they are attached to the exception as {@link SmtpProtocolException#repliesBefore()}, so the outcome does
     * not depend on how the input was chunked. {@link #decode(ByteBuffer, Consumer)} delivers them as they complete
     * instead.
     *
     * @param in the bytes received; consumed entirely
     * @return the replies completed by these bytes, in order; often empty
     * @throws SmtpProtocolException when the input is not valid SMTP; the decoder is then unusable
     */
    public List<SmtpReply> decode(ByteBuffer in) throws SmtpProtocolException {
        List<SmtpReply> out = new ArrayList<>(1);
        try {
            decode(in, out::add);
        } catch (SmtpProtocolException e) {
            if (out.isEmpty()) {
                throw e;
            }
            SmtpProtocolException withReplies = new SmtpProtocolException(e.kind(), e.getMessage(), out);
            withReplies.setStackTrace(e.getStackTrace());
            throw withReplies;
        }
        return out.isEmpty() ? List.of() : out;
    }

    /**
     * Consumes all of {@code in}, handing each reply to {@code sink} as soon as its last line is complete. A reply
     * completed before invalid input in the same buffer reaches the sink before the exception is thrown.
     *
     * @param in the bytes received; consumed entirely
     * @param sink receives each reply as soon as it is complete
     * @throws SmtpProtocolException when the input is not valid SMTP; the decoder is then unusable
     */
    public void decode(ByteBuffer in, Consumer<? super SmtpReply> sink) throws SmtpProtocolException {
        Arguments.requireNonNull(sink, "sink");
        if (failed) {
            throw new IllegalStateException("decoder already failed");
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                String text = new String(line, 0, end, StandardCharsets.UTF_8);
                lineLength = 0;
                SmtpReply reply = acceptLine(text, end);
                if (reply != null) {
                    sink.accept(reply);
                }
                continue;
            }
            if (lineLength == maxLineLength + 1 || (lineLength == maxLineLength && b != '\r')) {
                String other = sniff(false);
                throw other != null
                        ? fail(SmtpProtocolException.Kind.NOT_SMTP, "peer speaks " + other + ", not SMTP")
                        : fail(SmtpProtocolException.Kind.LINE_TOO_LONG, "reply line longer than " + maxLineLength + " bytes");
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineLength + 1, line.length * 2));
            }
            line[lineLength++] = b;
            // Every sniffing decision rests on the first five bytes, so later bytes cannot change it.
            if (lineLength <= 5 && !sawReply && replyLines.isEmpty()) {
                String other = sniff(true);
                if (other != null) {
                    throw fail(SmtpProtocolException.Kind.NOT_SMTP, "peer speaks " + other + ", not SMTP");
                }
            }
        }
    }

    /**
     * Forgets buffered input, as after STARTTLS (RFC 3207 §4.2: anything the server sent before the handshake
     * must be discarded). Whether a reply was already seen is kept, so input after the reset is judged as
     * {@link SmtpProtocolException.Kind#MALFORMED}, not {@link SmtpProtocolException.Kind#NOT_SMTP}. A failed
     * decoder stays failed.
     */
    public void reset() {
        lineLength = 0;
        replyLines.clear();
        replyBytes = 0;
        replyCode = -1;
        replyStatus = null;
    }

    /**
     * Bytes of an unfinished line or reply held now, as received (line endings of complete lines excluded).
     * Never more than {@code maxLineLength + 1} for the unfinished line (the extra byte is a pending CR).
     *
     * @return the number of bytes held for an unfinished line or reply
     */
    public int bufferedBytes() {
        return lineLength + replyBytes;
    }

    /**
     * What the partial input held at the end of the stream looks like, for a peer that closed or went silent
     * mid-line: the other protocol's name, or {@code null} when it could still be SMTP.
     *
     * @return the name of the protocol the partial input looks like, or {@code null}
     */
    public @Nullable String describePartialInput() {
        return sniff(false);
    }

    private SmtpReply acceptLine(String text, int byteLength) throws SmtpProtocolException {
        if (text.length() < 3 || !isDigit(text.charAt(0)) || !isDigit(text.charAt(1)) || !isDigit(text.charAt(2))
                || (text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
            if (!sawReply && replyLines.isEmpty()) {
                throw fail(SmtpProtocolException.Kind.NOT_SMTP, "peer speaks " + classify(text) + ", not SMTP: "
                        + abbreviate(text));
            }
            throw fail(SmtpProtocolException.Kind.MALFORMED, "malformed reply line: " + abbreviate(text));
        }
        int code = Integer.parseInt(text.substring(0, 3));
        if (code < 200 || code > 599) {
            throw fail(sawReply ? SmtpProtocolException.Kind.MALFORMED : SmtpProtocolException.Kind.NOT_SMTP,
                    "reply code out of range: " + abbreviate(text));
        }
        if (replyCode != -1 && code != replyCode) {
            throw fail(SmtpProtocolException.Kind.MALFORMED,
                    "continuation line with code " + code + " inside a " + replyCode + " reply");
        }
        boolean last = text.length() == 3 || text.charAt(3) == ' ';
        String rest = text.length() > 4 ? text.substring(4) : "";
        if (replyLines.isEmpty()) {
            replyCode = code;
            int space = rest.indexOf(' ');
            String first = space < 0 ? rest : rest.substring(0, space);
            var status = EnhancedStatus.parse(first).filter(s -> s.statusClass() == code / 100);
            if (status.isPresent()) {
                replyStatus = status.get();
                rest = space < 0 ? "" : rest.substring(space + 1);
            }
        } else if (replyStatus != null) {
            // RFC 3463 servers repeat the code on every line ("550-5.7.1 ..."); drop the repeat, but only a whole
            // token equal to it: "5.7.10" is not a repeat of "5.7.1".
            int space = rest.indexOf(' ');
            String first = space < 0 ? rest : rest.substring(0, space);
            if (EnhancedStatus.parse(first).filter(replyStatus::equals).isPresent()) {
                rest = space < 0 ? "" : rest.substring(space + 1);
            }
        }
        if (replyLines.size() == maxLines) {
            throw fail(SmtpProtocolException.Kind.TOO_MANY_LINES, "reply has more than " + maxLines + " lines");
        }
        replyLines.add(rest);
        replyBytes += byteLength;
        if (!last) {
            return null;
        }
        SmtpReply reply = new SmtpReply(replyCode, replyStatus, replyLines);
        replyLines.clear();
        replyBytes = 0;
        replyCode = -1;
        replyStatus = null;
        sawReply = true;
        return reply;
    }

    /**
     * Names a non-SMTP protocol recognisable from the start of the current partial line, or null. When
     * {@code eager}, only what is certain before the line ends (TLS records, SSH, HTTP, binary) is named.
     */
    private String sniff(boolean eager) {
        if (sawReply || !replyLines.isEmpty() || lineLength == 0) {
            return null;
        }
        int b0 = line[0] & 0xff;
        if (b0 == 0x16 || b0 == 0x15 || b0 == 0x17) {
            // A TLS record: handshake, alert or application data, then major version 3.
            if (lineLength >= 2 && (line[1] & 0xff) == 0x03) {
                return "TLS";
            }
            if (lineLength == 1 && eager) {
                return null; // the next byte decides between TLS and other binary data
            }
        }
        String start = new String(line, 0, Math.min(lineLength, 5), StandardCharsets.ISO_8859_1);
        if (startsWith(start, "SSH-")) {
            return "SSH";
        }
        if (startsWith(start, "HTTP/")) {
            return "HTTP";
        }
        for (int i = 0; i < Math.min(lineLength, 3); i++) {
            int c = line[i] & 0xff;
            if (!isDigit((char) c)) {
                if (c < 0x20 && c != '\r' && c != '\t' || c >= 0x7f) {
                    return "binary data";
                }
                return eager ? null : "an unknown text protocol";
            }
        }
        return null;
    }

    private static boolean startsWith(String have, String prefix) {
        return prefix.startsWith(have) ? have.length() == prefix.length() : have.startsWith(prefix);
    }

    private static String classify(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SSH-")) {
            return "SSH";
        }
        if (upper.startsWith("HTTP/") || upper.contains("<HTML")) {
            return "HTTP";
        }
        if (upper.startsWith("+OK") || upper.startsWith("* OK")) {
            return upper.startsWith("+OK") ? "POP3" : "IMAP";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0xfffd) {
                return "binary data";
            }
        }
        return "an unknown text protocol";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String abbreviate(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 60; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '.' : c);
        }
        return text.length() > 60 ? sb + "..." : sb.toString();
    }

    private SmtpProtocolException fail(SmtpProtocolException.Kind kind, String message) {
        failed = true;
        lineLength = 0;
        replyLines.clear();
        replyBytes = 0;
        return new SmtpProtocolException(kind, message);
    }
}
