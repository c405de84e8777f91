package dev.smtpprobe.netty.internal;

import dev.smtpprobe.netty.internal.socket.PerTrustManager;
import dev.smtpprobe.netty.internal.socket.Sni;
import dev.smtpprobe.spi.TlsParameters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Builds the client {@link SslHandler} for one handshake from {@link TlsParameters}: JDK provider, the caller's
 * trust manager, SNI for host names, optional RFC 6125 hostname verification, the handshake timeout.
 *
 * <p>{@link SslContext}s are cached per trust manager instance ({@link PerTrustManager}), so a caller reusing one
 * trust manager (core shares one per trust configuration) builds an SSLContext once. Sessions are never resumed,
 * so every handshake shows (and checks) the server's certificate. Threadsafe.
 */
public final class TlsHandlers {

    static final int CACHE_SIZE = 16;
    /** The engine's peer port when none is given; see {@link #newHandler}. */
    private static final int NO_PORT = -1;

    private final PerTrustManager<SslContext> contexts = new PerTrustManager<>(CACHE_SIZE, trustManager ->
            SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trustManager)
                    // Decided per engine in newHandler, since verifyHostname is per request.
                    .endpointIdentificationAlgorithm(null)
                    // Never resumed (see newHandler): keep one session, not thousands for a day (the JDK default).
                    .sessionCacheSize(1)
                    .build());

    /** A new client-mode handler for {@code tls}; the handshake starts when it is added to an active channel. */
    public SslHandler newHandler(ByteBufAllocator alloc, TlsParameters tls) throws SSLException {
        SslContext context = contexts.get(tls.trustManager());
        String host = tls.peerHost();
        // No peer port for the engine: the JDK's client session cache files a session under host:port only when
        // both are known, so no session is ever offered for resumption. A resumed session skips the certificate
        // check, and a probe must see (and check) the server's certificate every time, even through a cached
        // context. The port is not used for anything else (SNI and hostname checks use the host).
        SslHandler handler = context.newHandler(alloc, host, NO_PORT);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        // Set both ways on purpose: Netty 4.2 turns hostname verification on by default for clients.
        params.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        String sniName = sniName(host);
        if (sniName != null) {
            params.setServerNames(List.of(new SNIHostName(sniName)));
        }
        engine.setSSLParameters(params);
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

    /** The SNI host name for {@code host}, or {@code null}: see {@link Sni#name}. */
    static String sniName(String host) {
        return Sni.name(host);
    }
}
