package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.Scope;
import dev.smtpprobe.internal.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Many probes run concurrently, at most {@link #concurrency(int)} at a time, with a {@link ScopeSummary} that says
 * whether the failures point at your side or at some recipients' gateways (the field guide's "compare scope" step).
 *
 * <pre>{@code
 * BatchResult batch = SmtpProbe.batch(List.of("example.com", "example.net", "example.org"),
 *         domain -> SmtpProbe.mx(domain).ports(25)).concurrency(4).run();
 * System.out.println(batch.scope().message());
 * }</pre>
 *
 * <p>Probes start in the order given (a probe whose destination already has {@link #perDestination(int)} probes in
 * flight waits for one of them) and results keep that order. A batch can run many times; it is not
 * threadsafe to configure, but {@link #run()} and {@link #runAsync()} may be called concurrently once configured.
 */
public final class ProbeBatch {

    /** Probes in flight at once unless {@link #concurrency(int)} says otherwise. */
    public static final int DEFAULT_CONCURRENCY = 8;
    /** The most probes in flight at once. */
    public static final int MAX_CONCURRENCY = 256;
    /** Probes of one destination in flight at once unless {@link #perDestination(int)} says otherwise. */
    public static final int DEFAULT_PER_DESTINATION = 1;

    private final List<SmtpProbe> probes;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int perDestination = DEFAULT_PER_DESTINATION;

    ProbeBatch(Collection<SmtpProbe> probes) {
        Arguments.requireNonNull(probes, "probes");
        Arguments.requireArgument(!probes.isEmpty(), "probes must not be empty");
        int i = 0;
        for (SmtpProbe p : probes) {
            Arguments.requireNonNull(p, "probes[" + i++ + "]");
        }
        this.probes = List.copyOf(probes);
    }

    /** See {@link SmtpProbe#batch(Collection, Function)}. */
    static ProbeBatch of(Collection<String> targets, Function<String, SmtpProbe.Builder> configure) {
        Arguments.requireNonNull(targets, "targets");
        Arguments.requireArgument(!targets.isEmpty(), "targets must not be empty");
        Arguments.requireNonNull(configure, "configure");
        List<SmtpProbe> probes = new ArrayList<>();
        int i = 0;
        for (String target : targets) {
            Arguments.requireNonNull(target, "targets[" + i++ + "]");
            SmtpProbe.Builder b = configure.apply(target);
            Arguments.requireArgument(b != null, "configure returned null for %s", target);
            probes.add(b.build());
        }
        return new ProbeBatch(probes);
    }

    /**
     * At most this many probes in flight at once (default {@value #DEFAULT_CONCURRENCY}).
     *
     * @param limit the most probes in flight at once
     * @return this batch
     * @throws IllegalArgumentException when out of 1..{@value #MAX_CONCURRENCY}
     */
    public ProbeBatch concurrency(int limit) {
        Arguments.requireArgument(limit >= 1 && limit <= MAX_CONCURRENCY, "concurrency must be 1..%d: %d",
                MAX_CONCURRENCY, limit);
        this.concurrency = limit;
        return this;
    }

    /**
     * At most this many probes of one destination in flight at once (default {@value #DEFAULT_PER_DESTINATION}):
     * servers count connections per client address and answer a burst with "421 too many connections", which would
     * be our own doing, not the server's policy. A destination is a probe's target as given (a host name, a domain
     * or an address, case-insensitively); a probe whose destination is busy waits while later probes start.
     *
     * @param limit the most probes of one destination in flight at once
     * @return this batch
     * @throws IllegalArgumentException when out of 1..{@value #MAX_CONCURRENCY}
     */
    public ProbeBatch perDestination(int limit) {
        Arguments.requireArgument(limit >= 1 && limit <= MAX_CONCURRENCY, "perDestination must be 1..%d: %d",
                MAX_CONCURRENCY, limit);
        this.perDestination = limit;
        return this;
    }

    /** {@return the probes, in order} */
    public List<SmtpProbe> probes() {
        return probes;
    }

    /**
     * Runs every probe and waits for all results.
     *
     * <p>When the calling thread is interrupted while it waits (or already is when it calls), the batch stops
     * within about 100 ms: every probe in flight is cancelled (its connections close), no further probe starts,
     * and {@link ProbeInterruptedException} is thrown with the interrupt status still set.
     *
     * @return every result, in the order of the probes, and the scope summary of the failures
     * @throws ProbeInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException     at once when a probe has no transport (see {@link SmtpProbe#runAsync()})
     */
    public BatchResult run() {
        String what = "a batch of " + probes.size() + " probes";
        if (Thread.currentThread().isInterrupted()) {
            throw new ProbeInterruptedException(what, new InterruptedException());
        }
        CompletableFuture<BatchResult> batch = runAsync();
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.cancel(true);
            throw new ProbeInterruptedException(what, e);
        } catch (ExecutionException e) {
            // Never for a probe's outcome (those are results); only a bug on the way.
            throw new IllegalStateException("the batch failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Runs every probe without blocking: {@code concurrency} start at once, each completion starts the next. The
     * future completes with every result, each probe bounded by its own deadline.
     *
     * <p>{@code cancel(true)} or {@code cancel(false)} on the returned future stops the batch: every probe in flight
     * is cancelled (see {@link SmtpProbe#runAsync()}: its connections close) and no further probe starts.
     *
     * @return a future of every result and the scope summary; cancelling it stops the batch
     * @throws IllegalStateException at once when a probe has no transport (see {@link SmtpProbe#runAsync()})
     */
    public CompletableFuture<BatchResult> runAsync() {
        return new Run(probes, concurrency, perDestination).start();
    }

    @Override
    public String toString() {
        return "ProbeBatch{" + probes.size() + " probes, concurrency=" + concurrency + ", perDestination="
                + perDestination + "}";
    }

    /** One run: a shared cursor, each slot pulling the next probe when its previous one completes. */
    private static final class Run {
        private final List<SmtpProbe> probes;
        private final int slots;
        private final AtomicReferenceArray<ProbeResult> results;
        private final DestinationGate gate;
        private final AtomicInteger finished = new AtomicInteger();
        private final CompletableFuture<BatchResult> done = new CompletableFuture<>();
        /** The probes in flight, each removed when it completes: what a cancel of the batch cancels. */
        private final Set<CompletableFuture<ProbeResult>> inFlight = ConcurrentHashMap.newKeySet();
        /** The batch times itself on its first probe's ticker (all of a batch's probes share one outside tests). */
        private final Ticker ticker;
        private final long startNanos;

        Run(List<SmtpProbe> probes, int concurrency, int perDestination) {
            this.probes = probes;
            this.gate = new DestinationGate(probes.stream().map(p -> p.config().host()).toList(), perDestination);
            this.ticker = probes.get(0).config().ticker();
            this.startNanos = ticker.read();
            this.slots = Math.min(concurrency, probes.size());
            this.results = new AtomicReferenceArray<>(probes.size());
        }

        CompletableFuture<BatchResult> start() {
            done.whenComplete((r, e) -> {
                if (e != null) { // cancelled by the caller (or a bug): stop what is in flight
                    inFlight.forEach(f -> f.cancel(true));
                }
            });
            // The first probe starts on the caller's thread, so a missing transport throws here, at once.
            for (int i = 0; i < slots; i++) {
                pump(-1);
            }
            return done;
        }

        /**
         * Starts the next probe; when it completes, records it and starts the one after. A probe already complete
         * when started is handled in the loop, not by recursion, so a long batch of instant results cannot
         * overflow the stack.
         */
        private void pump(int freed) {
            while (true) {
                if (done.isDone()) {
                    return;
                }
                int i = gate.next(freed);
                if (i < 0) {
                    return;
                }
                CompletableFuture<ProbeResult> f;
                try {
                    f = probes.get(i).runAsync();
                } catch (RuntimeException e) {
                    if (i == 0) {
                        throw e;
                    }
                    done.completeExceptionally(e);
                    return;
                }
                if (f.isDone()) {
                    record(i, f.handle((r, e) -> e == null ? r : null).join(), failureOf(f));
                    freed = i;
                    continue;
                }
                inFlight.add(f);
                f.whenComplete((result, error) -> {
                    inFlight.remove(f);
                    record(i, result, error);
                    pump(i);
                });
                if (done.isDone()) {
                    f.cancel(true); // the batch was cancelled while this probe started
                }
                return;
            }
        }

        private static Throwable failureOf(CompletableFuture<ProbeResult> f) {
            return f.handle((r, e) -> e).join();
        }

        private void record(int i, ProbeResult result, Throwable error) {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            results.set(i, result);
            if (finished.incrementAndGet() == probes.size()) {
                complete();
            }
        }

        private void complete() {
            List<ProbeResult> all = new ArrayList<>(probes.size());
            for (int i = 0; i < probes.size(); i++) {
                all.add(results.get(i));
            }
            Duration elapsed = Duration.ofNanos(ticker.read() - startNanos);
            done.complete(new BatchResult(all, Scope.summarise(all), elapsed));
        }
    }
}
