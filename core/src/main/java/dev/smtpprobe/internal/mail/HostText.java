package dev.smtpprobe.internal.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * A configured host as its author meant it: without a scheme ({@code smtp://}), a path, a port ({@code :587}) or
 * whitespace, which the mail library would all take as part of the name. Pure.
 */
final class HostText {

    private HostText() {
    }

    /** {@code configured} without scheme, path, port and whitespace; unchanged when it has none of them. */
    static String asMeant(String configured) {
        String h = configured.strip();
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        if (h.startsWith("[") && h.contains("]")) {
            h = h.substring(0, h.indexOf(']') + 1); // [v6] or [v6]:port: the brackets are the address
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // name:port; several colons are an IPv6 address
        }
        return h.replaceAll("\\s+", "");
    }

    /** What {@link #asMeant} removed, for a person: "a scheme (smtp://) and a port (:587)". */
    static String whatIsWrong(String configured) {
        List<String> parts = new ArrayList<>();
        String h = configured.strip();
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            parts.add("a scheme (" + h.substring(0, scheme + 3) + ")");
            h = h.substring(scheme + 3);
        }
        if (h.indexOf('/') >= 0) {
            parts.add("a path");
            h = h.substring(0, h.indexOf('/'));
        }
        boolean bracketed = h.startsWith("[") && h.contains("]");
        String rest = bracketed ? h.substring(h.indexOf(']') + 1) : h;
        if (rest.indexOf(':') >= 0 && (bracketed || rest.indexOf(':') == rest.lastIndexOf(':'))) {
            parts.add("a port (" + rest.substring(rest.indexOf(':')) + ")");
        }
        if (!configured.equals(configured.strip()) || configured.strip().chars().anyMatch(Character::isWhitespace)) {
            parts.add("whitespace");
        }
        return parts.isEmpty() ? "characters a host name cannot have" : String.join(" and ", parts);
    }
}
