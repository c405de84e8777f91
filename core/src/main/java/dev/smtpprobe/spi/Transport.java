package dev.smtpprobe.spi;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.Connection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * The seam between the probe's logic and the network: opens connections and moves bytes. Everything SMTP (the
 * dialogue, reply meaning, verdicts) stays in core. A transport that offers a {@link Pipe}
 * ({@link #pipesOnCallingThread()}) only connects, moves bytes, upgrades to TLS on request, runs core's timers on
 * its thread and reports typed errors: core frames the replies and enforces the order of events on top of it. A
 * transport that drives a {@link Dialogue} itself ({@link #open}) also frames and decodes replies with
 * {@link ReplyDecoder} and runs the timers it is asked for.
 *
 * <p>The default transport is found with {@link java.util.ServiceLoader}; the {@code smtp-probe-netty} artifact
 * provides one. Implementations must be threadsafe: one instance serves many concurrent connections.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #open} returns at once; it never throws for a network outcome: every outcome reaches the
 *       {@link Dialogue}.</li>
 *   <li>For each {@code open}, the dialogue receives {@link Dialogue#onConnected} at most once (after the TCP
 *       connection is established, before any implicit TLS handshake), then any number of
 *       {@link Dialogue#onReply}, {@link Dialogue#onTlsEstablished} and at most one {@link Dialogue#onFailure},
 *       and last, exactly once, {@link Dialogue#onClosed}. Calls for one connection never overlap.</li>
 *   <li>Socket and TLS errors are reported as {@link TransportException}s, classified once (the JDK's exceptions
 *       with {@link TransportErrors#classify}), with whether they happened while connecting and the original kept
 *       as the cause: a TLS failure as {@link TransportException.Kind#TLS} with the JDK's
 *       {@link javax.net.ssl.SSLException} as the cause, non-TLS bytes answering a handshake as
 *       {@link TransportException.Kind#NOT_TLS} with a {@link NotTlsException}; a missed reply or handshake timer
 *       as {@link ReplyTimeoutException}; undecodable input as {@link SmtpProtocolException}.</li>
 *   <li>The connection is always closed in the end, and no resource outlives {@link Dialogue#onClosed}.</li>
 *   <li>{@link #runOnCallingThread} returns promptly (well within 100 ms) when the calling thread is interrupted,
 *       closing the connection and keeping the interrupt status: that is how a caller's interrupt, and core at a
 *       probe's deadline, end it.</li>
 * </ul>
 *
 * <h2>A transport that breaks the contract</h2>
 * Core does not trust a transport blindly: when one throws from {@code open}, {@code runOnCallingThread} or
 * {@link Link#close}, returns from {@code runOnCallingThread} without {@code onClosed}, or has not reported the end
 * of a connection by the probe's deadline plus a small margin (for example a missed reply timer), the attempt ends
 * with {@link dev.smtpprobe.Verdict#INTERNAL_ERROR} naming the transport's class and the failure, never with a
 * network verdict, and the probe still completes by its deadline. Only two things core cannot undo: an
 * {@code open} that blocks holds the thread that called it, and a {@code runOnCallingThread} that ignores interrupts
 * holds the waiting caller.
 */
public interface Transport extends AutoCloseable {

    /**
     * Opens one connection and drives it with the dialogue until it is closed.
     *
     * @param request  where to connect and how
     * @param dialogue receives every event of the connection
     */
    default void open(ConnectRequest request, Dialogue dialogue) {
        if (!opensPipes()) {
            throw new UnsupportedOperationException(getClass().getName() + " opens neither dialogues nor pipes");
        }
        // Core's rules (framing, timers, ordering, STARTTLS discard) run on top of the transport's byte pipe.
        Connection connection = new Connection(request, dialogue, null);
        openPipe(connection.pipeRequest(), connection);
    }

    /**
     * Whether this transport opens {@link Pipe}s on its own threads ({@link #openPipe}). When it does, core runs its
     * connection rules on those pipes, and the transport only moves bytes.
     *
     * @return {@code false} by default
     */
    default boolean opensPipes() {
        return false;
    }

    /**
     * Connects a {@link Pipe} and returns at once: the connection runs on the transport's threads, each pipe's
     * handler calls and scheduled tasks on one thread of its own at a time. Every outcome reaches the handler (never
     * thrown): at most one {@link PipeHandler#onError} with a typed {@link TransportException}, and last, exactly
     * once, {@link PipeHandler#onClosed}. Supported when {@link #opensPipes()} says so.
     *
     * @param request where to connect
     * @param handler receives every event of the pipe
     * @throws UnsupportedOperationException by default
     */
    default void openPipe(PipeRequest request, PipeHandler handler) {
        throw new UnsupportedOperationException(getClass().getName() + " opens no pipes");
    }

    /**
     * Whether {@link #open} keeps its promise to return at once (it never blocks: no DNS, no waiting for a
     * connection or a lock held across I/O). Core calls {@code open} of a transport that says so on whichever thread
     * starts the attempt: the caller of {@code runAsync()}, or this transport's own thread when the previous attempt
     * ended there. It calls any other transport's {@code open} on a few daemon threads of its own, so that an
     * {@code open} that blocks holds one of them, never the caller, and the probe still ends by its deadline (with
     * {@link dev.smtpprobe.Verdict#INTERNAL_ERROR} when the transport never calls back); that costs a thread
     * hand-off per connection.
     *
     * @return {@code false} by default; {@code true} only when {@code open} never blocks
     */
    default boolean opensAtOnce() {
        return false;
    }

    /**
     * Runs one connection to its end on the calling thread, for a caller that blocks on its probe anyway
     * ({@code SmtpProbe.run()}): the contract of {@link #open} (same events, same order, same error types), except
     * that this method returns only after {@link Dialogue#onClosed}. Core calls it only on the waiting caller's own
     * thread, never on a transport's or a resolver's thread, so a transport may do blocking I/O here: the Netty
     * transport's shared default uses a plain JDK socket, so a synchronous probe neither hands off to another
     * thread nor loads Netty or starts an event loop (an application's first probe costs what a
     * {@code java.net.Socket} costs). {@link Link} methods may still be called from any thread.
     *
     * <p>The default opens with {@link #open} and waits for {@code onClosed}, at most the request's maximum
     * lifetime plus a grace period (core's own safety net ends the attempt if a transport never reports it). When
     * the calling thread is interrupted, it closes the connection and returns at once, the interrupt status kept
     * ({@code onClosed} then follows on the transport's thread).
     *
     * @param request  where to connect and how
     * @param dialogue receives every event of the connection
     */
    default void runOnCallingThread(ConnectRequest request, Dialogue dialogue) {
        if (pipesOnCallingThread()) {
            // Core's rules (framing, timers, ordering, STARTTLS discard) run on top of the transport's byte pipe.
            Connection connection = new Connection(request, dialogue, null);
            runPipeOnCallingThread(connection.pipeRequest(), connection);
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Link> connected = new AtomicReference<>();
        open(request, new Dialogue() {
            @Override
            public void onConnected(Link link) {
                connected.set(link);
                dialogue.onConnected(link);
            }

            @Override
            public void onTlsEstablished(SSLSession session) {
                dialogue.onTlsEstablished(session);
            }

            @Override
            public void onReply(SmtpReply reply) {
                dialogue.onReply(reply);
            }

            @Override
            public void onFailure(Throwable cause) {
                dialogue.onFailure(cause);
            }

            @Override
            public void onClosed() {
                try {
                    dialogue.onClosed();
                } finally {
                    closed.countDown();
                }
            }
        });
        try {
            closed.await(request.maxLifetime().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller was interrupted: stop waiting, keep the flag
            Link link = connected.get();
            if (link != null) {
                link.close();
            }
        }
    }

    /**
     * Whether this transport runs a {@link Pipe} on the calling thread ({@link #runPipeOnCallingThread}). When it
     * does, {@link #runOnCallingThread} runs core's connection rules on that pipe, and the transport only moves
     * bytes.
     *
     * @return {@code false} by default
     */
    default boolean pipesOnCallingThread() {
        return false;
    }

    /**
     * Connects a {@link Pipe} and runs it to its end on the calling thread, calling {@code handler} on that thread
     * only; returns after {@link PipeHandler#onClosed}. Errors are reported as {@link TransportException}s, never
     * thrown. When the calling thread is interrupted, the pipe closes (no error reported) and this returns promptly,
     * the interrupt status kept. Supported when {@link #pipesOnCallingThread()} says so.
     *
     * @param request where to connect
     * @param handler receives every event of the pipe
     * @throws UnsupportedOperationException by default
     */
    default void runPipeOnCallingThread(PipeRequest request, PipeHandler handler) {
        throw new UnsupportedOperationException(getClass().getName() + " runs no pipe on the calling thread");
    }

    /** Releases shared resources (threads, buffers). Connections still open are closed. Idempotent. */
    @Override
    default void close() {
    }
}
