package dev.smtpprobe.netty.internal;

import dev.smtpprobe.netty.internal.socket.ClientEngines;
import dev.smtpprobe.netty.internal.socket.PerTrustManager;
import dev.smtpprobe.spi.TlsParameters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * Builds the client {@link SslHandler} for one handshake from {@link TlsParameters}: JDK provider, the caller's
 * trust manager, and the engine rules of {@link ClientEngines} (SNI, optional RFC 6125 hostname verification, no
 * session resumption), plus the handshake timeout.
 *
 * <p>{@link SslContext}s are cached per trust manager instance ({@link PerTrustManager}), so a caller reusing one
 * trust manager (core shares one per trust configuration) builds an SSLContext once. Sessions are never resumed,
 * so every handshake shows (and checks) the server's certificate. Threadsafe.
 */
public final class TlsHandlers {

    static final int CACHE_SIZE = 16;

    private final PerTrustManager<SslContext> contexts = new PerTrustManager<>(CACHE_SIZE, trustManager ->
            SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trustManager)
                    // Decided per engine in newHandler, since verifyHostname is per request.
                    .endpointIdentificationAlgorithm(null)
                    // Never resumed (see ClientEngines): keep one session, not thousands for a day (the JDK default).
                    .sessionCacheSize(1)
                    .build());

    /** A new client-mode handler for {@code tls}; the handshake starts when it is added to an active channel. */
    public SslHandler newHandler(ByteBufAllocator alloc, TlsParameters tls) throws SSLException {
        SslContext context = contexts.get(tls.trustManager());
        // No peer port for the engine, so no session is ever resumed: see ClientEngines.
        SslHandler handler = context.newHandler(alloc, tls.peerHost(), ClientEngines.NO_PORT);
        ClientEngines.configure(handler.engine(), tls);
        long timeoutMillis = Math.max(1, tls.handshakeTimeout().toMillis());
        handler.setHandshakeTimeoutMillis(timeoutMillis);
        // Closing sends close_notify and waits for it to be flushed (3 s by default): a courtesy that must not
        // hold a probe's connection open against a peer that stopped reading.
        handler.setCloseNotifyFlushTimeoutMillis(Math.min(timeoutMillis, 1_000));
        return handler;
    }

    /** Cached contexts now (for tests). */
    public int cachedContexts() {
        return contexts.size();
    }

}
