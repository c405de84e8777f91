package dev.smtpprobe.internal.dns;

import java.net.IDN;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Host and domain names as DNS sees them: IDNA to ASCII, validated, lower case, absolute. */
public final class DnsNames {

    private DnsNames() {
    }

    /**
     * The ASCII form of a host or domain name: internationalised labels go through IDNA (RFC 3490, {@link IDN}),
     * the result is lower case without a trailing dot.
     *
     * @param name     the name as given, e.g. {@code "Bücher.example."}
     * @param argument the argument's name, for the exception message
     * @throws IllegalArgumentException when the name is blank, not convertible, or not a valid host name
     *                                  (labels of letters, digits, hyphens and underscores; 63 octets per label,
     *                                  253 in all)
     */
    public static String toAscii(String name, String argument) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(argument + " must not be blank");
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(argument + " is not a valid name (" + e.getMessage().toLowerCase(Locale.ROOT)
                    + "): " + name, e);
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new IllegalArgumentException(argument + " must be 1..253 characters in ASCII form: " + name);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException(argument + " has an empty or over-long label: " + name);
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException(argument + " has a label starting or ending with '-': " + name);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    throw new IllegalArgumentException(argument + " has a character not allowed in a host name ('"
                            + c + "'): " + name);
                }
            }
        }
        return ascii;
    }

    /** The absolute DNS name of an ASCII name made by {@link #toAscii}. */
    static Name absolute(String ascii) {
        try {
            return Name.fromString(ascii, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + ascii, e);
        }
    }

    /** A DNS name as the results show it: lower case, no trailing dot ({@code "."} for the root). */
    static String text(Name name) {
        if (name.equals(Name.root)) {
            return ".";
        }
        String s = name.toString(true).toLowerCase(Locale.ROOT);
        return s;
    }
}
