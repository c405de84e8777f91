package dev.smtpprobe.internal;

import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.spi.TlsParameters;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A few daemon threads that call {@link dev.smtpprobe.spi.Transport#openPipe} for transports that do not declare that
 * it returns at once ({@link dev.smtpprobe.spi.Transport#opensAtOnce()}): an {@code open} that blocks then holds
 * one of these, never the caller of {@code runAsync()} nor a transport's thread, and the probe still ends by its
 * deadline. At most as many threads as cores (at least 2), made when needed, ended after 30 s without work; further
 * opens wait their turn in order.
 *
 * <p>Also what an attempt asks the transport for ({@link #request}) and how it opens it ({@link #open}).
 */
final class Openers {

    private static final ExecutorService POOL = pool();

    /** Half of {@link Prober#DEADLINE_MARGIN}, made once ({@code Duration.dividedBy} computes in BigDecimal). */
    private static final Duration HALF_MARGIN = Prober.DEADLINE_MARGIN.dividedBy(2);

    private Openers() {
    }

    static void execute(Runnable open) {
        POOL.execute(open);
    }

    /** The connection {@code plan} asks for: where to, the connect timeout, implicit TLS, the hard lifetime. */
    static ConnectRequest request(AttemptPlan plan) {
        TlsParameters implicit = plan.tlsMode() == TlsMode.IMPLICIT ? StartTlsStep.parameters(plan) : null;
        Duration connectTimeout = plan.deadline().cap(plan.probe().connectTimeout());
        // The transport's hard limit sits a little after the deadline, before the run's safety net: core's own timers,
        // capped at the deadline, normally decide first.
        Duration lifetime = plan.deadline().remaining().plus(HALF_MARGIN);
        return new ConnectRequest(plan.route().connectTo(plan.remote()), plan.probe().sourceAddress(),
                connectTimeout, implicit, lifetime);
    }

    /**
     * Opens {@code request} for {@code dialogue}: core's connection rules (framing, timers, order of events, a proxy's
     * handshake) on top of the transport's byte pipe. On this thread when the transport opens at once, otherwise on
     * one of these threads, unless the attempt has {@code ended} by its turn. What the transport throws goes to
     * {@code thrown}.
     */
    static void open(AttemptPlan plan, ConnectRequest request, Conversation dialogue, BooleanSupplier ended,
            Consumer<RuntimeException> thrown) {
        Runnable open = () -> {
            try {
                Connection connection = plan.route().connection(request, dialogue);
                plan.transport().openPipe(connection.pipeRequest(), connection);
            } catch (RuntimeException e) {
                thrown.accept(e);
            }
        };
        if (plan.transport().opensAtOnce()) {
            open.run();
        } else {
            // An open() that may block must not hold this thread (a runAsync() caller, a transport's thread).
            execute(() -> {
                if (!ended.getAsBoolean()) { // the deadline's safety net may have ended it while it waited its turn
                    open.run();
                }
            });
        }
    }

    private static ExecutorService pool() {
        return DaemonPool.of("smtp-probe-open-", Math.max(2, Runtime.getRuntime().availableProcessors()),
                new LinkedBlockingQueue<>());
    }
}
