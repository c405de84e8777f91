package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A {@link Transport} is a plug-in point, so a buggy one must neither hang the caller nor pass for a network
 * outcome: every path ends by the deadline with {@link Verdict#INTERNAL_ERROR}, naming the transport, and
 * {@code runAsync()} never completes exceptionally. The transports here are deliberately broken test seams (no
 * network is involved: nothing real would behave like this); the deadline bounds are generous, the point being
 * "ends, and says why" against "hangs, or blames the network".
 */
class FaultyTransportTest {

    /** Bounds for a probe whose deadline is {@link #DEADLINE}: generous, far below the old code's hang. */
    private static final Duration DEADLINE = Duration.ofMillis(600);
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

    private static SmtpProbe probe(Transport transport) {
        return SmtpProbe.to("127.0.0.1").port(2525).tls(TlsMode.NONE).transport(transport).confirmTlsMode(false)
                .connectTimeout(Duration.ofMillis(400)).greetingTimeout(Duration.ofMillis(400))
                .replyTimeout(Duration.ofMillis(400)).deadline(DEADLINE).build();
    }

    private static ProbeResult runSync(Transport transport) {
        return assertTimeoutPreemptively(ENDS_WITHIN, () -> probe(transport).run());
    }

    private static ProbeResult runAsync(Transport transport) {
        CompletableFuture<ProbeResult> f = probe(transport).runAsync();
        ProbeResult result = assertTimeoutPreemptively(ENDS_WITHIN,
                () -> f.handle((r, e) -> e == null ? r : null).join());
        assertThat(f).as("runAsync() never completes exceptionally").isCompletedWithValueMatching(r -> r != null);
        return result;
    }

    private static void assertInternalError(ProbeResult result, Class<?> transport, String failure) {
        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.INTERNAL_ERROR);
        assertThat(result.layer()).isEqualTo(Layer.INTERNAL);
        assertThat(result.detail()).contains(transport.getName()).contains(failure);
        assertThat(result.summary()).contains("not a network");
        assertThat(Verdict.INTERNAL_ERROR.nextAction()).contains("transport's author");
    }

    /** Throws from {@code open()}: it must not be read as "packets silently dropped" (CONNECTION_TIMED_OUT). */
    static final class ThrowsFromOpen extends DialogueTransport {
        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            throw new IllegalStateException("boom in open");
        }
    }

    @Test
    void aTransportThatThrowsFromOpenIsAnInternalErrorOnRun() {
        assertInternalError(runSync(new ThrowsFromOpen()), ThrowsFromOpen.class, "boom in open");
    }

    @Test
    void aTransportThatThrowsFromOpenIsAnInternalErrorOnRunAsync() {
        assertInternalError(runAsync(new ThrowsFromOpen()), ThrowsFromOpen.class, "boom in open");
    }

    /** Takes the connection and never calls the dialogue back. */
    static final class NeverCallsBack extends DialogueTransport {
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            opened.incrementAndGet();
        }
    }

    @Test
    void aTransportThatNeverCallsBackEndsByTheDeadlineAsAnInternalError() {
        for (Supplier<ProbeResult> run : java.util.List.<Supplier<ProbeResult>>of(
                () -> runSync(new NeverCallsBack()), () -> runAsync(new NeverCallsBack()))) {
            long t0 = System.nanoTime();
            ProbeResult result = run.get();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertInternalError(result, NeverCallsBack.class, "did not report the end of the connection");
            // Generous: the old code took the deadline plus 3 s on runAsync(), plus 5.5 s on run().
            assertThat(took).as("ended by the deadline plus a margin").isLessThan(DEADLINE.plusMillis(2_500));
        }
    }

    /** Blocks in {@code runOnCallingThread} until interrupted (as the contract asks), never calling back. */
    static final class BlocksOnCallingThread extends DialogueTransport {
        final AtomicInteger interrupted = new AtomicInteger();

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            // never calls back
        }

        @Override
        public void runOnCallingThread(ConnectRequest request, Dialogue dialogue) {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aRunOnCallingThreadThatBlocksEndsByTheDeadlineAndTheCallersInterruptStatusStaysClear() {
        BlocksOnCallingThread transport = new BlocksOnCallingThread();
        ProbeResult result = runSync(transport);

        assertInternalError(result, BlocksOnCallingThread.class, "did not report the end of the connection");
        assertThat(transport.interrupted).as("woken at the deadline").hasValue(1);
        assertThat(Thread.currentThread().isInterrupted()).as("core's own wake-up is not left behind").isFalse();
    }

    /** Blocks in {@code open()} (until the test ends), never calling back. */
    static final class BlocksInOpen extends DialogueTransport {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            try {
                release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void anOpenThatBlocksHoldsNeitherTheCallerOfRunAsyncNorTheDeadline() {
        BlocksInOpen transport = new BlocksInOpen();
        try {
            long t0 = System.nanoTime();
            CompletableFuture<ProbeResult> f = assertTimeoutPreemptively(ENDS_WITHIN, () -> probe(transport).runAsync());
            Duration returnedAfter = Duration.ofNanos(System.nanoTime() - t0);
            ProbeResult result = assertTimeoutPreemptively(ENDS_WITHIN, () -> f.join());
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(returnedAfter).as("runAsync() returned before the deadline").isLessThan(DEADLINE);
            assertInternalError(result, BlocksInOpen.class, "did not report the end of the connection");
            assertThat(took).as("ended by the deadline plus a margin").isLessThan(DEADLINE.plusMillis(2_500));
        } finally {
            transport.release.countDown();
        }
    }

    /** Connects, then never reports anything else, and its {@code Link.close()} throws. */
    static final class CloseThrows extends DialogueTransport {
        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            dialogue.onConnected(new Link() {
                @Override
                public InetSocketAddress localAddress() {
                    return new InetSocketAddress("127.0.0.1", 40000);
                }

                @Override
                public InetSocketAddress remoteAddress() {
                    return request.remote();
                }

                @Override
                public void expectReply(Duration timeout) {
                    // never fires
                }

                @Override
                public void send(String line, Duration replyTimeout) {
                    // goes nowhere
                }

                @Override
                public void startTls(TlsParameters tls) {
                    // never
                }

                @Override
                public void close() {
                    throw new IllegalStateException("boom in close");
                }
            });
        }
    }

    @Test
    void aTransportThatNeverClosesAndWhoseCloseThrowsEndsByTheDeadlineOnRun() {
        ProbeResult result = runSync(new CloseThrows());
        assertInternalError(result, CloseThrows.class, "did not report the end of the connection");
        assertThat(result.detail()).doesNotContain("GREETING_TIMEOUT");
    }

    @Test
    void aTransportThatNeverClosesAndWhoseCloseThrowsEndsByTheDeadlineOnRunAsync() {
        ProbeResult result = runAsync(new CloseThrows());
        assertInternalError(result, CloseThrows.class, "did not report the end of the connection");
    }

    @Test
    void anInternalErrorIsNotTransientAndNamesItsLayer() {
        assertThat(Verdict.INTERNAL_ERROR.isTransient()).isFalse();
        assertThat(Layer.INTERNAL.label()).isEqualTo("internal");
        assertThat(Verdict.INTERNAL_ERROR.meaning()).contains("not a diagnosis of the network");
    }

    @Test
    void aSweepRunInsideARunAsyncCallbackFailsFastInsteadOfWaitingForItself() {
        // The outer probe ends on the transport's thread (here: a refusal from open()'s own thread is enough).
        // The refusal waits until the callback is attached, so the callback runs on the transport's thread (a
        // probe that ended before would run it on the test's thread, where waiting is allowed).
        CountDownLatch attached = new CountDownLatch(1);
        Transport refuses = new DialogueTransport() {
            @Override
            public void open(ConnectRequest request, Dialogue dialogue) {
                new Thread(() -> {
                    try {
                        attached.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    dialogue.onFailure(new java.net.ConnectException("Connection refused"));
                    dialogue.onClosed();
                }, "fake-transport-loop").start();
            }
        };
        SmtpProbe sweep = SmtpProbe.to("127.0.0.1").ports(2525, 2526).transport(refuses).confirmTlsMode(false)
                .deadline(Duration.ofSeconds(5)).build();
        CompletableFuture<ProbeResult> nested = probe(refuses).runAsync().thenApply(r -> sweep.run());
        attached.countDown();

        assertTimeoutPreemptively(ENDS_WITHIN, () -> assertThatThrownBy(nested::join)
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining("would wait for itself"));
    }
}
