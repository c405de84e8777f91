package dev.smtpprobe.internal.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * MTA-STS discovery for a mail domain (RFC 8461 §3): the {@code _mta-sts.<domain>} TXT record, then the policy from
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}. Immutable and threadsafe; it caches nothing (a
 * diagnosis wants what the domain publishes now).
 */
public final class MtaSts {

    /** What discovery found. */
    public sealed interface Discovery permits NotPublished, Found, Failed {
    }

    /**
     * The domain publishes no usable MTA-STS record: a sender applies no policy.
     *
     * @param reason why, e.g. no record, or two records
     */
    public record NotPublished(String reason) implements Discovery {
    }

    /**
     * The record and its policy.
     *
     * @param id     the record's {@code id}: a sender refetches the policy when it changes
     * @param policy the policy
     */
    public record Found(String id, MtaStsPolicy policy) implements Discovery {
    }

    /**
     * The domain publishes a record, but its policy could not be had.
     *
     * @param id     the record's {@code id}, or null when the TXT lookup itself failed
     * @param type   the RFC 8460 result type a sender reports
     * @param detail what went wrong, for a person
     */
    public record Failed(String id, TlsRptResultType type, String detail) implements Discovery {
    }

    private static final Pattern VERSION = Pattern.compile("v[ \\t]*=[ \\t]*STSv1[ \\t]*;.*", Pattern.DOTALL);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    /** Letters, digits and hyphens, in labels of 1 to 63 characters: the names a policy host can have. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,245}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private final TxtLookup dns;
    private final PolicyFetcher fetcher;

    /**
     * @param dns     reads the TXT record
     * @param fetcher fetches the policy over HTTPS
     * @throws IllegalArgumentException when an argument is null
     */
    public MtaSts(TxtLookup dns, PolicyFetcher fetcher) {
        if (dns == null) {
            throw new IllegalArgumentException("dns must not be null");
        }
        if (fetcher == null) {
            throw new IllegalArgumentException("fetcher must not be null");
        }
        this.dns = dns;
        this.fetcher = fetcher;
    }

    /**
     * Discovers the domain's policy. Records that do not begin with {@code v=STSv1;} are ignored; when not exactly
     * one remains, or it has no valid {@code id}, the domain publishes no policy (RFC 8461 §3.1).
     *
     * @param domain the mail domain (the part after {@code @})
     * @return what was found; never throws for a DNS or HTTPS outcome
     * @throws IllegalArgumentException when {@code domain} is blank or not a host name (letters, digits, hyphens)
     */
    public Discovery discover(String domain) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("domain must not be blank");
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        d = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
        if (!DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("domain must be a host name: letters, digits, hyphens and dots");
        }
        List<String> records;
        try {
            records = dns.txt("_mta-sts." + d);
        } catch (TxtLookup.TxtLookupException e) {
            return new Failed(null, TlsRptResultType.STS_POLICY_FETCH_ERROR, "TXT _mta-sts." + d + " failed: "
                    + e.getMessage());
        }
        List<String> sts = new ArrayList<>();
        for (String r : records) {
            if (VERSION.matcher(r).matches()) {
                sts.add(r);
            }
        }
        if (sts.size() != 1) {
            return new NotPublished(sts.isEmpty() ? "no v=STSv1 TXT record at _mta-sts." + d
                    : sts.size() + " v=STSv1 TXT records at _mta-sts." + d + " (RFC 8461 §3.1 requires one)");
        }
        String id = id(sts.get(0));
        if (id == null) {
            return new NotPublished("the TXT record at _mta-sts." + d + " has no valid id");
        }
        String body;
        try {
            body = fetcher.fetch("mta-sts." + d);
        } catch (PolicyFetcher.FetchException e) {
            return new Failed(id, e.type(), e.getMessage());
        }
        try {
            return new Found(id, MtaStsPolicy.parse(body));
        } catch (MtaStsPolicy.InvalidPolicyException e) {
            return new Failed(id, TlsRptResultType.STS_POLICY_INVALID, "mta-sts." + d + ": " + e.getMessage());
        }
    }

    /** The {@code id} field of a record, or null when it has none or it is not 1 to 32 letters and digits. */
    static String id(String record) {
        String[] fields = record.split(";");
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            int eq = field.indexOf('=');
            if (eq > 0 && field.substring(0, eq).strip().equals("id")) {
                String value = field.substring(eq + 1).strip();
                return ID.matcher(value).matches() ? value : null;
            }
        }
        return null;
    }
}
