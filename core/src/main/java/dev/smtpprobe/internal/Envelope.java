package dev.smtpprobe.internal;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope a probe tries without sending mail: MAIL FROM, RCPT TO for each recipient, then RSET; never DATA.
 *
 * @param sender      the reverse path, {@code ""} for the null sender {@code <>}
 * @param recipients  the forward paths, at least one
 * @param messageSize the size of the message the application means to send, declared with {@code SIZE=} when the
 *                    server offers SIZE; 0 when not declared
 */
public record Envelope(String sender, List<String> recipients, long messageSize) {

    /** RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients; the probe tries no more. */
    public static final int MAX_RECIPIENTS = 100;
    /** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 §4.5.3.1.2: a domain is at most 255 octets. */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** RFC 5321 §4.5.3.1.3: a path, angle brackets included, is at most 256 octets. */
    public static final int MAX_PATH_OCTETS = 256;

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /**
     * A validated envelope.
     *
     * <p>Addresses are taken as given, never repaired: a line break, a control character or surrounding
     * whitespace is an error, not something to strip. Only {@code ""} means the null sender.
     *
     * @throws IllegalArgumentException naming the argument ({@code from}, {@code recipients[i]}) when an address is
     *                                  unusable: null, blank, with whitespace, a control character or angle
     *                                  brackets, without {@code @} (except {@code postmaster}), or longer than RFC 5321
     *                                  §4.5.3.1 allows ({@value #MAX_LOCAL_PART_OCTETS} octets of local part,
     *                                  {@value #MAX_DOMAIN_OCTETS} of domain, {@value #MAX_PATH_OCTETS} for the path
     *                                  with its angle brackets, in UTF-8)
     */
    public static Envelope of(String from, List<String> recipients, long messageSize) {
        Arguments.requireArgument(from != null, "from must not be null (use \"\" for the null sender <>)");
        if (!from.isEmpty()) {
            Arguments.requireArgument(!from.isBlank(), "from must not be blank (use \"\" for the null sender <>)");
            checkAddress(from, "from");
        }
        Arguments.requireNonNull(recipients, "recipients");
        Arguments.requireArgument(!recipients.isEmpty(), "recipients must not be empty");
        Arguments.requireArgument(recipients.size() <= MAX_RECIPIENTS, "recipients must be at most %d: %d",
                MAX_RECIPIENTS, recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            checkAddress(recipients.get(i), "recipients[" + i + "]");
        }
        Arguments.requireArgument(messageSize >= 0, "messageSize must not be negative: %d", messageSize);
        return new Envelope(from, recipients, messageSize);
    }

    /** Whether an address of this envelope needs SMTPUTF8 (RFC 6531): any non-ASCII character. */
    public boolean needsSmtpUtf8() {
        return !isAscii(sender) || recipients.stream().anyMatch(r -> !isAscii(r));
    }

    /** The addresses (sender first) that need SMTPUTF8. */
    public List<String> nonAsciiAddresses() {
        List<String> out = new ArrayList<>();
        if (!isAscii(sender)) {
            out.add(sender);
        }
        recipients.stream().filter(r -> !isAscii(r)).forEach(out::add);
        return out;
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /**
     * Why a server refused a recipient (or the sender): {@link Policies#reasonFor} first, then the envelope's own
     * reading of the enhanced status code and reply code, for what the text alone does not say.
     */
    public static PolicyReason reasonFor(SmtpReply reply) {
        if (reply == null || !(reply.isTransientFailure() || reply.isPermanentFailure())) {
            throw new IllegalArgumentException("reply must be a 4xx or 5xx rejection: " + reply);
        }
        // The text is read once, for both readings: its first few KiB (Policies).
        String text = Policies.classifiedText(reply);
        PolicyReason reason = Policies.reasonFor(reply, text);
        EnhancedStatus s = reply.enhancedStatus();
        if (reason == PolicyReason.RATE_LIMIT && reply.code() == 450 && s != null && s.statusClass() == 4
                && s.subject() == 7 && s.detail() == 1 && !text.contains("rate") && !text.contains("too many")) {
            // 450 4.7.1 "try again later" to one recipient, with no word of volume: the classic greylisting answer.
            return PolicyReason.GREYLISTED;
        }
        if (reason != PolicyReason.OTHER) {
            return reason;
        }
        if (s != null && s.subject() == 1 && s.detail() == 1
                || text.contains("user unknown") || text.contains("no such user") || text.contains("does not exist")
                || text.contains("unknown user")) {
            return PolicyReason.USER_UNKNOWN;
        }
        if (s != null && s.subject() == 2 && s.detail() == 2 || reply.code() == 452 && s == null
                || text.contains("mailbox full") || text.contains("over quota") || text.contains("quota exceeded")) {
            return PolicyReason.MAILBOX_FULL;
        }
        if (s != null && s.statusClass() == 5 && s.subject() == 7 && s.detail() == 1 && text.contains("relay")) {
            return PolicyReason.RELAY_DENIED;
        }
        if (reply.code() == 450 && s != null && s.statusClass() == 4 && s.subject() == 7 && s.detail() == 1) {
            // 450 4.7.1 "try again later" without naming greylisting: the classic greylisting answer.
            return PolicyReason.GREYLISTED;
        }
        return PolicyReason.OTHER;
    }

    private static void checkAddress(String address, String name) {
        Arguments.requireToken(address, name);
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            Arguments.requireArgument(!Character.isWhitespace(c) && c != '<' && c != '>', "%s must be a bare address"
                    + " like user@example.net, without spaces or angle brackets: %s", name, printable(address));
        }
        int at = address.lastIndexOf('@');
        boolean postmaster = address.equalsIgnoreCase("postmaster");
        Arguments.requireArgument(postmaster || at > 0 && at < address.length() - 1,
                "%s must be an address like user@example.net: %s", name, printable(address));
        if (!postmaster) {
            int local = octets(address.substring(0, at));
            Arguments.requireArgument(local <= MAX_LOCAL_PART_OCTETS, "%s must have a local part of at most %d octets:"
                    + " %d", name, MAX_LOCAL_PART_OCTETS, local);
            int domain = octets(address.substring(at + 1));
            Arguments.requireArgument(domain <= MAX_DOMAIN_OCTETS, "%s must have a domain of at most %d octets: %d",
                    name, MAX_DOMAIN_OCTETS, domain);
        }
        int octets = octets(address);
        Arguments.requireArgument(octets + 2 <= MAX_PATH_OCTETS, "%s must be at most %d octets (a path of %d with its"
                + " angle brackets): %d", name, MAX_PATH_OCTETS - 2, MAX_PATH_OCTETS, octets);
    }

    private static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
