package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a probe: resolves the target, makes the connection attempts, confirms a suspected TLS-mode mismatch, and
 * turns the attempts into one {@link ProbeResult}.
 *
 * <p>Nothing here blocks the caller's thread: attempts are chained on the transport's threads. The overall
 * verdict is the first {@link Verdict#OK} attempt's, otherwise the failure that got furthest (the latest
 * {@link Phase}), the first of those on a tie: a rejection after EHLO says more than a refused second address.
 */
public final class Prober {

    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    /** A confirmation attempt in the other TLS mode waits at most this long for its banner. */
    static final Duration CONFIRMATION_GREETING_TIMEOUT = Duration.ofSeconds(3);
    /** How long after the deadline a transport may take to report the end of a connection before the safety net. */
    private static final Duration TRANSPORT_GRACE = Duration.ofSeconds(3);

    private Prober() {
    }

    /**
     * Starts a probe.
     *
     * @throws IllegalStateException at once when no transport is configured or found
     */
    public static CompletableFuture<ProbeResult> start(SmtpProbe probe) {
        Transport transport = probe.transport() != null ? probe.transport() : Transports.defaultTransport();
        return new Run(probe, transport).execute();
    }

    /** One run of a probe. */
    private static final class Run {
        private final SmtpProbe probe;
        private final Transport transport;
        private final long startNanos = System.nanoTime();
        private final Instant startedAt;
        private final Deadline deadline;
        private final SafeListener listener;
        /** Attempts made only to confirm a TLS-mode mismatch: evidence, never the deciding attempt. */
        private final Set<Attempt> confirmations = Collections.newSetFromMap(new IdentityHashMap<>());

        Run(SmtpProbe probe, Transport transport) {
            this.probe = probe;
            this.transport = transport;
            this.startedAt = probe.clock().instant();
            this.deadline = Deadline.after(startNanos, probe.deadline());
            this.listener = new SafeListener(probe.listener());
        }

        CompletableFuture<ProbeResult> execute() {
            listener.probeStart(probe.host());
            return resolve().thenCompose(resolved -> {
                if (resolved.failure != null) {
                    return CompletableFuture.completedFuture(finish(resolved.failure, List.of()));
                }
                List<InetSocketAddress> remotes = new ArrayList<>();
                for (InetAddress a : resolved.addresses) {
                    remotes.add(new InetSocketAddress(a, probe.port()));
                }
                return attemptEach(remotes, 0, new ArrayList<>()).thenApply(attempts -> finish(null, attempts));
            });
        }

        // ---- resolution ---------------------------------------------------------------------------------------

