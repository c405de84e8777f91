package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Hints about what the probe itself did to the session: a banner it had to wait for, a 421 its own concurrency may
 * have caused, and a greylisting deferral its retry got past. Pure code over the attempts.
 */
public final class SessionHints {

    /** A banner later than this after the connection is a finding (Postfix postscreen waits 6 s by default). */
    public static final Duration SLOW_BANNER = Duration.ofSeconds(2);

    /** Words in a 4xx that say the server counts connections from the client. */
    private static final List<String> CONNECTION_COUNTS = List.of("too many connections", "too many concurrent",
            "too many simultaneous", "too many sessions", "connection limit", "concurrent connections",
            "simultaneous connections", "connections from your", "connections per ip", "connection count",
            "max connections", "maximum number of connections", "maximum connections", "too many open connections");

    private SessionHints() {
    }

    /** Every hint of this kind for {@code attempts}, in this order: slow banner, own concurrency, greylisting. */
    public static List<Hint> derive(List<Attempt> attempts) {
        List<Hint> hints = new ArrayList<>();
        slowBanner(attempts).ifPresent(hints::add);
        ownConcurrency(attempts).ifPresent(hints::add);
        greylistedThenAccepted(attempts).ifPresent(hints::add);
        return hints;
    }

    /** The first banner that came {@link #SLOW_BANNER} or later after the connection. */
    static Optional<Hint> slowBanner(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            Duration waited = a.timings().get(Phase.GREETING);
            if (a.greeting() == null || waited == null || waited.compareTo(SLOW_BANNER) < 0) {
                continue;
            }
            String seconds = String.format(Locale.ROOT, "%.1f", waited.toMillis() / 1000.0);
            return Optional.of(new Hint(HintCode.SLOW_BANNER, "slow banner: " + seconds + " s. The server waited "
                    + seconds + " s before its " + a.greeting().code() + " banner, as Postfix postscreen (6 s by"
                    + " default) and tarpits do to catch clients that talk first. Clients whose greeting timeout is"
                    + " shorter than that fail here, and a client that writes before the complete banner is refused;"
                    + " this probe waited for it.",
                    List.of("banner from " + Addresses.format(a.remote()) + " after " + waited.toMillis() + " ms",
                            "banner: " + a.greeting())));
        }
        return Optional.empty();
    }

    /** A 4xx that names connection counts, with what this probe itself had open to that address. */
    static Optional<Hint> ownConcurrency(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            SmtpReply reply = a.lastReply();
            if (reply == null || !reply.isTransientFailure() || !namesConnectionCounts(reply)) {
                continue;
            }
            InetAddress address = a.remote().getAddress();
            List<String> evidence = new ArrayList<>();
            evidence.add(Addresses.format(a.remote()) + " answered: " + reply);
            List<Integer> ports = attempts.stream().filter(o -> o.remote().getAddress().equals(address))
                    .map(o -> o.remote().getPort()).distinct().toList();
            if (ports.size() > 1) {
                evidence.add("this probe connected to " + address.getHostAddress() + " on ports " + ports
                        + " at the same time");
            }
            return Optional.of(new Hint(HintCode.OWN_CONCURRENCY, "The server says it limits connections from this"
                    + " address. If other probes (a batch, several ports at once) or this host's own mail traffic"
                    + " were talking to " + address.getHostAddress() + " at the same time, this 421 is caused by that"
                    + " concurrency, not by a policy against you: probe it once, alone, to confirm. Batches keep one"
                    + " connection per destination at a time unless told otherwise (ProbeBatch.perDestination).",
                    evidence));
        }
        return Optional.empty();
    }

    /** Whether the reply's text names connection counts. */
    static boolean namesConnectionCounts(SmtpReply reply) {
        String text = Policies.classifiedText(reply);
        for (String words : CONNECTION_COUNTS) {
            if (text.contains(words)) {
                return true;
            }
        }
        return false;
    }

    /** A greylisted attempt followed by an accepted one to the same address and port. */
    static Optional<Hint> greylistedThenAccepted(List<Attempt> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
            Attempt first = attempts.get(i);
            if (!Greylisting.greylisted(first)) {
                continue;
            }
            for (int j = i + 1; j < attempts.size(); j++) {
                Attempt retry = attempts.get(j);
                if (retry.isOk() && retry.remote().equals(first.remote())) {
                    long waited = Duration.between(first.startedAt().plus(first.elapsed()), retry.startedAt()).toSeconds();
                    SmtpReply deferral = Greylisting.rejection(first);
                    return Optional.of(new Hint(HintCode.GREYLISTED_THEN_ACCEPTED, "deliverable after greylisting:"
                            + " the server deferred the first attempt as greylisting and accepted the retry " + waited
                            + " s later. Real senders get through after their normal retry; only the first message from"
                            + " a new sender is delayed.",
                            List.of("first attempt: " + (deferral != null ? deferral.toString() : first.detail()),
                                    "retry after " + waited + " s: " + retry.verdict())));
                }
            }
        }
        return Optional.empty();
    }
}
