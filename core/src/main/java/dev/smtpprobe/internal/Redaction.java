package dev.smtpprobe.internal;

import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.SmtpReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Scrubs known secrets out of text a server or a transport produced: a hostile or careless server may echo a
 * password or a token back in a challenge or an error reply. The SASL client lines themselves are never recorded
 * (the transcript shows {@code <redacted>} for them); this is the second line of defence for everything else.
 *
 * <p>Each secret is kept in the forms it may come back in: as typed, base64 of its UTF-8 bytes, and base64 of the
 * whole SASL payload. Forms are {@code char[]} and are compared without ever building a {@code String} of the
 * secret; {@link #clear()} zeroes them. Not threadsafe: it belongs to one conversation.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String REDACTED = "<redacted>";

    private final List<char[]> forms = new ArrayList<>();

    /** Adds a secret form (copied); empty forms are ignored. */
    public void add(char[] form) {
        if (form != null && form.length > 0) {
            forms.add(form.clone());
            // Longest first, so that base64 of a payload wins over a secret it contains.
            forms.sort(Comparator.comparingInt((char[] f) -> f.length).reversed());
        }
    }

    /** Adds the secret as typed and the base64 of its UTF-8 bytes. */
    public void addSecret(char[] secret) {
        add(secret);
        byte[] utf8 = Sasl.utf8(secret);
        try {
            char[] b64 = Sasl.base64(utf8);
            add(b64);
            Arrays.fill(b64, '\0');
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** Adds the base64 of a payload (e.g. the whole PLAIN message). */
    public void addBase64Of(byte[] payload) {
        char[] b64 = Sasl.base64(payload);
        add(b64);
        Arrays.fill(b64, '\0');
    }

    /** Whether no secret is known. */
    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** {@code text} with every known secret form replaced by {@value #REDACTED}; the same instance when clean. */
    public String scrub(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            int matched = matchAt(text, i);
            if (matched > 0) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, i).append(REDACTED);
                i += matched;
                copied = i;
            } else {
                i++;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** The reply with every line scrubbed; the same instance when clean. */
    public SmtpReply scrub(SmtpReply reply) {
        if (reply == null || forms.isEmpty()) {
            return reply;
        }
        List<String> lines = reply.lines();
        List<String> clean = new ArrayList<>(lines.size());
        boolean changed = false;
        for (String line : lines) {
            String s = scrub(line);
            changed |= s != line;
            clean.add(s);
        }
        return changed ? new SmtpReply(reply.code(), reply.enhancedStatus(), clean) : reply;
    }

    /** The failure with its message scrubbed. */
    public FailureInfo scrub(FailureInfo failure) {
        if (failure == null || forms.isEmpty()) {
            return failure;
        }
        String message = scrub(failure.message());
        return message == failure.message() ? failure : new FailureInfo(failure.type(), message);
    }

    /** Zeroes and forgets every form. */
    public void clear() {
        for (char[] f : forms) {
            Arrays.fill(f, '\0');
        }
        forms.clear();
    }

    /** The length of the longest form found at {@code at}, or 0. */
    private int matchAt(String text, int at) {
        for (char[] form : forms) {
            if (form.length <= text.length() - at && regionMatches(text, at, form)) {
                return form.length;
            }
        }
        return 0;
    }

    private static boolean regionMatches(String text, int at, char[] form) {
        for (int j = 0; j < form.length; j++) {
            if (text.charAt(at + j) != form[j]) {
                return false;
            }
        }
        return true;
    }
}
