package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import java.time.Duration;
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
        lines.add(conclusion(r));
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

    /**
     * The DNS part of a probe's transcript: one INFO line per query, stamped when its answer came (resolution starts
     * with the probe), the conclusion, then the comparison of resolvers when there was one. Empty for an address
     * literal, which used no DNS.
     *
     * @param r the resolution, or {@code null}
     * @param c the comparison, or {@code null}
     */
    public static List<TranscriptLine> transcript(Resolution r, ResolverComparison c) {
        List<TranscriptLine> out = new ArrayList<>();
        if (r != null && r.kind() != Resolution.Kind.LITERAL) {
            for (DnsLookup lookup : r.lookups()) {
                out.add(new TranscriptLine(lookup.sent().plus(lookup.elapsed()), Direction.INFO, "DNS " + lookup));
            }
            out.add(new TranscriptLine(r.elapsed(), Direction.INFO, conclusion(r)));
        }
        if (c != null) {
            Duration at = c.resolutions().stream().map(Resolution::elapsed).max(Duration::compareTo).orElse(Duration.ZERO);
            for (String line : lines(c)) {
                out.add(new TranscriptLine(at, Direction.INFO, line));
            }
        }
        return List.copyOf(out);
    }

    private static String conclusion(Resolution r) {
        return "DNS " + r.kind() + " " + r.name() + " -> " + r.verdict()
                + (r.detail().isEmpty() ? "" : ": " + r.detail()) + " (" + r.elapsed().toMillis() + " ms)";
    }
}
