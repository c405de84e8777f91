package dev.smtpprobe.spring.boot;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's mail server, probed in the background and cached: what the health contributor and the pre-flight
 * check read.
 *
 * <p>{@link #snapshot()} never waits on the network: it returns the latest result at once and, when there is none or
 * it is older than the cache TTL, starts one background probe. At most one probe runs at a time, so however often
 * health is asked for, the mail server sees at most one probe per TTL (plus one when a probe ends after the TTL).
 * A probe never takes longer than the probe's deadline (the {@code smtp-probe.budget}).
 *
 * <p>An application can read it too, e.g. to refuse a request that would send mail while the server is known to
 * be down:
 *
 * <pre>{@code
 * boolean mailWorks = monitor.snapshot().latest().map(ProbeResult::isOk).orElse(true);
 * }</pre>
 *
 * <p>When the configuration names no mail server that can be probed (a host property that is not a host name), the
 * starter's monitor has no probe: {@link #snapshot()} holds no result and starts nothing, {@link #refresh()} fails
 * with an {@link IllegalStateException} naming the property, and {@link #probe()} throws it; the health contributor
 * reports {@code DOWN} with the property and its fix.
 *
 * <p>This class is threadsafe.
 */
public final class SmtpProbeMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpProbeMonitor.class);

    /** The latest result and when it was made. */
    public record Snapshot(ProbeResult result, Instant checkedAt, boolean refreshing) {

        /** {@return the latest result, or empty before the first probe ends} */
        public Optional<ProbeResult> latest() {
            return Optional.ofNullable(result);
        }
    }

    private record Checked(ProbeResult result, long atNanos, Instant at) {
    }

    private final SmtpProbe probe;
    /** Why there is no probe; {@code null} when there is one. */
    private final MailTargetProblem problem;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final AtomicReference<Checked> latest = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<ProbeResult>> running = new AtomicReference<>();
    /** The probe's own future of the running probe: cancelling it stops the probe. */
    private volatile CompletableFuture<ProbeResult> probing;
    private volatile boolean closed;

    /**
     * Probes with {@code probe}, serving each result for {@code ttl}.
     *
     * @param probe the probe run on each refresh
     * @param ttl how long a result is served before a {@link #snapshot()} starts a refresh; positive
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    public SmtpProbeMonitor(SmtpProbe probe, Duration ttl) {
        this(probe, ttl, System::nanoTime, Clock.systemUTC());
    }

    SmtpProbeMonitor(SmtpProbe probe, Duration ttl, LongSupplier nanoTime, Clock clock) {
        this(Objects.requireNonNull(probe, "probe"), null, ttl, nanoTime, clock);
    }

    /** A monitor of a configuration that cannot be probed: see the class comment. */
    SmtpProbeMonitor(MailTargetProblem problem, Duration ttl) {
        this(null, Objects.requireNonNull(problem, "problem"), ttl, System::nanoTime, Clock.systemUTC());
    }

    private SmtpProbeMonitor(SmtpProbe probe, MailTargetProblem problem, Duration ttl, LongSupplier nanoTime,
            Clock clock) {
        this.probe = probe;
        this.problem = problem;
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    /**
     * The probe this monitor runs.
     *
     * @return the probe this monitor runs, never {@code null}
     * @throws IllegalStateException naming the property when the configuration names no server that can be probed
     */
    public SmtpProbe probe() {
        if (probe == null) {
            throw unusable();
        }
        return probe;
    }

    /** Why this monitor has no probe, or {@code null} when it has one. */
    MailTargetProblem problem() {
        return problem;
    }

    /** The server probed, for the health details: the probe's host, or the unusable value. */
    String target() {
        return probe != null ? probe.host() : problem.value();
    }

    private IllegalStateException unusable() {
        return new IllegalStateException("smtp-probe cannot probe the configured mail server: " + problem.describe());
    }

    /**
     * The latest result, at once; starts a background probe when there is no result or it is older than the TTL and
     * no probe is running.
     *
     * @return the latest result and when it was taken (both {@code null} before the first probe ends) and whether a
     *     probe is running
     */
    public Snapshot snapshot() {
        Checked checked = latest.get();
        if (probe != null && !closed && (checked == null || nanoTime.getAsLong() - checked.atNanos() >= ttlNanos)) {
            refresh();
        }
        checked = latest.get();
        boolean refreshing = running.get() != null;
        return checked == null ? new Snapshot(null, null, refreshing)
                : new Snapshot(checked.result(), checked.at(), refreshing);
    }

    /**
     * Starts a probe unless one is running, and returns the running one. The future completes with the result by
     * the probe's deadline (+ 250 ms); exceptionally only when no probe can be made (no transport, or no server that
     * can be probed) or the monitor is closed.
     *
     * @return the future of the running probe, shared by every caller until it completes
     */
    public CompletableFuture<ProbeResult> refresh() {
        if (probe == null) {
            return CompletableFuture.failedFuture(unusable());
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the monitor of " + probe.host()
                    + " is closed"));
        }
        while (true) {
            CompletableFuture<ProbeResult> current = running.get();
            if (current != null) {
                return current;
            }
            CompletableFuture<ProbeResult> mine = new CompletableFuture<>();
            if (running.compareAndSet(null, mine)) {
                start(mine);
                return mine;
            }
        }
    }

    private void start(CompletableFuture<ProbeResult> mine) {
        CompletableFuture<ProbeResult> probing;
        try {
            probing = probe.runAsync();
        } catch (RuntimeException e) {
            // No transport on the class path: every probe would fail the same way; say it once per refresh.
            log.warn("smtp-probe: cannot probe {}: {}", probe.host(), e.getMessage());
            running.set(null);
            mine.completeExceptionally(e);
            return;
        }
        this.probing = probing;
        if (closed) {
            probing.cancel(true);
        }
        probing.whenComplete((result, failure) -> {
            this.probing = null;
            if (result != null) {
                latest.set(new Checked(result, nanoTime.getAsLong(), clock.instant()));
            }
            running.set(null);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(result);
            }
        });
    }

    /**
     * Stops a running probe (its connections close at once) and starts no more: the application is shutting down.
     * Spring calls it when the context closes.
     */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<ProbeResult> current = probing;
        if (current != null) {
            current.cancel(true);
        }
    }
}
