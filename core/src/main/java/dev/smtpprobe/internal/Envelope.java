package dev.smtpprobe.internal;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
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
    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets. */
    static final int MAX_PATH = 256;

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    /**
     * A validated envelope.
     *
     * @throws IllegalArgumentException naming the argument ({@code from}, {@code recipients[i]}) when an address is
     *                                  unusable
     */
    public static Envelope of(String from, List<String> recipients, long messageSize) {
        if (from == null) {
            throw new IllegalArgumentException("from must not be null (use \"\" for the null sender <>)");
        }
        String sender = from.strip();
        if (!sender.isEmpty()) {
            checkAddress(sender, "from");
        }
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("recipients must not be empty");
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("recipients must be at most " + MAX_RECIPIENTS + ": " + recipients.size());
        }
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String r = recipients.get(i);
            String name = "recipients[" + i + "]";
            if (r == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            checkAddress(r.strip(), name);
            clean.add(r.strip());
        }
        if (messageSize < 0) {
            throw new IllegalArgumentException("messageSize must not be negative: " + messageSize);
        }
        return new Envelope(sender, clean, messageSize);
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
        if (address.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (address.length() > MAX_PATH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_PATH + " characters: " + address.length());
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '<' || c == '>') {
                throw new IllegalArgumentException(name + " must be a bare address like user@example.net, without"
                        + " spaces, control characters or angle brackets: " + printable(address));
            }
        }
        int at = address.lastIndexOf('@');
        boolean postmaster = address.equalsIgnoreCase("postmaster");
        if (!postmaster && (at <= 0 || at == address.length() - 1)) {
            throw new IllegalArgumentException(name + " must be an address like user@example.net: " + printable(address));
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
