package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.TlsParameters;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Client {@link SSLEngine}s for the JDK-socket path, from {@link TlsParameters} by the rules of
 * {@link ClientEngines}. {@link SSLContext}s are cached per trust manager instance ({@link PerTrustManager}), so a
 * caller reusing one trust manager (core shares one per trust configuration) builds one context. Threadsafe.
 */
final class TlsEngines {

    static final int CACHE_SIZE = 16;

    private final PerTrustManager<SSLContext> contexts = new PerTrustManager<>(CACHE_SIZE, TlsEngines::context);

    /** A new client engine for {@code tls}; the handshake starts when its driver asks for it. */
    SSLEngine newEngine(TlsParameters tls) throws SSLException {
        return ClientEngines.newEngine(contexts.get(tls.trustManager()), tls);
    }

    private static SSLContext context(X509TrustManager trustManager) throws SSLException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            // No session is ever resumed (engines have no peer port, see ClientEngines): keep one, not thousands
            // for a day (the JDK default).
            context.getClientSessionContext().setSessionCacheSize(1);
            return context;
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
