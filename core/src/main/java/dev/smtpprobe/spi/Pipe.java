package dev.smtpprobe.spi;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One connection of a {@link Transport}, as a pipe of bytes: the transport connects, delivers what it receives to
 * the {@link PipeHandler}, writes what it is given, runs a TLS handshake on request and runs the handler's timers
 * on its own thread. It knows nothing of SMTP: framing, timers' meaning, ordering rules and error verdicts are
 * core's.
 *
 * <p>Methods may be called from any thread; calls after the pipe closed are ignored.
 */
public interface Pipe {

    /** {@return the local address and port of the connection} */
    InetSocketAddress localAddress();

    /** {@return the remote address and port of the connection} */
    InetSocketAddress remoteAddress();

    /**
     * Writes {@code bytes} (through TLS once it is up). A failed write is reported with
     * {@link PipeHandler#onError}. The transport never logs the bytes: they may hold credentials.
     *
     * @param bytes the bytes to send; not kept after the call returns
     */
    void write(byte[] bytes);

    /**
     * Starts a client TLS handshake with an {@link javax.net.ssl.SSLEngine} made from {@code tls}. Bytes the peer
     * sent before the handshake that were not yet delivered are dropped. The outcome arrives as
     * {@link PipeHandler#onTlsEstablished} or as {@link PipeHandler#onError} of kind
     * {@link TransportException.Kind#TLS} or {@link TransportException.Kind#NOT_TLS} (the first bytes the peer sent
     * kept in the {@link NotTlsException} cause). The handshake's own timeout is the caller's timer.
     *
     * @param tls the peer, trust, hostname check, handshake timeout and protocol versions
     */
    void startTls(TlsParameters tls);

    /**
     * Runs {@code task} on the pipe's thread after {@code delay}, never concurrently with a handler call, unless
     * cancelled or the pipe closed first. A blocking transport that cannot wake a blocked read may close the
     * connection (reporting no error) to run a task scheduled from another thread on time: schedule from another
     * thread only timers whose firing ends the connection.
     *
     * @param task the task to run on the pipe's thread
     * @param delay how long from now
     * @return cancels the task when run (idempotent)
     */
    Runnable schedule(Runnable task, Duration delay);

    /**
     * The clock {@link #schedule} runs on, in nanoseconds from an arbitrary origin (only differences count): core
     * keeps its timers' due times on it and schedules one task at the earliest. The default,
     * {@link System#nanoTime()}, is right for any transport whose scheduler runs on the system's monotonic clock
     * (Netty's event loops, a scheduled executor); a transport with a clock of its own (a test's virtual time)
     * returns that.
     *
     * @return now, on the scheduler's clock
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Closes the connection; {@link PipeHandler#onClosed} follows. Idempotent. */
    void close();
}
