package dev.smtpprobe;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which probe of a batch starts next: the next in order whose destination has fewer than the limit in flight; a
 * probe whose destination is busy waits, and starts when a probe of that destination finishes. Threadsafe (one lock,
 * held for bookkeeping only).
 */
final class DestinationGate {

    private final List<String> destinations;
    private final int perDestination;
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, ArrayDeque<Integer>> waiting = new HashMap<>();
    private int cursor;

    /** @param destinations each probe's destination, in order */
    DestinationGate(List<String> destinations, int perDestination) {
        this.destinations = destinations.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        this.perDestination = perDestination;
    }

    /**
     * The index of the probe to start now, or -1 when none may start (all started, or the rest wait for busy
     * destinations).
     *
     * @param finished the index of the probe that just finished (its slot is free), or -1
     */
    synchronized int next(int finished) {
        if (finished >= 0) {
            String d = destinations.get(finished);
            inFlight.merge(d, -1, Integer::sum);
            ArrayDeque<Integer> queue = waiting.get(d);
            if (queue != null && !queue.isEmpty()) {
                int i = queue.poll();
                inFlight.merge(d, 1, Integer::sum);
                return i;
            }
        }
        while (cursor < destinations.size()) {
            int i = cursor++;
            String d = destinations.get(i);
            if (inFlight.getOrDefault(d, 0) < perDestination) {
                inFlight.merge(d, 1, Integer::sum);
                return i;
            }
            waiting.computeIfAbsent(d, k -> new ArrayDeque<>()).add(i);
        }
        return -1;
    }
}
