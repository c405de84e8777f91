package dev.smtpprobe.internal;

/**
 * The engine's only source of monotonic time, so a test can drive it. Reads nanoseconds with an arbitrary origin,
 * like {@link System#nanoTime()}; only differences between two reads mean anything.
 */
@FunctionalInterface
public interface Ticker {

    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** @return the current reading in nanoseconds */
    long read();
}
