package dev.smtpprobe.internal.proxy;

import java.time.Duration;
import java.util.Locale;

/** Formatting of proxy answers for messages: printable, bounded, never raw bytes. */
final class Bytes {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {
    }

    /**
     * The first {@code count} bytes as printable ASCII between quotes, every other byte as {@code \xNN} (CR and LF
     * as {@code \r} and {@code \n}); "nothing" for none.
     */
    static String quote(byte[] bytes, int count) {
        if (count == 0) {
            return "nothing";
        }
        StringBuilder sb = new StringBuilder(count * 2 + 2).append('\'');
        for (int i = 0; i < count; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') {
                sb.append("\\r");
            } else if (b == '\n') {
                sb.append("\\n");
            } else if (b >= 0x20 && b < 0x7f && b != '\'' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return sb.append('\'').toString();
    }

    /** {@code 0x05}. */
    static String hex(int value) {
        return "0x" + HEX[(value >> 4) & 0xf] + HEX[value & 0xf];
    }

    /** {@code 250 ms}, {@code 10 s}, {@code 1.5 s}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
