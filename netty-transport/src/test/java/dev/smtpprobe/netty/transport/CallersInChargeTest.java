package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ProbeInterruptedException;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The caller is in charge: an interrupt of a thread blocked in {@code run()} or {@code ProbeBatch.run()} ends it at
 * once with {@link ProbeInterruptedException} (the status kept, the connections closed), and a cancelled
 * {@code runAsync()} future closes its connections and opens no new one. Against silent servers on loopback, with
 * timeouts far longer than the bounds asserted, so that only the interrupt or the cancel can explain an early end.
 */
@ExtendWith(LeakCheck.class)
class CallersInChargeTest {

    /** Every timeout of the probes here: what the old code waited for before returning. */
    private static final Duration LONG = Duration.ofSeconds(20);
    /** A generous bound for "at once" (the promise is about 100 ms; CI machines are slow and shared). */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    private static SmtpProbe.Builder silentProbe(int... ports) {
        return SmtpProbe.to("127.0.0.1").ports(ports).tls(TlsMode.NONE).ehloName("probe.test")
                .connectTimeout(LONG).greetingTimeout(LONG).replyTimeout(LONG).deadline(LONG.multipliedBy(2));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + PROMPTLY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + PROMPTLY.toMillis() + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** What a thread blocked in a probe saw when it was interrupted. */
    private static final class Blocked {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicReference<Object> returned = new AtomicReference<>();
        final AtomicBoolean statusKept = new AtomicBoolean();
        final AtomicLong endedAt = new AtomicLong();
        final Thread thread;

        Blocked(Supplier<Object> call) {
            thread = new Thread(() -> {
                try {
                    returned.set(call.get());
                } catch (RuntimeException e) {
                    thrown.set(e);
                    statusKept.set(Thread.currentThread().isInterrupted());
                } finally {
                    endedAt.set(System.nanoTime());
                }
            }, "blocked-in-run");
            thread.start();
        }

        /** Interrupts the thread and returns how long it took to come back. */
        Duration interruptAndJoin() throws InterruptedException {
            long t0 = System.nanoTime();
            thread.interrupt();
            thread.join(PROMPTLY.toMillis());
            assertThat(thread.isAlive()).as("returned after the interrupt").isFalse();
            return Duration.ofNanos(endedAt.get() - t0);
        }

        void assertInterrupted() {
            assertThat(returned.get()).as("no result is made up for an interrupt").isNull();
            assertThat(thrown.get()).isInstanceOf(ProbeInterruptedException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(statusKept).as("the interrupt status is kept").isTrue();
        }
    }

    @Test
    void anInterruptedRunReturnsAtOnceClosesItsConnectionAndKeepsTheStatus() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            SmtpProbe probe = silentProbe(server.port()).build();
            Blocked blocked = new Blocked(probe::run);
            await("the probe connected", () -> server.connectionCount() == 1);

            Duration took = blocked.interruptAndJoin();

            blocked.assertInterrupted();
            assertThat(took).isLessThan(PROMPTLY);
            await("the server saw the connection closed", () -> server.openConnectionCount() == 0);
        }
    }

    @Test
    void anInterruptedRunOfASweepReturnsAtOnceAndClosesEveryConnection() throws Exception {
        try (MockSmtpServer a = new MockSmtpServer().start(Script.effect(Effect.STALL));
                MockSmtpServer b = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            SmtpProbe probe = silentProbe(a.port(), b.port()).build();
            Blocked blocked = new Blocked(probe::run);
            await("both ports connected", () -> a.connectionCount() == 1 && b.connectionCount() == 1);

            blocked.interruptAndJoin();

            blocked.assertInterrupted();
            await("the servers saw both connections closed",
                    () -> a.openConnectionCount() == 0 && b.openConnectionCount() == 0);
        }
    }

