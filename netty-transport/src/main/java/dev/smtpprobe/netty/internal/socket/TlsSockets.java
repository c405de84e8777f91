package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.TlsParameters;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
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
 * <p>Socket factories are cached per trust manager instance ({@link PerTrustManager}). Threadsafe.
 */
final class TlsSockets {

    static final int CACHE_SIZE = 16;

    private final PerTrustManager<SSLSocketFactory> factories = new PerTrustManager<>(CACHE_SIZE, TlsSockets::factory);

    /**
     * A client TLS socket on {@code plain} (closing it closes {@code plain}); the handshake starts when the caller
     * asks for it.
     */
    SSLSocket layer(Socket plain, TlsParameters tls) throws IOException {
        SSLSocket ssl = (SSLSocket) factories.get(tls.trustManager())
                .createSocket(plain, tls.peerHost(), tls.peerPort(), true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        String sni = Sni.name(tls.peerHost());
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        ssl.setSSLParameters(params);
        return ssl;
    }

    private static SSLSocketFactory factory(X509TrustManager trustManager) throws SSLException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            // No session is ever resumed (the socket hides its port from the TLS layer, see RecordingSocket): keep
            // one, not thousands for a day (the JDK default).
            context.getClientSessionContext().setSessionCacheSize(1);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
