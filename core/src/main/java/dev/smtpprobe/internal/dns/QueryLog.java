package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.internal.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The DNS exchanges of one resolution, kept in the order the queries were sent. Threadsafe. */
final class QueryLog {

    private record Entry(long sentNanos, long seq, DnsLookup lookup) {
    }

    /** Ticker readings compare by their difference (they may wrap); the sequence breaks ties. */
    private static final Comparator<Entry> BY_SENT = (a, b) -> {
        long d = a.sentNanos() - b.sentNanos();
        return d != 0 ? Long.signum(d) : Long.compare(a.seq(), b.seq());
    };

    private final List<Entry> entries = new ArrayList<>();
    private final Ticker ticker;
    private final long startNanos;
    private long seq;

    /** A log for a resolution that starts now, on {@code ticker}. */
    QueryLog(Ticker ticker) {
        this.ticker = ticker;
        this.startNanos = ticker.read();
    }

    /** The ticker's reading now. */
    long now() {
        return ticker.read();
    }

    /** The time since the resolution started. */
    Duration elapsed() {
        return since(now());
    }

    /** The time from the start of resolution to {@code nanos}. */
    Duration since(long nanos) {
        return Duration.ofNanos(Math.max(0, nanos - startNanos));
    }

    synchronized void add(long sentNanos, DnsLookup lookup) {
        entries.add(new Entry(sentNanos, seq++, lookup));
    }

    /** Every exchange so far, in the order sent. */
    synchronized List<DnsLookup> lookups() {
        return entries.stream()
                .sorted(BY_SENT)
                .map(Entry::lookup)
                .toList();
    }
}
