package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.TlsMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * STARTTLS stripping: the deciding attempt's server did not offer STARTTLS, and evidence already in hand says the
 * target does. No extra query or connection is made; the evidence is what the probe saw:
 * <ul>
 *   <li>a masked EHLO keyword where STARTTLS belongs ({@code XXXXXXXA}, as an SMTP-inspecting firewall such as
 *       Cisco ASA "ESMTP inspection" rewrites it) or a banner masked with asterisks ({@code 220 ******});</li>
 *   <li>another attempt of the same probe to the same host (another address or port) that offered STARTTLS or
 *       completed TLS, with the certificate it showed.</li>
 * </ul>
 * Pure code.
 */
final class StartTlsStripping {

    /** Eight characters, as long as "STARTTLS": all X but the last, which some boxes keep or set to A. */
    private static final Pattern MASKED_KEYWORD = Pattern.compile("X{7}[A-Z]|X{8,}");
    private static final Pattern MASKED_BANNER = Pattern.compile("\\*{6,}.*");

    private StartTlsStripping() {
    }

    /** The hint, when the deciding attempt lacks STARTTLS and the other evidence says the target offers it. */
    static Optional<Hint> hint(Attempt deciding, List<Attempt> attempts) {
        if (deciding.tlsMode() == TlsMode.IMPLICIT || deciding.tls() != null || deciding.ehlo() == null
                || deciding.capabilities().startTls()) {
            return Optional.empty();
        }
        // Decide first, from cheap tests; the evidence text is built only for a hint (almost never: this runs on
        // every plain-text probe, OK ones included).
        List<String> maskedKeywords = new ArrayList<>(0);
        for (String keyword : deciding.capabilities().extensions()) {
            String k = firstWord(keyword);
            if (k.length() >= 8 && k.charAt(0) == 'X' && MASKED_KEYWORD.matcher(k).matches()) {
                maskedKeywords.add(k);
            }
        }
        String banner = deciding.greeting() == null || deciding.greeting().lines().isEmpty() ? null
                : deciding.greeting().lines().get(0);
        boolean maskedBanner = banner != null && banner.strip().startsWith("******")
                && MASKED_BANNER.matcher(banner.strip()).matches();
        boolean masked = maskedBanner || !maskedKeywords.isEmpty();
        List<Attempt> tlsElsewhere = new ArrayList<>(0);
        for (Attempt other : attempts) {
            if (other != deciding && other.host().equalsIgnoreCase(deciding.host()) && offersTls(other)) {
                tlsElsewhere.add(other);
            }
        }
        boolean elsewhere = !tlsElsewhere.isEmpty();
        if (!masked && !elsewhere) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        String address = TlsFacts.ipText(deciding.remote().getAddress()) + " port " + deciding.remote().getPort();
        evidence.add("EHLO of " + deciding.host() + " at " + address + " offers no STARTTLS");
        for (String k : maskedKeywords) {
            evidence.add("EHLO keyword " + k + " (STARTTLS masked by a middlebox)");
        }
        if (maskedBanner) {
            evidence.add("banner masked with asterisks: " + banner);
        }
        for (Attempt other : tlsElsewhere) {
            String where = TlsFacts.ipText(other.remote().getAddress()) + " port " + other.remote().getPort();
            evidence.add(negotiatedTls(other)
                    ? where + " negotiated " + other.tls().protocol()
                            + (other.tls().leaf() != null ? " with certificate " + other.tls().leaf().subject() : "")
                    : where + " offers STARTTLS");
        }
        String message = masked
                ? "STARTTLS was removed on the way: the server's reply shows a masked keyword or banner, the mark of "
                        + "an SMTP-inspecting firewall or proxy between this host and " + deciding.host() + ". Mail "
                        + "through it goes in plain text; turn off the device's SMTP inspection or probe from another "
                        + "network."
                : "The same host offers TLS elsewhere (another address or port), but not at " + address + ": "
                        + "something in the path may strip STARTTLS there, or that server is set up differently. "
                        + "Compare from another network before sending credentials in plain text.";
        return Optional.of(new Hint(HintCode.STARTTLS_STRIPPED, message, evidence));
    }

    /** Whether another attempt completed TLS or was offered STARTTLS. */
    private static boolean offersTls(Attempt other) {
        return negotiatedTls(other) || other.capabilities() != Capabilities.NONE && other.capabilities().startTls();
    }

    private static boolean negotiatedTls(Attempt other) {
        return other.tls() != null && !other.tls().protocol().isEmpty();
    }

    /** The first word of an EHLO line, upper case. */
    private static String firstWord(String line) {
        String s = line.strip();
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end).toUpperCase(Locale.ROOT);
    }
}
