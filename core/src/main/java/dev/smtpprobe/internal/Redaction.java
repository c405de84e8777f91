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
 * whole SASL payload. A server may also echo the secret inside a longer base64 text, where it starts 0, 1 or 2
 * bytes into a 3-byte group and so encodes to different characters: for each of the three alignments the
 * characters that depend on the secret alone are a form too, and a match of one also takes the base64 characters
 * of the groups on either side (up to 4 each way), which carry the secret's first and last bytes mixed with the
 * neighbours'. What remains decodes to no byte of the secret.
 *
 * <p>Forms are {@code char[]} and are compared without ever building a {@code String} of the secret;
 * {@link #clear()} zeroes them. Not threadsafe: it belongs to one conversation.
 */
final class Redaction {

    /** What replaces a secret. */
    public static final String REDACTED = "<redacted>";

    /** The base64 characters a group of 4 may hold (padding included). */
    private static final int GROUP = 4;

    private final List<Form> forms = new ArrayList<>();

    /**
     * A secret form, and how many base64 characters before ({@code lead}) and after ({@code trail}) a match also
     * carry bytes of the secret: a group of 4 when the secret shares that group with a neighbour, else 0.
     */
    private record Form(char[] chars, int lead, int trail) {
    }

    /** Adds a secret form (copied); empty forms are ignored. */
    public void add(char[] form) {
        add(form, 0, 0);
    }

    private void add(char[] form, int lead, int trail) {
        if (form != null && form.length > 0) {
            forms.add(new Form(form.clone(), lead, trail));
            // Longest first, so that base64 of a payload wins over a secret it contains.
            forms.sort(Comparator.comparingInt((Form f) -> f.chars().length).reversed());
        }
    }

    /**
     * Adds the secret as typed, the base64 of its UTF-8 bytes, and the part of that base64 that is the same
     * wherever the secret sits in a longer base64 text, for each of the three byte alignments.
     */
    public void addSecret(char[] secret) {
        add(secret);
        byte[] utf8 = Sasl.utf8(secret);
        try {
            char[] b64 = Sasl.base64(utf8);
            add(b64);
            Arrays.fill(b64, '\0');
            for (int skip = 0; skip < 3; skip++) {
                // Starting 'skip' bytes into the secret, whole 3-byte groups encode to the same 4 characters
                // whatever precedes the secret; the characters of a group shared with a neighbour do not.
                int whole = (utf8.length - skip) / 3 * 3;
                if (whole > 0) {
                    byte[] part = Arrays.copyOfRange(utf8, skip, skip + whole);
                    char[] aligned = Sasl.base64(part);
                    add(aligned, skip > 0 ? GROUP : 0, utf8.length - skip > whole ? GROUP : 0);
                    Arrays.fill(aligned, '\0');
                    Arrays.fill(part, (byte) 0);
                }
            }
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
            Form matched = matchAt(text, i);
            if (matched != null) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                int start = i;
                int end = i + matched.chars().length;
                // The groups either side may carry the secret's first and last bytes: they go too.
                while (start > copied && i - start < matched.lead() && isBase64(text.charAt(start - 1))) {
                    start--;
                }
                int limit = Math.min(text.length(), end + matched.trail());
                while (end < limit && isBase64(text.charAt(end))) {
                    end++;
                }
                out.append(text, copied, start).append(REDACTED);
                i = end;
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
        for (Form f : forms) {
            Arrays.fill(f.chars(), '\0');
        }
        forms.clear();
    }

    /** The longest form found at {@code at}, or null. */
    private Form matchAt(String text, int at) {
        for (Form form : forms) {
            char[] chars = form.chars();
            if (chars.length <= text.length() - at && regionMatches(text, at, chars)) {
                return form;
            }
        }
        return null;
    }

    private static boolean isBase64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
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
