package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import java.util.ArrayList;
import java.util.List;

/** The transcript's INFO lines for DNS: every query with its answers and TTLs, then the conclusion. */
public final class DnsTranscript {

    private DnsTranscript() {
    }

    /** One line per query sent, then one for the conclusion. */
    public static List<String> lines(Resolution r) {
        List<String> lines = new ArrayList<>();
        for (DnsLookup lookup : r.lookups()) {
            lines.add("DNS " + lookup);
        }
        lines.add("DNS " + r.kind() + " " + r.name() + " -> " + r.verdict()
                + (r.detail().isEmpty() ? "" : ": " + r.detail()) + " (" + r.elapsed().toMillis() + " ms)");
        return List.copyOf(lines);
    }

    /** One line for the comparison, then one per difference. */
    public static List<String> lines(ResolverComparison c) {
        List<String> lines = new ArrayList<>();
        lines.add("DNS compared " + c.name() + " via " + String.join(", ", c.resolvers()) + ": "
                + (c.agree() ? "the resolvers agree" : c.differences().size() + " difference(s)"));
        c.differences().forEach(d -> lines.add("DNS " + d));
        return List.copyOf(lines);
    }
}
