package dev.smtpprobe.netty.internal.socket;

import javax.net.ssl.SNIHostName;

/** The SNI name for a host as the user gave it (RFC 6066 §3), shared by both TLS paths. Netty-free. */
final class Sni {

    private Sni() {
    }

    /**
     * The SNI host name for {@code host}, or {@code null} when it is an address literal (RFC 6066 §3 forbids
     * those in SNI) or not a name SNI can carry. A trailing dot is dropped: SNI names are never absolute.
     */
    public static String name(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0 || isIpv4Literal(h)) {
            return null; // a colon only ever appears in an IPv6 literal
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            new SNIHostName(h);
            return h;
        } catch (IllegalArgumentException e) {
            return null; // e.g. an underscore in a name: connect without SNI rather than fail before the handshake
        }
    }

    /** Four dot-separated decimal numbers of 0 to 255. */
    static boolean isIpv4Literal(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
