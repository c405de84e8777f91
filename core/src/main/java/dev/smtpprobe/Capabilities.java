package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a server advertised in its EHLO reply (RFC 5321 §4.1.1.1): one keyword with optional parameters per line
 * after the first.
 *
 * @param serverName the domain the server named in the first line of its EHLO reply
 * @param extensions the extension lines as sent, e.g. {@code ["PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN"]}
 */
public record Capabilities(String serverName, List<String> extensions) {

    /** No capabilities: what a server that only speaks HELO offers. */
    public static final Capabilities NONE = new Capabilities("", List.of());

    /**
     * Checks and copies the components.
     *
     * @param serverName the domain the server named in the first line of its EHLO reply
     * @param extensions the extension lines as sent, e.g. {@code ["PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN"]}
     */
    public Capabilities {
        Arguments.requireNonNull(serverName, "serverName");
        extensions = List.copyOf(Arguments.requireNonNull(extensions, "extensions"));
    }

    /**
     * The parameters of an extension keyword (case-insensitive), empty when it was not advertised.
     *
     * @param keyword an EHLO keyword, e.g. {@code "AUTH"}
     * @return its parameters (empty list when it has none), or empty when not advertised
     */
    public Optional<List<String>> parameters(String keyword) {
        for (String line : extensions) {
            String s = line.trim();
            int end = wordEnd(s, 0);
            // The keyword is compared in place: this runs for every capability question of every probe.
            if (end == keyword.length() && s.regionMatches(true, 0, keyword, 0, end)) {
                List<String> words = new ArrayList<>();
                for (int at = skipSeparators(s, end); at < s.length(); at = skipSeparators(s, end)) {
                    end = wordEnd(s, at);
                    words.add(s.substring(at, end));
                }
                return Optional.of(List.copyOf(words));
            }
        }
        return Optional.empty();
    }

    /** The end of the word starting at {@code from}: the next space or '=' (the separators of EHLO parameters). */
    private static int wordEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '=') {
            i++;
        }
        return i;
    }

    private static int skipSeparators(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '=')) {
            i++;
        }
        return i;
    }

    /**
     * Whether the extension was advertised (case-insensitive).
     *
     * @param keyword an EHLO keyword, e.g. {@code "SIZE"}
     * @return {@code true} when the server advertised it
     */
    public boolean has(String keyword) {
        return parameters(keyword).isPresent();
    }

    /**
     * STARTTLS (RFC 3207).
     *
     * @return {@code true} when STARTTLS was advertised
     */
    public boolean startTls() {
        return has("STARTTLS");
    }

    /** {@return the SASL mechanisms of the AUTH extension (RFC 4954), upper case, in the server's order} */
    public List<String> authMechanisms() {
        return parameters("AUTH").map(p -> p.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList()).orElse(List.of());
    }

    /** {@return the SIZE limit in bytes (RFC 1870): empty when not advertised, 0 when advertised without a limit} */
    public Optional<Long> maxSize() {
        return parameters("SIZE").map(p -> {
            try {
                return p.isEmpty() ? 0L : Long.parseLong(p.get(0));
            } catch (NumberFormatException e) {
                return 0L;
            }
        });
    }

    /**
     * PIPELINING (RFC 2920).
     *
     * @return {@code true} when PIPELINING was advertised
     */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /**
     * 8BITMIME (RFC 6152).
     *
     * @return {@code true} when 8BITMIME was advertised
     */
    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    /**
     * SMTPUTF8 (RFC 6531).
     *
     * @return {@code true} when SMTPUTF8 was advertised
     */
    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /**
     * ENHANCEDSTATUSCODES (RFC 2034).
     *
     * @return {@code true} when ENHANCEDSTATUSCODES was advertised
     */
    public boolean enhancedStatusCodes() {
        return has("ENHANCEDSTATUSCODES");
    }

    /**
     * CHUNKING (RFC 3030).
     *
     * @return {@code true} when CHUNKING was advertised
     */
    public boolean chunking() {
        return has("CHUNKING");
    }

    /**
     * DSN (RFC 3461).
     *
     * @return {@code true} when DSN was advertised
     */
    public boolean dsn() {
        return has("DSN");
    }
}
