package dev.smtpprobe.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a text gives a secret away, as a reader would find it: the secret as typed, or base64 that decodes to it
 * wherever it starts. A secret echoed inside longer base64 starts 0, 1 or 2 bytes into a 3-byte group and encodes
 * to different characters each time, so looking for the base64 of the secret alone is not enough; this decodes every
 * run of base64 characters from each of its first four character offsets and looks in the bytes.
 *
 * <pre>{@code
 * assertThat(SecretForms.reveals(result.report(), "hunter22")).isFalse();
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class SecretForms {

    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/]{4,}={0,2}");

    private SecretForms() {
    }

    /**
     * Returns whether {@code text} holds {@code secret} as typed, or base64 that decodes to bytes containing its
     * UTF-8 form, at any alignment.
     *
     * @param text   the text to search
     * @param secret the secret
     * @return true when the text gives the secret away
     */
    public static boolean reveals(String text, String secret) {
        if (text.contains(secret)) {
            return true;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return base64Decodings(text).stream().anyMatch(d -> indexOf(d, bytes) >= 0);
    }

    /**
     * Returns what a reader could decode from {@code text}: every run of base64 characters, decoded from each of its
     * first four character offsets (whole groups of 4 only).
     *
     * @param text the text to search
     * @return the decoded bytes, one array per run and offset
     */
    public static List<byte[]> base64Decodings(String text) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = RUN.matcher(text);
        while (m.find()) {
            String run = m.group();
            for (int offset = 0; offset < 4 && offset < run.length(); offset++) {
                String part = run.substring(offset);
                try {
                    out.add(Base64.getDecoder().decode(part.substring(0, part.length() / 4 * 4)));
                } catch (IllegalArgumentException e) {
                    // padding inside the part: nothing decodes from this offset
                }
            }
        }
        return out;
    }

    /**
     * Returns the index of {@code needle} in {@code haystack}, or -1.
     *
     * @param haystack the bytes to search
     * @param needle   the bytes to find
     * @return the first index, or -1
     */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