    @Test
    void anInterruptedBatchReturnsAtOnceAndClosesEveryConnection() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            List<String> targets = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
            Blocked blocked = new Blocked(() -> SmtpProbe.batch(targets, t -> silentProbe(server.port())
                    .confirmTlsMode(false)).concurrency(2).perDestination(2).run());
            await("two probes connected", () -> server.connectionCount() == 2);

            blocked.interruptAndJoin();

            blocked.assertInterrupted();
            await("the server saw both connections closed", () -> server.openConnectionCount() == 0);
            Thread.sleep(200);
            assertThat(server.connectionCount()).as("the third probe never started").isEqualTo(2);
        }
    }

    @Test
    void aThreadAlreadyInterruptedThrowsAtOnceAndConnectsNowhere() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> silentProbe(server.port()).run())
                        .isInstanceOf(ProbeInterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
                assertThatThrownBy(() -> SmtpProbe.batch(List.of("127.0.0.1"), t -> silentProbe(server.port())).run())
                        .isInstanceOf(ProbeInterruptedException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(server.connectionCount()).isZero();
        }
    }

    /**
     * Cancelling many sweeps closes all their connections at once, and none opens after the cancel: without the
     * cancel, each would run to its greeting timeout and then open a second connection in implicit TLS (the
     * TLS-mode confirmation), and later one more address if it had any.
     */
    @Test
    void cancellingManySweepsClosesTheirConnectionsAndOpensNoNewOne() throws Exception {
        int sweeps = 40;
        List<MockSmtpServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                servers.add(new MockSmtpServer().withoutRecording().start(Script.effect(Effect.STALL)));
            }
            int[] ports = servers.stream().mapToInt(MockSmtpServer::port).toArray();
            Duration greeting = Duration.ofMillis(1_500);
            List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
            for (int i = 0; i < sweeps; i++) {
                running.add(silentProbe(ports).greetingTimeout(greeting).runAsync());
            }
            await("every sweep connected to every port",
                    () -> servers.stream().allMatch(s -> s.connectionCount() == sweeps));

            running.forEach(f -> f.cancel(true));

            assertThat(running).allMatch(CompletableFuture::isCancelled);
            await("the servers saw every connection closed",
                    () -> servers.stream().allMatch(s -> s.openConnectionCount() == 0));
            Thread.sleep(greeting.toMillis() + 500); // past the greeting timeout, when confirmations would start
            assertThat(servers).as("no connection opened after the cancel")
                    .allSatisfy(s -> assertThat(s.connectionCount()).isEqualTo(sweeps));
        } finally {
            servers.forEach(MockSmtpServer::close);
        }
    }

    @Test
    void cancellingABatchCancelsItsProbesAndStartsNoMore() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            List<String> targets = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
            CompletableFuture<BatchResult> batch = SmtpProbe.batch(targets, t -> silentProbe(server.port())
                    .confirmTlsMode(false)).concurrency(2).perDestination(2).runAsync();
            await("two probes connected", () -> server.connectionCount() == 2);

            batch.cancel(false);

            await("the server saw both connections closed", () -> server.openConnectionCount() == 0);
            Thread.sleep(200);
            assertThat(server.connectionCount()).as("no further probe started").isEqualTo(2);
        }
    }

    /**
     * On the event loops, a sweep's {@code run()} inside a {@code runAsync()} callback would wait for connections
     * that need the very thread it blocks: it fails fast instead, saying why.
     */
    @Test
    void aSweepsRunInsideARunAsyncCallbackFailsFast() throws Exception {
        try (NettyTransport transport = NettyTransport.withOwnThreads(1);
                MockSmtpServer ok = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"));
                MockSmtpServer silent = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            SmtpProbe sweep = silentProbe(ok.port(), silent.port()).transport(transport)
                    .greetingTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(4)).build();
            CompletableFuture<ProbeResult> nested = silentProbe(ok.port()).transport(transport).runAsync()
                    .thenApply(first -> sweep.run());

            assertTimeoutPreemptively(PROMPTLY, () -> assertThatThrownBy(nested::join)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasStackTraceContaining("would wait for itself"));
        }
    }
}
