package dev.smtpprobe.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Address literals and formatting, without DNS. */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 192.0.2.1:25} or {@code [2001:db8::1]:25}. */
    public static String format(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        InetAddress a = address.getAddress();
        String host = a == null ? address.getHostString() : a.getHostAddress();
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** {@code [192.0.2.1]} → {@code 192.0.2.1}, {@code [IPv6:::1]} → {@code ::1}; other text unchanged. */
    public static String stripBrackets(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
            if (h.regionMatches(true, 0, "IPv6:", 0, 5)) {
                h = h.substring(5);
            }
        }
        return h;
    }

    /**
     * The address of an IP literal ({@code 192.0.2.1}, {@code [192.0.2.1]}, {@code ::1}, {@code [IPv6:::1]}),
     * empty for a host name. Never queries DNS.
     */
    public static Optional<InetAddress> parseLiteral(String host) {
        String h = stripBrackets(host);
        if (isIpv4Literal(h) || isIpv6Literal(h)) {
            try {
                return Optional.of(InetAddress.getByName(h));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Four dot-separated decimal parts of 1 to 3 digits, each at most 255 (no regex, no streams: runs per probe). */
    private static boolean isIpv4Literal(String h) {
        int parts = 0;
        int i = 0;
        int n = h.length();
        while (i <= n) {
            int start = i;
            int value = 0;
            while (i < n && h.charAt(i) != '.') {
                char c = h.charAt(i);
                if (!Character.isDigit(c) || i - start >= 3) {
                    return false;
                }
                value = value * 10 + Character.digit(c, 10);
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            parts++;
            i++; // past the dot (or past the end)
        }
        return parts == 4;
    }

    private static boolean isIpv6Literal(String h) {
        int end = h.indexOf('%');
        if (end < 0) {
            end = h.length();
        }
        boolean colon = false;
        for (int i = 0; i < end; i++) {
            char c = h.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (c != '.' && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return colon;
    }
}
