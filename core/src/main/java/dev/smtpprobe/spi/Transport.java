package dev.smtpprobe.spi;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * The seam between the probe's logic and the network: opens connections as byte {@link Pipe}s. A transport only
 * connects, moves bytes, upgrades a pipe to TLS on request, runs the tasks core schedules on the pipe's thread and
 * reports typed errors; everything SMTP (framing and decoding replies, the reply and lifetime timers' meaning, the
 * order of the dialogue's events, verdicts) is core's, on top of the pipe.
 *
 * <p>The default transport is found with {@link java.util.ServiceLoader}; the {@code smtp-probe-netty} artifact
 * provides one. Implementations must be threadsafe: one instance serves many concurrent connections. The
 * {@code smtp-probe-transport-testkit} artifact holds this contract as a JUnit 5 suite a transport's tests extend.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #openPipe} never throws for a network outcome: every outcome reaches the {@link PipeHandler}.</li>
 *   <li>For each pipe, the handler receives {@link PipeHandler#onConnected} at most once (after the TCP connection
 *       is established), then any number of {@link PipeHandler#onBytes} and {@link PipeHandler#onTlsEstablished},
 *       at most one {@link PipeHandler#onError}, and last, exactly once, {@link PipeHandler#onClosed}. Calls for one
 *       pipe never overlap and run on the pipe's thread, as do the tasks of {@link Pipe#schedule}.</li>
 *   <li>Bytes are delivered as they arrive, decrypted once TLS is up, in a buffer valid only during the call;
 *       nothing the peer sent is held back for longer than a read.</li>
 *   <li>Socket and TLS errors are reported as {@link TransportException}s, classified once (the JDK's exceptions
 *       with {@link TransportErrors#classify}), with whether they happened while connecting and the original kept
 *       as the cause: a TLS failure as {@link TransportException.Kind#TLS} with the JDK's
 *       {@link javax.net.ssl.SSLException} as the cause, non-TLS bytes answering a handshake as
 *       {@link TransportException.Kind#NOT_TLS} with a {@link NotTlsException}. A pipe closed with
 *       {@link Pipe#close()} reports no error.</li>
 *   <li>The connection is always closed in the end, and no resource outlives {@link PipeHandler#onClosed}.</li>
 *   <li>{@link #runPipeOnCallingThread} returns promptly (well within 100 ms) when the calling thread is
 *       interrupted, closing the pipe and keeping the interrupt status: that is how a caller's interrupt, and core
 *       at a probe's deadline, end it.</li>
 * </ul>
 *
 * <h2>A transport that breaks the contract</h2>
 * Core does not trust a transport blindly: when one throws from {@code openPipe} or
 * {@code runPipeOnCallingThread}, returns from {@code runPipeOnCallingThread} without {@code onClosed}, or has not
 * reported the end of a pipe by the probe's deadline plus a small margin, the attempt ends with
 * {@link dev.smtpprobe.Verdict#INTERNAL_ERROR} naming the transport's class and the failure, never with a network
 * verdict, and the probe still completes by its deadline. Only two things core cannot undo: an {@code openPipe}
 * that blocks holds the thread that called it, and a {@code runPipeOnCallingThread} that ignores interrupts holds
 * the waiting caller.
 */
public interface Transport extends AutoCloseable {

    /**
     * Connects a {@link Pipe} and runs it on the transport's threads until it closes, calling {@code handler}
     * (see the contract above).
     *
     * @param request where to connect
     * @param handler receives every event of the pipe
     */
    void openPipe(PipeRequest request, PipeHandler handler);

    /**
     * Whether {@link #openPipe} returns at once (it never blocks: no DNS, no waiting for a connection or a lock
     * held across I/O). Core calls {@code openPipe} of a transport that says so on whichever thread starts the
     * attempt: the caller of {@code runAsync()}, or this transport's own thread when the previous attempt ended
     * there. It calls any other transport's {@code openPipe} on a few daemon threads of its own, so that one that
     * blocks holds one of them, never the caller, and the probe still ends by its deadline (with
     * {@link dev.smtpprobe.Verdict#INTERNAL_ERROR} when the transport never calls back); that costs a thread
     * hand-off per connection.
     *
     * @return {@code false} by default; {@code true} only when {@code openPipe} never blocks
     */
    default boolean opensAtOnce() {
        return false;
    }

    /**
     * Runs one pipe to its end for a caller that blocks on its probe anyway ({@code SmtpProbe.run()}): the contract
     * of {@link #openPipe}, except that this method returns only after {@link PipeHandler#onClosed}. Core calls it
     * only on the waiting caller's own thread, never on a transport's or a resolver's thread, so a transport may
     * run the pipe right here, with blocking I/O: the Netty transport's shared default uses a plain JDK socket, so
     * a synchronous probe neither hands off to another thread nor loads Netty or starts an event loop. The
     * {@link Pipe}'s methods may still be called from any thread.
     *
     * <p>The default opens with {@link #openPipe} and waits for {@code onClosed}. When the calling thread is
     * interrupted, it closes the pipe and returns at once, the interrupt status kept ({@code onClosed} then
     * follows on the transport's thread).
     *
     * @param request where to connect
     * @param handler receives every event of the pipe
     */
    default void runPipeOnCallingThread(PipeRequest request, PipeHandler handler) {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Pipe> connected = new AtomicReference<>();
        openPipe(request, new PipeHandler() {
            @Override
            public void onConnected(Pipe pipe) {
                connected.set(pipe);
                handler.onConnected(pipe);
            }

            @Override
            public void onBytes(ByteBuffer bytes) {
                handler.onBytes(bytes);
            }

            @Override
            public void onTlsEstablished(SSLSession session) {
                handler.onTlsEstablished(session);
            }

            @Override
            public void onError(TransportException error) {
                handler.onError(error);
            }

            @Override
            public void onClosed() {
                try {
                    handler.onClosed();
                } finally {
                    closed.countDown();
                }
            }
        });
        try {
            closed.await(); // core's deadline interrupts a caller that would wait for a transport that never ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller was interrupted: stop waiting, keep the flag
            Pipe pipe = connected.get();
            if (pipe != null) {
                pipe.close();
            }
        }
    }

    /** Releases shared resources (threads, buffers). Pipes still open are closed. Idempotent. */
    @Override
    default void close() {
    }
}
