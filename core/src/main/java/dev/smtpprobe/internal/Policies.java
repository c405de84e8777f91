package dev.smtpprobe.internal;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.PrintableText;
import dev.smtpprobe.SmtpReply;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads why a server rejected: the {@link PolicyReason} of a 4xx/5xx reply, from its enhanced status code
 * (RFC 3463) and its text, and a one-sentence human detail for the result.
 *
 * <p>Texts are matched case-insensitively, most specific first: words that name a cause ("blocked using
 * zen.spamhaus.org", "greylisted", "over quota") win over the codes, because servers reuse generic codes such as
 * {@code 5.7.1} for everything from relaying to blocklists. The table of real replies this was tuned with is in
 * {@code PoliciesTest}.
 *
 * <p>The work per reply is bounded whatever the server sends: only the first {@value Texts#MAX_CLASSIFIED}
 * characters of the text are read (the words that name a cause come first), and every pattern matches in linear
 * time (literal alternatives; the one gap between two words is bounded, never {@code .*}). Pure code; this class is
 * threadsafe.
 */
public final class Policies {

    /**
     * Blocklists, by generic words and by the names of the well-known lists seen in rejections. "not listed in"
     * is a directory lookup (Domino: "not listed in Domino Directory"), not a list of bad senders.
     */
    private static final Pattern BLOCKLIST = Pattern.compile(
            "spamhaus|blocked using|(?<!not )listed (at|in|on|by)|\\bin a (black|block) ?list|\\brbl\\b|\\bdnsbl|blacklist"
                    + "|blocklist|black list|block list|barracuda|spamcop|\\bsorbs\\b|uceprotect|abuseat|mailspike"
                    + "|\\bpsbl\\b|spamrats|invaluement|\\b(sbl|xbl|pbl|cbl)\\b|ipcheck\\.proofpoint|cloudmark"
                    + "|banned sending ip|removal from this list|delist");

    private static final Pattern GREYLIST = Pattern.compile("gr[ae]y-? ?list|postgrey");

    /**
     * Sender reputation: the words, and the texts of large providers that reject on reputation without naming
     * a list (Gmail's unsolicited-mail and direct-to-MX texts, Microsoft's 5.7.708, Yahoo's complaint deferrals).
     */
    private static final Pattern REPUTATION = Pattern.compile(
            "reputation|sender ?score|unsolicited|user complaints|not authorized to send e?-?mail directly"
                    + "|traffic not accepted from this ip");

    private static final Pattern TLS_REQUIRED = Pattern.compile(
            "starttls|\\btls (is )?required|requires? (a )?(tls|encrypt)|encryption (is )?(required|needed)"
                    + "|must (use|issue) (tls|encryption)");

    private static final Pattern AUTH_REQUIRED = Pattern.compile(
            "auth(entication)? (is )?required|not authenticated|must authenticate|authenticate first"
                    + "|authentication is needed|not logged in|smtp auth(entication)? (is )?required|login required");

    private static final Pattern RELAY_DENIED = Pattern.compile(
            "relay(ing)? (access )?(is )?(denied|not permitted|not allowed|prohibited|refused|forbidden)"
                    + "|(unable|not permitted|not allowed|cannot|can't|do not|does not|won't) (to )?relay"
                    + "|relay access|relaying to .{0,200}? (denied|not allowed)");

    /** Not "mailbox unavailable": RFC 5321 gives that text to every 550, policy rejections included. */
    private static final Pattern USER_UNKNOWN = Pattern.compile(
            "user unknown|unknown user|no such (user|mailbox|recipient|address)|user (does not|doesn't) exist"
                    + "|(account|address|mailbox|recipient) (that you tried to reach )?(does not|doesn't) exist"
                    + "|recipient ?not ?found|mailbox not found|invalid recipient|not listed in .{0,200}?directory"
                    + "|unknown recipient|recipient unknown|unrouteable address|address unknown");

    private static final Pattern MAILBOX_FULL = Pattern.compile(
            "over ?quota|quota exceeded|exceeded (the |its |their )?(storage )?quota|mailbox (is )?full"
                    + "|mailbox full|insufficient (system )?storage|out of storage|storage (space )?exceeded");

    private static final Pattern RATE_LIMIT = Pattern.compile(
            "too many (connections|concurrent|sessions|messages|mails|emails|errors|commands|requests|smtp)"
                    + "|\\brate\\b|ratelimit|rate-limit|throttl|busy|try (again )?later|come back later"
                    + "|connection limit|(sending|message|connection|hourly|daily) limit|limit exceeded"
                    + "|exceeded (the )?(maximum|limit)|too fast|slow down|unexpected volume");

    /** Words that say "later" in greylisting replies, which also say "try again later". */
    private static final Pattern LATER = Pattern.compile("later|come back|deferred|temporar");

    /** Words that make a "try later" about load or volume, not greylisting. */
    private static final Pattern LOAD = Pattern.compile("too many|\\brate\\b|limit|busy|throttl|volume|\\bload\\b");

    /** How much of the server's words a description quotes. */
    private static final int QUOTED = 300;

    private Policies() {
    }

    /**
     * Why the server rejected, from a 4xx or 5xx reply.
     *
     * @throws IllegalArgumentException when {@code reply} is null or not a 4xx/5xx rejection
     */
    public static PolicyReason reasonFor(SmtpReply reply) {
        if (reply == null || !(reply.isTransientFailure() || reply.isPermanentFailure())) {
            throw new IllegalArgumentException("reply must be a 4xx or 5xx rejection: " + reply);
        }
        return reasonFor(reply, classifiedText(reply));
    }

    /** {@link #reasonFor(SmtpReply)} of a rejection whose {@link #classifiedText} is {@code text}. */
    static PolicyReason reasonFor(SmtpReply reply, String text) {
        EnhancedStatus status = reply.enhancedStatus();
        int subject = status == null ? -1 : status.subject();
        int detail = status == null ? -1 : status.detail();

        if (BLOCKLIST.matcher(text).find()) {
            return PolicyReason.BLOCKLIST;
        }
        if (GREYLIST.matcher(text).find()) {
            return PolicyReason.GREYLISTED;
        }
        if (REPUTATION.matcher(text).find() || is(status, 7, 708)) {
            return PolicyReason.REPUTATION;
        }
        // RFC 3207 §4 (530 5.7.0 "Must issue a STARTTLS command first"), RFC 4954 §6 (538, 5.7.11), RFC 5248 5.7.10.
        if (TLS_REQUIRED.matcher(text).find() || reply.code() == 538 || is(status, 7, 10) || is(status, 7, 11)) {
            return PolicyReason.TLS_REQUIRED;
        }
        // RFC 4954 §6: 530 5.7.0 "Authentication required"; Microsoft's 5.7.57 "Client not authenticated".
        if (AUTH_REQUIRED.matcher(text).find() || is(status, 7, 57)) {
            return PolicyReason.AUTH_REQUIRED;
        }
        // Microsoft: 5.7.54 "Unable to relay recipient in non-accepted domain", 5.7.64 "Relay Access Denied".
        if (RELAY_DENIED.matcher(text).find() || is(status, 7, 54) || is(status, 7, 64)
                || (subject == 7 && detail == 1 && text.contains("relay"))) {
            return PolicyReason.RELAY_DENIED;
        }
        // RFC 3463: X.1.1 bad destination mailbox address; Microsoft's 5.1.10 "RecipientNotFound".
        if (USER_UNKNOWN.matcher(text).find() || is(status, 1, 1) || is(status, 1, 10)) {
            return PolicyReason.USER_UNKNOWN;
        }
        // RFC 3463: X.2.2 mailbox full; RFC 5321: 452 insufficient system storage (but 452 4.5.3 is "too many
        // recipients", a protocol limit).
        if (MAILBOX_FULL.matcher(text).find() || is(status, 2, 2)
                || (reply.code() == 452 && !(subject == 5 && detail == 3))) {
            return PolicyReason.MAILBOX_FULL;
        }
        // Greylisting servers answer 450 4.2.0 or 451 4.7.1 "try again later" without saying "greylist"
        // (milter-greylist, sqlgrey, Exim): a deferral with these codes that names no load or rate is greylisting.
        if ((reply.code() == 450 || reply.code() == 451) && (is(status, 2, 0) || is(status, 7, 1))
                && LATER.matcher(text).find() && !LOAD.matcher(text).find()) {
            return PolicyReason.GREYLISTED;
        }
        if (RATE_LIMIT.matcher(text).find()) {
            return PolicyReason.RATE_LIMIT;
        }
        return PolicyReason.OTHER;
    }

    /** The part of the reply's text that is classified, lower case: its first {@value Texts#MAX_CLASSIFIED} characters. */
    static String classifiedText(SmtpReply reply) {
        return Texts.prefix(reply, Texts.MAX_CLASSIFIED).toLowerCase(Locale.ROOT);
    }

    private static boolean is(EnhancedStatus status, int subject, int detail) {
        return status != null && status.subject() == subject && status.detail() == detail;
    }

    /**
     * A precise human detail for a rejection at {@code phase}: the reply, where it came, what it means, and the
     * server's own words, e.g. {@code 554 5.7.1 at the greeting: the server refused the session itself (usually IP
     * reputation or a blocklist); the reply names a blocklist; server said: "Service unavailable; ..."}.
     *
     * @throws IllegalArgumentException when {@code phase} or {@code reply} is null
     */
    public static String describe(Phase phase, SmtpReply reply) {
        boolean rejection = reply != null && (reply.isTransientFailure() || reply.isPermanentFailure());
        return describe(phase, reply, rejection ? reasonFor(reply) : null);
    }

    /**
     * {@link #describe(Phase, SmtpReply)} with the reason already read from the reply, so that a reply is classified
     * once.
     *
     * @param reason the reply's {@link #reasonFor reason} when it is a rejection; ignored otherwise
     * @throws IllegalArgumentException when {@code phase} or {@code reply} is null, or {@code reason} is null for a
     *                                  rejection
     */
    public static String describe(Phase phase, SmtpReply reply, PolicyReason reason) {
        if (phase == null) {
            throw new IllegalArgumentException("phase must not be null");
        }
        if (reply == null) {
            throw new IllegalArgumentException("reply must not be null");
        }
        StringBuilder sb = new StringBuilder().append(reply.code());
        if (reply.enhancedStatus() != null) {
            sb.append(' ').append(reply.enhancedStatus());
        }
        sb.append(' ').append(where(phase)).append(": ");
        if (!(reply.isTransientFailure() || reply.isPermanentFailure())) {
            sb.append("an unexpected reply");
        } else {
            if (reason == null) {
                throw new IllegalArgumentException("reason must not be null for a rejection");
            }
            sb.append(meaning(phase, reply));
            String why = why(reason);
            if (!why.isEmpty()) {
                sb.append("; ").append(why);
            }
        }
        String text = Texts.prefix(reply, QUOTED + 1).strip();
        if (!text.isEmpty()) {
            boolean more = text.length() > QUOTED;
            sb.append("; server said: \"").append(PrintableText.escape(more ? text.substring(0, QUOTED) : text))
                    .append(more ? "..." : "").append('"');
        }
        return sb.toString();
    }

    private static String where(Phase phase) {
        return switch (phase) {
            case RESOLVE -> "while resolving";
            case CONNECT -> "on connect";
            case GREETING -> "at the greeting";
            case EHLO -> "to EHLO";
            case STARTTLS -> "to STARTTLS";
            case AUTH -> "to AUTH";
            case ENVELOPE -> "to the envelope (MAIL FROM/RCPT TO)";
            case QUIT -> "to QUIT";
        };
    }

    /** What a rejection at this phase means before any reason is known. */
    private static String meaning(Phase phase, SmtpReply reply) {
        boolean permanent = reply.isPermanentFailure();
        return switch (phase) {
            case GREETING -> permanent
                    ? "the server refused the session itself (usually IP reputation or a blocklist)"
                    : "the server is not accepting sessions now (busy, rate limiting or greylisting); retry later";
            case EHLO -> permanent
                    ? "the server rejected the greeting (often the EHLO name or the client's address)"
                    : "the server deferred the session at EHLO; retry later";
            case STARTTLS -> permanent
                    ? "the server refused the session after STARTTLS"
                    : "the server could not continue after STARTTLS now; retry later";
            case AUTH -> permanent ? "the server refused authentication" : "authentication failed for now; retry later";
            case ENVELOPE -> permanent ? "the server refused the envelope" : "the server deferred the envelope; retry later";
            default -> permanent ? "a permanent rejection" : "a transient rejection; retry later";
        };
    }

    private static String why(PolicyReason reason) {
        return switch (reason) {
            case BLOCKLIST -> "the reply names a blocklist: check the listing for the source IP first";
            case REPUTATION -> "the reply points at the sender's reputation";
            case RATE_LIMIT -> "the server is rate limiting or busy: slow down and retry with backoff";
            case RELAY_DENIED -> "relaying denied: this server does not accept mail for that domain from this client";
            case USER_UNKNOWN -> "the mailbox does not exist";
            case GREYLISTED -> "greylisting: a retry after a few minutes is normally accepted";
            case MAILBOX_FULL -> "the mailbox is full or over quota";
            case TLS_REQUIRED -> "the server requires STARTTLS first";
            case AUTH_REQUIRED -> "the server requires authentication first";
            case OTHER -> "";
        };
    }
}
