package dev.smtpprobe.spi;

import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/**
 * The peer answered a TLS handshake with bytes that are not TLS records: typically a plain-text {@code 220}
 * banner from a server that expects STARTTLS (or no TLS), i.e. implicit TLS spoken to a plain port. A
 * {@link Transport} reports it with the first bytes received, so core can tell a TLS-mode mismatch from garbage.
 */
public class NotTlsException extends SSLException {

    private static final long serialVersionUID = 1L;

    /** At most this many received bytes are kept. */
    public static final int MAX_KEPT_BYTES = 64;

    /** The first bytes the peer sent instead of a TLS record, at most {@link #MAX_KEPT_BYTES}. */
    private final byte[] firstBytes;

    /**
     * @param firstBytes the first bytes the peer sent instead of a TLS record (copied; at most
     *                   {@value #MAX_KEPT_BYTES} kept)
     */
    public NotTlsException(byte[] firstBytes) {
        super("peer answered the TLS handshake with non-TLS bytes: " + printable(firstBytes));
        int n = Math.min(firstBytes.length, MAX_KEPT_BYTES);
        this.firstBytes = java.util.Arrays.copyOf(firstBytes, n);
    }

    /** {@return the first bytes received (a copy)} */
    public byte[] firstBytes() {
        return firstBytes.clone();
    }

    /** {@return whether the bytes look like an SMTP reply ({@code ddd} followed by a space, a hyphen or a line end)} */
    public boolean looksLikeSmtpReply() {
        if (firstBytes.length < 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (firstBytes[i] < '0' || firstBytes[i] > '9') {
                return false;
            }
        }
        return firstBytes.length == 3 || firstBytes[3] == ' ' || firstBytes[3] == '-' || firstBytes[3] == '\r';
    }

    private static String printable(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, MAX_KEPT_BYTES), StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return sb.toString();
    }
}
