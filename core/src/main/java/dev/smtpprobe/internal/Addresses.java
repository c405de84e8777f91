package dev.smtpprobe.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
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

    private static boolean isIpv4Literal(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String h) {
        String s = h.toLowerCase(Locale.ROOT);
        int pct = s.indexOf('%');
        if (pct >= 0) {
            s = s.substring(0, pct);
        }
        if (!s.contains(":") || s.isEmpty()) {
            return false;
        }
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }
}
