package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The opt-in retry of a greylisted attempt ({@code SmtpProbe.Builder#greylistRetry}): whether an attempt was
 * greylisted, how long the server asks to wait, and how long to wait within the probe's deadline. Pure code.
 */
final class Greylisting {

    /** What must be left of the deadline after the wait for the retry to be worth making. */
    static final Duration ROOM_FOR_RETRY = Duration.ofSeconds(1);
    /** The longest delay read from a reply; a larger number is not a greylisting delay. */
    private static final long MAX_HINTED_SECONDS = 24 * 3600;

    private Greylisting() {
    }

    /**
     * When the probe retries greylisting and the last of {@code done} was greylisted, waits ({@link #wait}) and adds
     * the attempt {@code retry} makes; otherwise {@code done} as it is. One retry per greylisted attempt.
     */
    static CompletableFuture<List<Attempt>> retryIfGreylisted(ProbeConfig probe, Deadline deadline, List<Attempt> done,
                                                              Supplier<CompletableFuture<Attempt>> retry) {
        Duration max = probe.greylistRetry();
        Attempt last = done.isEmpty() ? null : done.get(done.size() - 1);
        if (max == null || last == null || !greylisted(last)) {
            return CompletableFuture.completedFuture(done);
        }
        Optional<Duration> wait = wait(last, max, deadline.remaining());
        if (wait.isEmpty()) {
            return CompletableFuture.completedFuture(done);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.get().toNanos(),
                TimeUnit.NANOSECONDS)).thenCompose(waited -> retry.get()).thenApply(again -> {
                    done.add(again);
                    return done;
                });
    }

    /** Whether {@code a} was deferred by greylisting: a transient rejection whose reason is greylisting. */
    static boolean greylisted(Attempt a) {
        return a.verdict() == Verdict.SMTP_TRANSIENT_REJECTION && a.policyReason() == PolicyReason.GREYLISTED;
    }

    /**
     * How long to wait before retrying {@code a}: the delay its reply names, at most {@code maxWait}, else
     * {@code maxWait}; empty when that wait and the retry do not fit in {@code remaining}.
     */
    static Optional<Duration> wait(Attempt a, Duration maxWait, Duration remaining) {
        Duration hinted = hintedDelay(rejection(a)).orElse(maxWait);
        Duration wait = hinted.compareTo(maxWait) <= 0 ? hinted : maxWait;
        return remaining.compareTo(wait.plus(ROOM_FOR_RETRY)) > 0 ? Optional.of(wait) : Optional.empty();
    }

    /** The greylisting reply of {@code a}: a refused recipient's, else the last reply. */
    static SmtpReply rejection(Attempt a) {
        for (RecipientResult r : a.recipients()) {
            if (r.reason() == PolicyReason.GREYLISTED && r.reply() != null) {
                return r.reply();
            }
        }
        return a.lastReply();
    }

    /**
     * The delay a greylisting reply names, read in one pass: "in 300 seconds", "after 5 minutes", "for 60 s",
     * "come back in 00:05:00" (milter-greylist's h:m:s).
     */
    static Optional<Duration> hintedDelay(SmtpReply reply) {
        if (reply == null) {
            return Optional.empty();
        }
        String t = Policies.classifiedText(reply);
        int n = t.length();
        int i = 0;
        while (i < n) {
            if (!Character.isDigit(t.charAt(i)) || (i > 0 && (Character.isLetterOrDigit(t.charAt(i - 1))
                    || t.charAt(i - 1) == '.' || t.charAt(i - 1) == ':'))) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (i - start > 6) {
                continue;
            }
            long value = Long.parseLong(t, start, i, 10);
            // h:m:s
            if (i + 5 < n && t.charAt(i) == ':' && digits2(t, i + 1) && t.charAt(i + 3) == ':' && digits2(t, i + 4)) {
                long seconds = value * 3600 + Long.parseLong(t, i + 1, i + 3, 10) * 60 + Long.parseLong(t, i + 4, i + 6, 10);
                return bounded(seconds);
            }
            int u = i;
            while (u < n && t.charAt(u) == ' ') {
                u++;
            }
            int w = u;
            while (w < n && Character.isLetter(t.charAt(w))) {
                w++;
            }
            String unit = t.substring(u, w);
            switch (unit) {
                case "s", "sec", "secs", "second", "seconds" -> {
                    return bounded(value);
                }
                case "m", "min", "mins", "minute", "minutes" -> {
                    return bounded(value * 60);
                }
                default -> {
                    // not a delay: go on after the number
                }
            }
        }
        return Optional.empty();
    }

    private static boolean digits2(String t, int at) {
        return at + 1 < t.length() && Character.isDigit(t.charAt(at)) && Character.isDigit(t.charAt(at + 1));
    }

    private static Optional<Duration> bounded(long seconds) {
        return seconds > 0 && seconds <= MAX_HINTED_SECONDS ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }
}
