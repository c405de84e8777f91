package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import java.util.Locale;

/** Derives why a server rejected, from a 4xx/5xx reply. */
public final class Policies {

    private Policies() {
    }

    public static PolicyReason reasonFor(SmtpReply reply) {
        String t = reply.text().toLowerCase(Locale.ROOT);
        if (t.contains("spamhaus") || t.contains("blocked using") || t.contains("listed at") || t.contains("rbl")
                || t.contains("dnsbl") || t.contains("blocklist") || t.contains("blacklist")) {
            return PolicyReason.BLOCKLIST;
        }
        if (t.contains("reputation")) {
            return PolicyReason.REPUTATION;
        }
        if (t.contains("greylist") || t.contains("graylist")) {
            return PolicyReason.GREYLISTED;
        }
        if (t.contains("too many") || t.contains("rate") || t.contains("try later") || t.contains("try again later")) {
            return PolicyReason.RATE_LIMIT;
        }
        if (t.contains("starttls")) {
            return PolicyReason.TLS_REQUIRED;
        }
        if (t.contains("relay")) {
            return PolicyReason.RELAY_DENIED;
        }
        if (t.contains("authentication required") || reply.code() == 530) {
            return PolicyReason.AUTH_REQUIRED;
        }
        return PolicyReason.OTHER;
    }

    public static String describe(Phase phase, SmtpReply reply) {
        String where = switch (phase) {
            case GREETING -> "at the greeting";
            case EHLO -> "to EHLO";
            case STARTTLS -> "to STARTTLS";
            case AUTH -> "to AUTH";
            case ENVELOPE -> "to the envelope";
            default -> "in " + phase;
        };
        return reply.code() + " " + where + ": " + reply.text();
    }
}
