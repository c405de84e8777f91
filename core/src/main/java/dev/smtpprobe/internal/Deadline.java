package dev.smtpprobe.internal;

import java.time.Duration;

/** The end of a probe's time budget, on the monotonic clock. */
final class Deadline {

    private final Ticker ticker;
    private final long endNanos;
    private final Duration total;
    /** What a detail calls this deadline: the probe's own, or a confirmation's budget within it. */
    private final String name;

    private Deadline(Ticker ticker, long endNanos, Duration total, String name) {
        this.ticker = ticker;
        this.endNanos = endNanos;
        this.total = total;
        this.name = name;
    }

    /** A deadline {@code total} after {@code startNanos}, a reading of {@code ticker}. */
    public static Deadline after(Ticker ticker, long startNanos, Duration total) {
        return new Deadline(Arguments.requireNonNull(ticker, "ticker"), startNanos + total.toNanos(), total,
                "the probe's deadline");
    }

    /** A deadline {@code total} after {@code startNanos}, a reading of {@link Ticker#SYSTEM}. */
    public static Deadline after(long startNanos, Duration total) {
        return after(Ticker.SYSTEM, startNanos, total);
    }

    /**
     * A deadline {@code budget} from now, or this one when it comes first: what bounds a confirmation attempt.
     * A detail names it as {@code name} ("the confirmation's budget").
     */
    public Deadline within(Duration budget, String name) {
        long now = ticker.read();
        long end = now + budget.toNanos();
        return end - endNanos >= 0 ? this : new Deadline(ticker, end, budget, name);
    }

    /** {@code "the probe's deadline of 8000 ms"}: what a detail says when this deadline cut a timer short. */
    public String describe() {
        return name + " of " + total.toMillis() + " ms";
    }

    /** The whole budget. */
    public Duration total() {
        return total;
    }

    /** Time left, never negative. */
    public Duration remaining() {
        long left = endNanos - ticker.read();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** Whether no time is left. */
    public boolean passed() {
        return endNanos - ticker.read() <= 0;
    }

    /**
     * {@code timeout} cut to the time left, at least one millisecond (a transport needs a positive timer; a
     * deadline already passed fires at once).
     */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        Duration d = timeout.compareTo(left) <= 0 ? timeout : left;
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }

    /** Whether {@link #cap} cut {@code timeout} short. */
    public boolean cuts(Duration timeout) {
        return remaining().compareTo(timeout) < 0;
    }
}
