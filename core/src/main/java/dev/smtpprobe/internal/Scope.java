package dev.smtpprobe.internal;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The scope rule of {@link ScopeSummary}, over a batch's results. Pure code. */
public final class Scope {

    /** Verdicts that are facts of the recipient's own DNS: no sender-side fix changes them. */
    private static final Set<Verdict> RECIPIENT_DATA = Set.of(Verdict.DNS_NO_SUCH_DOMAIN, Verdict.DNS_NULL_MX,
            Verdict.DNS_NO_MAIL_HOST);

    private Scope() {
    }

    /** Applies the rule documented on {@link ScopeSummary}. */
    public static ScopeSummary summarise(List<ProbeResult> results) {
        List<String> failing = new ArrayList<>();
        List<String> working = new ArrayList<>();
        boolean pathFailure = false;
        for (ProbeResult r : results) {
            if (r.isOk()) {
                working.add(r.target());
            } else {
                failing.add(r.target() + ": " + r.verdict());
                pathFailure |= !RECIPIENT_DATA.contains(r.verdict());
            }
        }
        if (failing.isEmpty()) {
            return new ScopeSummary(ScopeSummary.Scope.ALL_OK, failing, working,
                    "All " + results.size() + " targets work: the sending path is fine.");
        }
        String failingText = String.join(", ", failing);
        if (!working.isEmpty() || !pathFailure) {
            String others = working.isEmpty() ? ""
                    : " Others work (" + String.join(", ", working) + "), so your side is fine.";
            String which = pathFailure
                    ? "look at those recipients' mail gateways or the path to them (their MX, firewall or gateway"
                    + " operator), not at your server."
                    : "each failure is a fact of that recipient's own DNS, which no change on your side fixes.";
            return new ScopeSummary(ScopeSummary.Scope.RECIPIENT_SIDE, failing, working,
                    "These fail: " + failingText + ";" + others + " For the failing ones, " + which);
        }
        if (results.size() == 1) {
            return new ScopeSummary(ScopeSummary.Scope.UNDETERMINED, failing, working, "One target failed ("
                    + failingText + "); one target alone cannot tell your side from the recipient's: probe a few"
                    + " unrelated domains too.");
        }
        return new ScopeSummary(ScopeSummary.Scope.SENDER_SIDE, failing, working, "All " + results.size()
                + " targets fail (" + failingText + "): the common factor is your side (this host, its network,"
                + " firewall, egress filtering or resolver) or your provider, not the recipients.");
    }
}
