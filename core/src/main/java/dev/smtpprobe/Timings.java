package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Immutable, phase-ordered copies of per-phase durations. */
final class Timings {

    private Timings() {
    }

    static Map<Phase, Duration> copyOf(Map<Phase, Duration> timings) {
        Arguments.requireNonNull(timings, "timings");
        if (timings.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new EnumMap<>(timings));
    }
}
