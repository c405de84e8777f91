package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.dns.DnsResolver;
import dev.smtpprobe.internal.dns.DnsSettings;
import dev.smtpprobe.internal.dns.SearchList;
import dev.smtpprobe.internal.mail.LibraryParity;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs a probe: resolves the target like an MTA (MX, then A/AAAA, with dnsjava's asynchronous lookups), makes the
 * connection attempts, confirms a suspected TLS-mode mismatch, and turns the attempts into one {@link ProbeResult}.
 *
 * <p>Attempts: each port of the sweep runs concurrently; within a port, MX host by MX host in preference order and
 * address by address in {@link dev.smtpprobe.IpVersion} order, stopping at the first OK unless every attempt was
 * asked for.
 *
 * <p>Nothing here blocks the caller's thread: attempts are chained on the transport's threads. The overall
 * verdict is the first {@link Verdict#OK} attempt's, otherwise the failure that got furthest (the latest
 * {@link Phase}), the first of those on a tie: a rejection after EHLO says more than a refused second address.
 * When resolution finds no mail host with an address, its DNS verdict is the result.
 */
public final class Prober {

    private static final LazyLogger log = new LazyLogger(Prober.class);

    /**
     * How long after the deadline a transport may take to report the end of a connection: then the run ends
     * whatever the transport does (see {@link Conversation#forceFinish}: an attempt whose timer expired ends as its
     * phase's timeout, one whose transport never called back as {@link Verdict#INTERNAL_ERROR}). A run's result is
     * complete by the deadline plus this margin, plus the time to build the result and a thread to do it.
     */
    public static final Duration DEADLINE_MARGIN = Duration.ofMillis(100);
    /** The last {@link ProbeRun#id()} handed out in this JVM. */
    private static final AtomicLong RUNS = new AtomicLong();

    private Prober() {
    }

    /**
     * Starts a probe.
     *
     * @throws IllegalStateException at once when no transport is configured or found
     */
    public static CompletableFuture<ProbeResult> start(ProbeConfig probe) {
        Transport transport = probe.transport() != null ? probe.transport() : Transports.defaultTransport();
        return new Run(probe, transport, null).execute();
    }

    /**
     * Starts a probe whose caller blocks on it ({@code SmtpProbe.run()}): every connection runs on {@code caller}
     * (the caller's own thread, see {@link CallerLoop}) with {@link Transport#runPipeOnCallingThread}. That suits a
     * probe whose attempts come one after another (one port: addresses, MX hosts, a TLS-mode confirmation). A
     * sweep of several ports probes them concurrently, so it stays on the transport's own threads: in a row on
     * one thread, the ports would add up their timeouts and could overrun the deadline.
     *
     * @throws IllegalStateException at once when no transport is configured or found
     */
    public static CompletableFuture<ProbeResult> start(ProbeConfig probe, CallerLoop caller) {
        Transport transport = probe.transport() != null ? probe.transport() : Transports.defaultTransport();
        boolean oneAtATime = probe.ports().size() == 1;
        if (!oneAtATime) {
            CallbackThreads.requireMayWaitForSweep(probe.host(), probe.ports().size());
        }
        return new Run(probe, oneAtATime ? new OnCaller(transport, caller) : transport, caller).execute();
    }

    /**
     * Runs every connection of a run on the waiting caller's thread. The attempt's safety net is exact here: when
     * {@code runPipeOnCallingThread} returns, the connection is over, so an attempt it left unfinished (a transport that
     * never reported the close) ends at once, with no timer; one that throws ends as the transport's failure.
     */
    record OnCaller(Transport transport, CallerLoop caller) implements Transport {
        /** Only queues the connection for the caller's thread. */
        @Override
        public boolean opensAtOnce() {
            return true;
        }

        @Override
        public void openPipe(PipeRequest request, PipeHandler handler) {
            caller.execute(() -> {
                Dialogue dialogue = ((Connection) handler).dialogue();
                Conversation conversation = dialogue instanceof ProxyHop hop ? hop.conversation() : (Conversation) dialogue;
                if (conversation.outcome().isDone()) {
                    return; // ended before its turn (the deadline's safety net): never open it
                }
                try {
                    caller.runBlocking(() -> transport.runPipeOnCallingThread(request, handler));
                } catch (RuntimeException | Error e) {
                    conversation.transportFailed("runPipeOnCallingThread()", e);
                    if (e instanceof Error) {
                        throw (Error) e;
                    }
                } finally {
                    if (!conversation.outcome().isDone()) {
                        // Interrupted (the caller's interrupt, or the watchdog's at the deadline), or a bug.
                        conversation.forceFinish(Thread.currentThread().isInterrupted()
                                ? "returned from runPipeOnCallingThread() on an interrupt without reporting onClosed"
                                : "returned from runPipeOnCallingThread() without reporting onClosed", false);
                    }
                }
            });
        }
    }

    /** One run of a probe. */
    private static final class Run {
        private final ProbeConfig probe;
        /** The PTR name of the deciding attempt's address, when {@link PeerNames#ptrIfElsewhere} looked it up. */
        private volatile String peerPtr;
        private final Transport transport;
        private final Ticker ticker;
        private final long startNanos;
        private final Instant startedAt;
        private final Deadline deadline;
        private final SafeListener listener;
        /** The number the next attempt's listener events carry. */
        private final AtomicInteger attemptNumbers = new AtomicInteger();
        /** The attempts under way; what a stop or the deadline's safety net ends. */
        private final Set<Conversation> live = ConcurrentHashMap.newKeySet();
        /** The waiting caller of {@code run()}, or {@code null} for {@code runAsync()}. */
        private final CallerLoop caller;
        /** The run's result, as handed out: cancelling it stops the run. */
        private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        /** Once set, no new attempt starts: the caller gave up, or the deadline's safety net ended the run. */
        private volatile boolean stopped;
        /** Directly or through the proxy: set once, before the first attempt. */
        private volatile ProxyRoute route = ProxyRoute.DIRECT;
        /** The TLS policy of each port and the domain's published policies: set once, before the first attempt. */
        private volatile TlsPolicyRun tlsPolicy;

        Run(ProbeConfig probe, Transport transport, CallerLoop caller) {
            this.probe = probe;
            this.transport = transport;
            this.caller = caller;
            this.ticker = probe.ticker();
            this.startNanos = ticker.read();
            this.startedAt = probe.clock().instant();
            this.deadline = Deadline.after(ticker, startNanos, probe.deadline());
            this.listener = new SafeListener(new ProbeRun(RUNS.incrementAndGet(), probe.host(), probe.ports()),
                    probe.listeners());
        }

        private boolean isLiteral() {
            return probe.literalResolution() != null;
        }

        /**
         * Starts the run. The future it returns completes with a result by the deadline plus
         * {@link #DEADLINE_MARGIN}, never exceptionally; cancelling it (or the caller's interrupt) stops the run:
         * its connections close and no new one opens.
         */
        CompletableFuture<ProbeResult> execute() {
            Watchdog.Watch safetyNet = Watchdog.after(ticker, deadline.remaining().plus(DEADLINE_MARGIN).toNanos(),
                    this::expire);
            result.whenComplete((r, e) -> {
                safetyNet.cancel();
                if (e != null) { // only a cancel completes it exceptionally: the caller gave up
                    stop();
                }
            });
            try {
                listener.probeStart();
                CompletableFuture<ResolverComparison> comparison = compareResolvers();
                CompletableFuture<JvmResolution.Answer> jvm = jvmResolution();
                CompletableFuture<ProxyRoute> proxyRoute = ProxyRoute.of(probe, deadline.cap(probe.dnsTimeout()),
                        ticker);
                resolve().thenCompose(resolution -> comparison.thenCompose(compared -> {
                    CompletableFuture<List<Attempt>> attempts = resolution.isOk()
                            ? proxyRoute.thenCombine(TlsPolicyRun.start(probe, resolution, deadline), (r, p) -> {
                                route = r;
                                tlsPolicy = p;
                                return resolution;
                            }).thenCompose(this::attemptPorts)
                            : CompletableFuture.completedFuture(List.of());
                    attempts = attempts.thenCompose(list -> PeerNames.ptrIfElsewhere(list, probe,
                            deadline.cap(probe.dnsTimeout()), stopped, transport instanceof OnCaller c ? c.caller() : null)
                            .thenApply(ptr -> {
                                peerPtr = ptr;
                                return list;
                            }));
                    if (transport instanceof OnCaller onCaller) {
                        // The JVM's answer may come last, on its own thread: the result is then made on the
                        // caller's. Already there, it is made where the attempts ended (the caller's thread, or the
                        // watchdog's when it ended a stalled transport, whose caller may be held inside it).
                        return attempts.thenCompose(list -> jvm.isDone()
                                ? CompletableFuture.completedFuture(finish(resolution, compared, list, jvm.join()))
                                : jvm.thenApplyAsync(answer -> finish(resolution, compared, list, answer),
                                        onCaller.caller()));
                    }
                    return attempts.thenCombine(jvm, (list, answer) -> finish(resolution, compared, list, answer));
                })).whenComplete((r, e) -> {
                    if (e != null) {
                        result.complete(failed(e));
                    } else {
                        result.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                result.complete(failed(e));
            }
            return result;
        }

        /** The caller gave up: no new attempt, and every connection closes now. */
        private void stop() {
            stopped = true;
            for (Conversation c : live) {
                c.abort();
            }
        }

        /**
         * The deadline's safety net, on the watchdog: the deadline passed {@link #DEADLINE_MARGIN} ago and the
         * transport has not reported the end of every attempt. Ends those attempts (see
         * {@link Conversation#forceFinish}), wakes a caller held inside the transport, and completes the result if
         * still nothing did.
         */
        private void expire() {
            if (result.isDone()) {
                return;
            }
            stopped = true;
            String why = "did not report the end of the connection by the deadline (" + deadline.total().toMillis()
                    + " ms) plus " + DEADLINE_MARGIN.toMillis() + " ms";
            for (Conversation c : live) {
                c.forceFinish(why, true);
            }
            if (caller != null) {
                caller.rescue();
            }
            if (!result.isDone()) {
                result.complete(failed(new IllegalStateException("the probe did not complete by its deadline")));
            }
        }

        /** A run that failed inside the probe or its transport: a result that says so, never an exception. */
        private ProbeResult failed(Throwable e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            log.get().error("smtp-probe run for {} failed", probe.host(), cause);
            Transport t = transport instanceof OnCaller onCaller ? onCaller.transport() : transport;
            ProbeResult failed = ProbeResult.builder().target(probe.host()).ports(probe.ports())
                    .verdict(Verdict.INTERNAL_ERROR).phase(Phase.RESOLVE)
                    .detail("internal error of the probe or its transport " + t.getClass().getName() + ": " + cause
                            + " (a bug, not a network outcome)")
                    .startedAt(startedAt).elapsed(Duration.ofNanos(ticker.read() - startNanos))
                    .configFindings(probe.configFindings()).build();
            listener.probeEnd(failed);
            return failed;
        }

        // ---- resolution ---------------------------------------------------------------------------------------

        private DnsSettings dnsSettings(List<InetSocketAddress> servers) {
            SearchList search = SearchList.overriding(probe.searchDomains().orElse(null),
                    probe.ndots().isPresent() ? probe.ndots().getAsInt() : null);
            return new DnsSettings(servers, probe.dnsTimeout(), probe.ipVersion(),
                    probe.shuffleSeed().isPresent() ? probe.shuffleSeed().getAsLong() : null, search,
                    probe.hostsFile().orElse(null), ticker);
        }

        /**
         * The JVM's own resolution of the host, concurrently with the probe's DNS, to tell when the application would
         * connect elsewhere: for a host name resolved with the system's resolvers (resolvers given on purpose differ
         * from the JVM's by design; an address literal and a mail domain are not resolved by an application's mail
         * library). Bounded by the DNS timeout and the deadline; {@code null} when not made or not finished.
         */
        private CompletableFuture<JvmResolution.Answer> jvmResolution() {
            if (isLiteral() || probe.kind() != Resolution.Kind.HOST || !probe.resolvers().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return JvmResolution.lookup(probe.host(), deadline.cap(probe.dnsTimeout()), ticker);
        }

        private CompletableFuture<Resolution> resolve() {
            String host = probe.host();
            if (!isLiteral()) {
                listener.phaseStart(Phase.RESOLVE, null);
            }
            long t0 = ticker.read();
            CompletableFuture<Resolution> resolution;
            try {
                resolution = isLiteral()
                        ? CompletableFuture.completedFuture(probe.literalResolution())
                        : new DnsResolver(dnsSettings(probe.resolvers())).resolve(host, probe.kind());
            } catch (IllegalArgumentException e) {
                // The builder validated the name; this is a safety net, never a thrown network outcome.
                resolution = CompletableFuture.completedFuture(new Resolution(host, host, probe.kind(),
                        Verdict.DNS_FAILURE, "cannot resolve " + host + ": " + e.getMessage(), List.of(), List.of(),
                        Duration.ZERO));
            }
            if (!resolution.isDone()) { // an address literal's is: no timeout, and no text for one, to make
                Duration left = deadline.remaining();
                Resolution late = new Resolution(host, host, probe.kind(), Verdict.DNS_FAILURE, "resolving " + host
                        + " did not finish before the deadline (" + left.toMillis() + " ms)", List.of(), List.of(), left);
                resolution = resolution.completeOnTimeout(late, left.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (isLiteral()) {
                return resolution; // no RESOLVE phase to report
            }
            return resolution.whenComplete((r, e) -> {
                Duration took = Duration.ofNanos(ticker.read() - t0);
                if (r != null && r.isOk()) {
                    listener.phaseEnd(Phase.RESOLVE, null, took);
                } else {
                    listener.phaseFailed(Phase.RESOLVE, null, r != null ? r.verdict() : Verdict.DNS_FAILURE, took);
                }
            });
        }

        /** The same name through each resolver to compare, concurrently with the probe's own resolution. */
        private CompletableFuture<ResolverComparison> compareResolvers() {
            if (probe.comparedResolvers().isEmpty() || isLiteral()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<ResolverComparison> compared;
            try {
                compared = new DnsResolver(dnsSettings(probe.resolvers()))
                        .compare(probe.host(), probe.kind(), probe.comparedResolvers());
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(null);
            }
            // A comparison that outlives the deadline is left out rather than holding the probe.
            return compared.completeOnTimeout(null, deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        }

        // ---- attempts -----------------------------------------------------------------------------------------

        /** Every port of the sweep, concurrently; the attempts come back port by port, in the order given. */
        private CompletableFuture<List<Attempt>> attemptPorts(Resolution resolution) {
            List<CompletableFuture<List<Attempt>>> perPort = new ArrayList<>();
            for (int port : probe.ports()) {
                List<Target> targets = new ArrayList<>();
                for (MailHost host : resolution.reachableHosts()) {
                    // SNI and hostname verification use the MX host's name; for a single host, the name as given (in ASCII),
                    // as the application checks it, even when the search list found it under a longer name.
                    String name = switch (resolution.kind()) {
                        case MX -> host.name();
                        case HOST -> resolution.name();
                        case LITERAL -> probe.host();
                    };
                    for (InetAddress a : host.addresses()) {
                        targets.add(new Target(name, new InetSocketAddress(a, port)));
                    }
                }
                perPort.add(attemptEach(targets, probe.tlsModeFor(port), 0, new ArrayList<>()));
            }
            if (perPort.size() == 1) {
                return perPort.get(0); // one port, the common case: its attempts are the run's
            }
            return CompletableFuture.allOf(perPort.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<Attempt> all = new ArrayList<>();
                perPort.forEach(f -> all.addAll(f.join()));
                return all;
            });
        }

        private CompletableFuture<List<Attempt>> attemptEach(List<Target> targets, TlsMode tlsMode, int index,
                                                             List<Attempt> done) {
            if (index >= targets.size() || (!done.isEmpty() && (deadline.passed() || stopped))) {
                return CompletableFuture.completedFuture(done);
            }
            Target target = targets.get(index);
            Integer next = index + 1; // boxed: a lambda capturing an int spins a method-handle form at first use
            AttemptPlan plan = new AttemptPlan(target.host(), target.remote(), tlsMode, probe,
                    probe.greetingTimeout(), deadline, startNanos, transport, listener,
                    attemptNumbers.getAndIncrement(), route, false, tlsPolicy);
            return attempt(plan).thenApply(a -> tlsPolicy.judge(plan, a))
                    .thenCompose(attempt -> confirm(plan, attempt, done))
                    .thenCompose(list -> Greylisting.retryIfGreylisted(probe, deadline, list, () -> {
                        AttemptPlan retry = plan.again(attemptNumbers.getAndIncrement());
                        return attempt(retry).thenApply(a -> tlsPolicy.judge(retry, a));
                    }))
                    .thenCompose(list -> {
                // A confirmed TLS-mode mismatch is conclusive for this port, like an OK; so is an attempt decided at
                // AUTH or ENVELOPE (the service itself answered).
                if (!probe.allAttempts() && conclusive(list)) {
                    return CompletableFuture.completedFuture(list);
                }
                return attemptEach(targets, tlsMode, next, list);
            });
        }

        /**
         * An attempt decided at AUTH or ENVELOPE had the mail service's own answer: another address (or a backup MX)
         * normally gives the same one, an MTA would not fail over on it either, and sending rejected credentials
         * again only brings an account lockout closer.
         */
        private static boolean conclusive(List<Attempt> list) {
            for (Attempt a : list) {
                if (a.isOk() || a.verdict() == Verdict.TLS_MODE_MISMATCH || spokeWithService(a)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean spokeWithService(Attempt attempt) {
            return attempt.phase() == Phase.AUTH || attempt.phase() == Phase.ENVELOPE;
        }

        /**
         * A confirmation attempt when {@code attempt}'s outcome calls for one ({@link Confirmations}: no banner in
         * plain text, or no AUTH in plain text beside STARTTLS). The first attempt is relabelled with the confirmed
         * cause; the confirmation is kept as evidence right after it (same address, other TLS mode:
         * {@link Decision} never lets it decide).
         */
        private CompletableFuture<List<Attempt>> confirm(AttemptPlan plan, Attempt attempt, List<Attempt> done) {
            done.add(attempt);
            TlsMode mode = Confirmations.modeFor(plan, attempt);
            if (mode == null || deadline.passed() || stopped) {
                return CompletableFuture.completedFuture(done);
            }
            return attempt(Confirmations.plan(plan, mode, attemptNumbers.getAndIncrement())).thenApply(confirmation -> {
                done.set(done.size() - 1, Confirmations.conclude(attempt, confirmation));
                done.add(confirmation);
                return done;
            });
        }

        /**
         * One attempt. Its end is bounded by the transport's timers, and by {@link #expire} when the transport
         * misses them. In a run stopped meanwhile it never opens a connection: it ends at once, unopened.
         */
        private CompletableFuture<Attempt> attempt(AttemptPlan plan) {
            Conversation conversation = new Conversation(plan);
            live.add(conversation);
            conversation.outcome().whenComplete((a, e) -> live.remove(conversation));
            return stopped ? conversation.notStarted() : conversation.start();
        }

        // ---- the result ---------------------------------------------------------------------------------------

        private ProbeResult finish(Resolution resolution, ResolverComparison comparison, List<Attempt> attempts,
                                   JvmResolution.Answer jvm) {
            Duration elapsed = Duration.ofNanos(ticker.read() - startNanos);
            ProbeResult result;
            if (attempts.isEmpty()) {
                List<Hint> hints = new ArrayList<>();
                JvmResolution.compare(probe.host(), resolution, jvm, probe.ipVersion()).ifPresent(hints::add);
                Sweep.resolversDisagree(comparison).ifPresent(hints::add);
                result = ProbeResult.builder().target(probe.host()).ports(probe.ports())
                        .verdict(resolution.verdict()).phase(Phase.RESOLVE).detail(resolution.detail())
                        .startedAt(startedAt).elapsed(elapsed).hints(hints).resolution(resolution)
                        .comparison(comparison).configFindings(probe.configFindings()).build();
            } else {
                int decidingIndex = Decision.decidingIndex(attempts);
                if (decidingIndex < 0) {
                    throw new IllegalStateException("no attempt was made");
                }
                List<Attempt> done = List.copyOf(attempts);
                Attempt deciding = done.get(decidingIndex);
                // The hints are text for a reader: derived when the result's hints are first read, from facts fixed
                // now, so a result nobody asks for hints costs none (BENCHMARKS.md, issue 18).
                String ptr = peerPtr;
                Instant now = probe.clock().instant();
                TlsPolicyRun policy = tlsPolicy;
                Supplier<List<Hint>> hints = new DerivedHints(probe, resolution, comparison, done, deciding, jvm, ptr,
                        now, policy);
                result = ProbeResult.builder().target(probe.host()).ports(probe.ports())
                        .verdict(deciding.verdict()).phase(deciding.phase()).detail(deciding.detail())
                        .policyReason(deciding.policyReason()).startedAt(startedAt).elapsed(elapsed)
                        .attempts(done).derivedHints(hints).resolution(resolution).comparison(comparison)
                        .decidingIndex(decidingIndex).tlsPolicy(tlsPolicy.report(deciding))
                        .configFindings(probe.firstAddressOnlyKey() == null
                                ? probe.configFindings()
                                : LibraryParity.afterRun(probe.configFindings(), probe.firstAddressOnlyKey(),
                                        probe.host(), done)).build();
            }
            if (!stopped || !this.result.isDone()) { // a run the caller gave up on reports no end
                listener.probeEnd(result);
            }
            return result;
        }
    }

    /**
     * The hints of a finished run, derived when first read ({@link ProbeResult.Builder#derivedHints}). A class, not a
     * lambda: a lambda capturing nine values spins a method-handle form on an application's first probe.
     */
    private static final class DerivedHints implements Supplier<List<Hint>> {
        private final ProbeConfig probe;
        private final Resolution resolution;
        private final ResolverComparison comparison;
        private final List<Attempt> attempts;
        private final Attempt deciding;
        private final JvmResolution.Answer jvm;
        private final String peerPtr;
        private final Instant now;
        private final TlsPolicyRun tlsPolicy;

        DerivedHints(ProbeConfig probe, Resolution resolution, ResolverComparison comparison, List<Attempt> attempts,
                     Attempt deciding, JvmResolution.Answer jvm, String peerPtr, Instant now, TlsPolicyRun tlsPolicy) {
            this.probe = probe;
            this.resolution = resolution;
            this.comparison = comparison;
            this.attempts = attempts;
            this.deciding = deciding;
            this.jvm = jvm;
            this.peerPtr = peerPtr;
            this.now = now;
            this.tlsPolicy = tlsPolicy;
        }

        /**
         * The hints, most relevant first; never throws (a bug in a hint leaves it out, logged, rather than failing
         * the reader of a finished result).
         */
        @Override
        public List<Hint> get() {
            List<Hint> hints = new ArrayList<>();
            try {
                // Facts from the sweep and the resolvers come first: they name the cause outright.
                Sweep.port25Blocked(attempts).ifPresent(hints::add);
                JvmResolution.compare(probe.host(), resolution, jvm, probe.ipVersion()).ifPresent(hints::add);
                Sweep.resolversDisagree(comparison).ifPresent(hints::add);
                hints.addAll(Hints.derive(deciding.verdict(), deciding, attempts, probe.environment()));
                Hints.certificateExpiry(deciding.verdict(), deciding, probe.certificateExpiryWarning(), now)
                        .ifPresent(hints::add);
                TlsFindings.belowMinimum(deciding, probe.minTlsVersion(), TlsVersions.offered()).ifPresent(hints::add);
                PeerNames.differentOperator(PeerNames.target(probe, deciding), deciding, peerPtr).ifPresent(hints::add);
                StartTlsStripping.hint(deciding, attempts).ifPresent(hints::add);
                hints.addAll(tlsPolicy.hints(deciding));
            } catch (RuntimeException e) {
                log.get().error("smtp-probe: deriving the hints for {} failed; the hints after the failing one are "
                        + "left out", probe.host(), e);
            }
            return hints;
        }
    }

    /** Where one attempt goes: the host name it is for and the address and port. */
    private record Target(String host, InetSocketAddress remote) {
    }
}
