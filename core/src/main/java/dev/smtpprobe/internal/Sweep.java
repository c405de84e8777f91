package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Hints that need several attempts or resolvers: the port sweep and the comparison of resolvers. Pure code. */
public final class Sweep {

    private Sweep() {
    }

    /**
     * Port 25 timed out (every attempt on it) while another port of the same hosts connected: outbound port 25 is
     * filtered on the way (a DROP rule, an ISP or cloud egress block), the server is up.
     */
    public static Optional<Hint> port25Blocked(List<Attempt> attempts) {
        List<Attempt> on25 = new ArrayList<>(0);
        for (Attempt a : attempts) { // a loop, not a stream: this runs on every probe's result
            if (a.remote().getPort() == 25) {
                if (a.verdict() != Verdict.CONNECTION_TIMED_OUT || Hints.throughProxy(a)) {
                    return Optional.empty();
                }
                on25.add(a);
            }
        }
        if (on25.isEmpty()) {
            return Optional.empty();
        }
        Set<String> hosts25 = new LinkedHashSet<>();
        on25.forEach(a -> hosts25.add(a.host()));
        List<Attempt> connectedElsewhere = attempts.stream()
                .filter(a -> a.remote().getPort() != 25 && a.local() != null && hosts25.contains(a.host()))
                .toList();
        if (connectedElsewhere.isEmpty()) {
            return Optional.empty();
        }
        Set<Integer> ports = new LinkedHashSet<>();
        connectedElsewhere.forEach(a -> ports.add(a.remote().getPort()));
        List<String> evidence = new ArrayList<>();
        for (Attempt a : on25) {
            evidence.add("port 25 of " + a.host() + " [" + a.remote().getAddress().getHostAddress() + "] timed out"
                    + " (no answer to the SYN)");
        }
        for (Attempt a : connectedElsewhere) {
            evidence.add("port " + a.remote().getPort() + " of " + a.host() + " [" + a.remote().getAddress().getHostAddress()
                    + "] connected -> " + a.verdict());
        }
        String others = ports.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse("");
        return Optional.of(new Hint(HintCode.PORT_25_BLOCKED, "Outbound port 25 looks blocked: it timed out while"
                + " port " + others + " of the same host connected, so the server is up and something on the way drops"
                + " port 25 (an ISP, cloud or firewall egress rule). Send through the submission port with"
                + " authentication or a relay, or ask for port 25 to be opened.", evidence));
    }

    /** Two or more resolvers gave different mail hosts or addresses. */
    public static Optional<Hint> resolversDisagree(ResolverComparison comparison) {
        if (comparison == null || comparison.agree()) {
            return Optional.empty();
        }
        return Optional.of(new Hint(HintCode.RESOLVERS_DISAGREE, "The resolvers disagree about " + comparison.name()
                + ": one may serve a stale cache, sending mail to a host or address the recipient no longer uses."
                + " Compare the TTLs in the DNS evidence, flush the stale cache, and test the current answer.",
                comparison.differences()));
    }
}
