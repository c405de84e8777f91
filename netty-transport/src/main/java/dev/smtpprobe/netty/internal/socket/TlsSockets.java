package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.TlsParameters;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS sockets layered on a connected plain socket, from {@link TlsParameters}: the caller's trust manager,
 * SNI for host names, optional RFC 6125 hostname verification (endpoint identification "HTTPS"). The same rules
 * as the Netty path's {@code TlsHandlers}, on the JDK's own {@link SSLSocket}.
 *
 * <p>Socket factories are cached per trust manager <em>instance</em> in a small LRU, for the reason
 * {@code TlsHandlers} gives. Threadsafe.
 */
final class TlsSockets {

    static final int CACHE_SIZE = 16;

    private final Map<Identity, SSLSocketFactory> factories = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, SSLSocketFactory> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * A client TLS socket on {@code plain} (closing it closes {@code plain}); the handshake starts when the caller
     * asks for it.
     */
    SSLSocket layer(Socket plain, TlsParameters tls) throws IOException {
        SSLSocket ssl = (SSLSocket) factoryFor(tls.trustManager())
                .createSocket(plain, tls.peerHost(), tls.peerPort(), true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        String sni = Sni.name(tls.peerHost());
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        ssl.setSSLParameters(params);
        return ssl;
    }

    private synchronized SSLSocketFactory factoryFor(X509TrustManager trustManager) throws SSLException {
        Identity key = new Identity(trustManager);
        SSLSocketFactory factory = factories.get(key);
        if (factory != null) {
            return factory;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            factory = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
        }
        factories.put(key, factory);
        return factory;
    }

    /** Cached factories now (for tests). */
    synchronized int cached() {
        return factories.size();
    }

    /** Identity key: two managers that compare equal may still trust different roots. */
    private static final class Identity {
        private final X509TrustManager trustManager;

        Identity(X509TrustManager trustManager) {
            this.trustManager = trustManager;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity && ((Identity) o).trustManager == trustManager;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(trustManager);
        }
    }
}