        private CompletableFuture<Resolved> resolve() {
            Optional<InetAddress> literal = Addresses.parseLiteral(probe.host());
            if (literal.isPresent()) {
                return CompletableFuture.completedFuture(new Resolved(List.of(literal.get()), null));
            }
            listener.phaseStart(Phase.RESOLVE, probe.host(), null);
            long t0 = System.nanoTime();
            String host = probe.host();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return new Resolved(Arrays.asList(InetAddress.getAllByName(host)), null);
                } catch (UnknownHostException e) {
                    return new Resolved(List.of(), new DnsFailure(Verdict.DNS_FAILURE,
                            "could not resolve " + host + ": " + e.getMessage()));
                }
            }, JdkResolverPool.EXECUTOR).completeOnTimeout(new Resolved(List.of(), new DnsFailure(Verdict.DNS_FAILURE,
                    "resolving " + host + " did not finish before the deadline")), deadline.remaining().toNanos(),
                    TimeUnit.NANOSECONDS).whenComplete((r, e) -> {
                        Duration took = Duration.ofNanos(System.nanoTime() - t0);
                        if (r != null && r.failure == null) {
                            listener.phaseEnd(Phase.RESOLVE, host, took);
                        } else {
                            listener.phaseFailed(Phase.RESOLVE, host, r != null ? r.failure.verdict : Verdict.DNS_FAILURE, took);
                        }
                    });
        }

        // ---- attempts -----------------------------------------------------------------------------------------

        private CompletableFuture<List<Attempt>> attemptEach(List<InetSocketAddress> remotes, int index, List<Attempt> done) {
            if (index >= remotes.size() || (!done.isEmpty() && deadline.passed())) {
                return CompletableFuture.completedFuture(done);
            }
            AttemptPlan plan = new AttemptPlan(probe.host(), remotes.get(index), probe.tlsMode(), probe,
                    probe.greetingTimeout(), deadline, startNanos, transport, listener);
            return attempt(plan).thenCompose(attempt -> confirmTlsMode(plan, attempt, done)).thenCompose(list -> {
                if (list.stream().anyMatch(a -> a.isOk() || a.verdict() == Verdict.TLS_MODE_MISMATCH)) {
                    return CompletableFuture.completedFuture(list);
                }
                return attemptEach(remotes, index + 1, list);
            });
        }

        /**
         * No banner on a plain connection often means an implicit-TLS port (465) spoken to in plain text: one
         * quick attempt with implicit TLS tells. When it reaches a banner, the first attempt's verdict becomes
         * {@link Verdict#TLS_MODE_MISMATCH}; the confirmation attempt is kept as evidence.
         */
        private CompletableFuture<List<Attempt>> confirmTlsMode(AttemptPlan plan, Attempt attempt, List<Attempt> done) {
            done.add(attempt);
            if (attempt.verdict() != Verdict.GREETING_TIMEOUT || plan.tlsMode() == TlsMode.IMPLICIT
                    || !probe.confirmTlsMode() || deadline.passed()) {
                return CompletableFuture.completedFuture(done);
            }
            Duration greeting = probe.greetingTimeout().compareTo(CONFIRMATION_GREETING_TIMEOUT) < 0
                    ? probe.greetingTimeout() : CONFIRMATION_GREETING_TIMEOUT;
            return attempt(plan.withTlsMode(TlsMode.IMPLICIT, greeting)).thenApply(confirmation -> {
                boolean spokeTls = confirmation.tls() != null && confirmation.greeting() != null;
                if (spokeTls) {
                    Attempt relabelled = relabel(attempt, Verdict.TLS_MODE_MISMATCH, "port " + attempt.remote().getPort()
                            + " speaks implicit TLS (SMTPS): no banner in plain text within "
                            + attempt.timings().getOrDefault(Phase.GREETING, Duration.ZERO).toMillis()
                            + " ms, but a TLS handshake then a " + confirmation.greeting().code()
                            + " banner succeeded; use implicit TLS (tls(IMPLICIT)) on this port, or STARTTLS on 587");
                    done.set(done.size() - 1, relabelled);
                }
                confirmations.add(confirmation);
                done.add(confirmation);
                return done;
            });
        }

        private CompletableFuture<Attempt> attempt(AttemptPlan plan) {
            Conversation conversation = new Conversation(plan);
            long safety = deadline.remaining().plus(TRANSPORT_GRACE).toNanos();
            // copy(): orTimeout must not complete the conversation's own future, which forceFinish completes.
            return conversation.start().copy().orTimeout(safety, TimeUnit.NANOSECONDS).handle((attempt, error) -> {
                if (attempt != null) {
                    return CompletableFuture.completedFuture(attempt);
                }
                if (!(error instanceof TimeoutException) && !(error.getCause() instanceof TimeoutException)) {
                    log.error("smtp-probe attempt to {} failed unexpectedly", plan.remote(), error);
                }
                conversation.forceFinish();
                return conversation.outcome();
            }).thenCompose(f -> f);
        }

        // ---- the result ---------------------------------------------------------------------------------------

        private ProbeResult finish(DnsFailure dnsFailure, List<Attempt> attempts) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            ProbeResult result;
            if (dnsFailure != null) {
                result = new ProbeResult(probe.host(), List.of(probe.port()), dnsFailure.verdict, Phase.RESOLVE,
                        dnsFailure.detail, null, startedAt, elapsed, List.of(), List.of());
            } else {
                Attempt deciding = decide(attempts);
                result = new ProbeResult(probe.host(), List.of(probe.port()), deciding.verdict(), deciding.phase(),
                        deciding.detail(), deciding.policyReason(), startedAt, elapsed, attempts,
                        Hints.derive(deciding.verdict(), deciding, attempts, probe.environment()));
            }
            listener.probeEnd(result);
            return result;
        }

        private Attempt decide(List<Attempt> attempts) {
            Attempt best = null;
            for (Attempt a : attempts) {
                if (confirmations.contains(a)) {
                    // An OK in the other TLS mode proves the mismatch; it must not turn the verdict into OK.
                    continue;
                }
                if (a.isOk()) {
                    return a;
                }
                if (best == null || a.phase().ordinal() > best.phase().ordinal()) {
                    best = a;
                }
            }
            if (best == null) {
                throw new IllegalStateException("no attempt was made");
            }
            return best;
        }

        private static Attempt relabel(Attempt a, Verdict verdict, String detail) {
            return new Attempt(a.host(), a.remote(), a.local(), a.tlsMode(), verdict, a.phase(), detail,
                    a.policyReason(), a.greeting(), a.ehlo(), a.capabilities(), a.tls(), a.lastReply(), a.failure(),
                    a.startedAt(), a.elapsed(), a.timings(), a.transcript());
        }
    }

    private record Resolved(List<InetAddress> addresses, DnsFailure failure) {
    }

    private record DnsFailure(Verdict verdict, String detail) {
    }

    /** The JDK's resolver blocks; it runs on a few daemon threads until the dnsjava resolver replaces it. */
    private static final class JdkResolverPool {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtp-probe-resolver");
            t.setDaemon(true);
            return t;
        });
    }
}
