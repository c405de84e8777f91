package dev.smtpprobe.internal;

import java.time.Duration;

/** The end of a probe's time budget, on the monotonic clock. */
final class Deadline {

    private final Ticker ticker;
    private final long endNanos;
    private final Duration total;

    private Deadline(Ticker ticker, long endNanos, Duration total) {
        this.ticker = ticker;
        this.endNanos = endNanos;
        this.total = total;
    }

    /** A deadline {@code total} after {@code startNanos}, a reading of {@code ticker}. */
    public static Deadline after(Ticker ticker, long startNanos, Duration total) {
        return new Deadline(Arguments.requireNonNull(ticker, "ticker"), startNanos + total.toNanos(), total);
    }

    /** A deadline {@code total} after {@code startNanos}, a reading of {@link Ticker#SYSTEM}. */
    public static Deadline after(long startNanos, Duration total) {
        return after(Ticker.SYSTEM, startNanos, total);
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
