package dev.smtpprobe.internal.auth;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reader could decode from a text: every run of base64 characters, decoded from each of its first four
 * character offsets (whole groups of 4 only). A secret that hides in base64 at any alignment shows up in one of
 * them. Test code: it says nothing of how the library redacts.
 */
final class Base64Runs {

    private static final Pattern RUN = Pattern.compile("[A-Za-z0-9+/]{4,}={0,2}");

    private Base64Runs() {
    }

    /** The decodings of every base64 run of {@code text}, at character offsets 0 to 3. */
    static List<byte[]> decodings(String text) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = RUN.matcher(text);
        while (m.find()) {
            String run = m.group();
            for (int offset = 0; offset < 4 && offset < run.length(); offset++) {
                String part = run.substring(offset);
                int usable = part.length() / 4 * 4;
                try {
                    out.add(Base64.getDecoder().decode(part.substring(0, usable)));
                } catch (IllegalArgumentException e) {
                    // padding in the middle: not a decodable run from this offset
                }
            }
        }
        return out;
    }

    /** Whether any decoding of {@code text} contains {@code secret}. */
    static boolean hides(String text, byte[] secret) {
        return decodings(text).stream().anyMatch(d -> indexOf(d, secret) >= 0);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
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
