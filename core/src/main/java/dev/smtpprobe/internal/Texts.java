package dev.smtpprobe.internal;

import dev.smtpprobe.PrintableText;
import dev.smtpprobe.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The size limits of the text a result keeps, and the one way to apply them: whatever a server sends (the reply
 * decoder allows 2 MiB per reply), a stored text is cut at its limit, marker included, with a visible
 * {@code "... N more bytes"} marker, N counting the UTF-8 bytes not kept. The figures are in the README ("Reliability"). Pure code; this
 * class is threadsafe.
 */
public final class Texts {

    /** A stored reply keeps at most this many characters of text (EHLO and AUTH replies: {@link #MAX_LONG_REPLY}). */
    public static final int MAX_REPLY = 2048;
    /** An EHLO reply (the capabilities are read from what is kept) and an AUTH reply (a 334 line is whole). */
    public static final int MAX_LONG_REPLY = 4096;
    /** The replies to RCPT TO share this many characters: each keeps at most this over the number of recipients. */
    public static final int MAX_RECIPIENT_REPLIES = 4096;
    /** ... but never fewer than this many characters per recipient reply. */
    public static final int MIN_RECIPIENT_REPLY = 128;
    /** The detail of a result or an attempt. */
    public static final int MAX_DETAIL = 1024;
    /** The detail of one recipient. */
    public static final int MAX_RECIPIENT_DETAIL = 512;
    /** The message of a failure. */
    public static final int MAX_FAILURE_MESSAGE = 1024;
    /** How much of a reply's text the policy classifier reads: the words that name a cause come first. */
    public static final int MAX_CLASSIFIED = 2048;
    /** The whole escalation report. */
    public static final int MAX_REPORT = 64 * 1024;

    private Texts() {
    }

    /**
     * {@code text} escaped for printing ({@link PrintableText#escape}) and {@link #cut(String, int) cut} to at most
     * {@code max} characters; the same instance when it is printable and short enough, {@code null} for
     * {@code null}.
     */
    public static String printable(String text, int max) {
        return cut(PrintableText.escape(text), max);
    }

    /**
     * {@code text} cut so that, with the {@code "... N more bytes"} marker that follows, it is at most {@code max}
     * characters (never between the two halves of a surrogate pair); the same instance when it is short enough,
     * {@code null} for {@code null}. Idempotent: a cut text is not cut again.
     */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // Room for the longest marker this text can need; the real one is as long or shorter.
        int room = marker(utf8Length(text, 0, text.length())).length();
        int end = safeEnd(text, Math.max(0, max - room));
        return text.substring(0, end) + marker(utf8Length(text, end, text.length()));
    }

    /**
     * The reply with at most {@code max} characters of text (a line break counting as one): whole lines while they fit, then the start of the
     * line that does not, then a last line {@code "... N more bytes"} (N counting every byte not kept, a line break as one). Each line
     * looked at goes through {@code perLine} before it is cut (the redaction of secrets, which must see whole
     * lines); lines past the limit are only counted. The same instance when it fits and {@code perLine} changed
     * nothing.
     */
    public static SmtpReply cut(SmtpReply reply, int max, UnaryOperator<String> perLine) {
        List<String> lines = reply.lines();
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        int used = 0;
        long dropped = 0;
        for (String line : lines) {
            if (used >= max) {
                dropped += 1 + utf8Length(line, 0, line.length()); // its line break, then its text
                continue;
            }
            String clean = perLine.apply(line);
            changed |= clean != line;
            // A line costs its separator too, so that a reply of empty lines is bounded as well.
            int separator = kept.isEmpty() ? 0 : 1;
            if (used + separator + clean.length() <= max) {
                kept.add(clean);
                used += separator + clean.length();
            } else {
                int end = safeEnd(clean, Math.max(0, max - used - separator));
                kept.add(clean.substring(0, end));
                dropped += utf8Length(clean, end, clean.length());
                used = max;
            }
        }
        if (used >= max && dropped > 0) {
            kept.add(marker(dropped));
            changed = true;
        }
        return changed ? new SmtpReply(reply.code(), reply.enhancedStatus(), kept) : reply;
    }

    /** The first {@code max} characters of the reply's {@link SmtpReply#text()}, without joining all of it. */
    public static String prefix(SmtpReply reply, int max) {
        StringBuilder sb = new StringBuilder(Math.min(max, 256));
        for (String line : reply.lines()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(line, 0, Math.min(line.length(), max - sb.length()));
            if (sb.length() >= max) {
                sb.setLength(max);
                break;
            }
        }
        return sb.toString();
    }

    private static String marker(long bytes) {
        return "... " + bytes + " more bytes";
    }

    /** {@code max}, or one less when that would split a surrogate pair. */
    private static int safeEnd(String text, int max) {
        return max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }

    /** How many bytes {@code text[from, to)} takes in UTF-8, without encoding it. */
    static long utf8Length(String text, int from, int to) {
        long bytes = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
