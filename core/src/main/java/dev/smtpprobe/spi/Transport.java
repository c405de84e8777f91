package dev.smtpprobe.spi;

/**
 * The seam between the probe's logic and the network: opens connections and moves bytes. Everything SMTP (the
 * dialogue, reply meaning, verdicts) stays in core; a transport only connects, frames and decodes replies with
 * {@link ReplyDecoder}, runs the timers it is asked for, upgrades to TLS on request and reports socket errors.
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
 *   <li>Socket errors are reported as the JDK's types, most specific first: a connect timeout as
 *       {@link java.net.SocketTimeoutException}; a refusal as {@link java.net.ConnectException};
 *       EHOSTUNREACH as {@link java.net.NoRouteToHostException}; ENETUNREACH as a
 *       {@link java.net.ConnectException} whose message contains "Network is unreachable"; a reset as
 *       {@link java.net.SocketException} containing "Connection reset"; TLS problems as
 *       {@link javax.net.ssl.SSLException} subtypes with the JDK's causes kept (non-TLS bytes answering a handshake as
 *       {@link NotTlsException}); a missed reply or handshake
 *       timer as {@link ReplyTimeoutException}; undecodable input as {@link SmtpProtocolException}.</li>
 *   <li>The connection is always closed in the end, and no resource outlives {@link Dialogue#onClosed}.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {

    /**
     * Opens one connection and drives it with the dialogue until it is closed.
     *
     * @param request  where to connect and how
     * @param dialogue receives every event of the connection
     */
    void open(ConnectRequest request, Dialogue dialogue);

    /**
     * Opens one connection for a caller that blocks until its probe ends ({@code SmtpProbe.run()}), with exactly
     * the contract of {@link #open}. A transport may serve such a connection in a way that suits one waiting
     * caller better than many concurrent connections: the Netty transport's shared default uses a plain JDK socket
     * on a thread of its own, so a single synchronous probe never loads Netty or starts an event loop (the cost of
     * an application's first probe). Batches and {@code runAsync()} always use {@link #open}.
     *
     * <p>The default calls {@link #open}.
     *
     * @param request  where to connect and how
     * @param dialogue receives every event of the connection
     */
    default void openForBlockingCaller(ConnectRequest request, Dialogue dialogue) {
        open(request, dialogue);
    }

    /** Releases shared resources (threads, buffers). Connections still open are closed. Idempotent. */
    @Override
    default void close() {
    }
}
