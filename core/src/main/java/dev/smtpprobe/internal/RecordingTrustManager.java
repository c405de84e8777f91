package dev.smtpprobe.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client-side trust manager that remembers the last server chain it was shown, even when validation then fails,
 * so a result can show the certificate that was refused (an expired one's dates, a wrong one's names).
 *
 * <p>Validation is the delegate's. When the delegate is an {@link X509ExtendedTrustManager} (as the JDK's are), its
 * engine and socket variants are called, so the JDK's own host name check runs when the connection's
 * {@link SSLParameters#getEndpointIdentificationAlgorithm()} asks for one. A plain {@link X509TrustManager} cannot
 * check the host: then this class validates the chain with it and, when endpoint identification is asked for,
 * checks the host itself with {@link HostnameMatcher} (RFC 6125). Passing a plain trust manager straight to an
 * {@code SSLContext} would have the JDK wrap it and check the host; wrapping it here keeps that guarantee, because
 * the JDK does not wrap an {@code X509ExtendedTrustManager}.
 *
 * <p>Client side only: the {@code checkClientTrusted} methods throw. This class is threadsafe; the recorded chain
 * is the last one shown to any of its methods.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;
    private volatile X509Certificate[] chain;

    /** @param delegate validates the chain; must not be null */
    public RecordingTrustManager(X509TrustManager delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    /** A copy of the last server chain shown (leaf first), or {@code null} when none was shown yet. */
    public X509Certificate[] chain() {
        X509Certificate[] c = chain;
        return c == null ? null : c.clone();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        record(chain);
        if (delegate instanceof X509ExtendedTrustManager extended) {
            extended.checkServerTrusted(chain, authType, engine);
            return;
        }
        delegate.checkServerTrusted(chain, authType);
        if (engine != null) {
            checkHost(chain, engine.getSSLParameters(), engine.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        record(chain);
        if (delegate instanceof X509ExtendedTrustManager extended) {
            extended.checkServerTrusted(chain, authType, socket);
            return;
        }
        delegate.checkServerTrusted(chain, authType);
        if (socket instanceof SSLSocket ssl) {
            SSLSession handshake = ssl.getHandshakeSession();
            checkHost(chain, ssl.getSSLParameters(), handshake == null ? null : handshake.getPeerHost());
        }
    }

    /** Without a connection there is no host to check: chain validation only. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(chain);
        delegate.checkServerTrusted(chain, authType);
    }

    /**
     * The host name check the JDK would have made for a plain trust manager: only when endpoint identification is
     * asked for; against the SNI host name when one was sent, else the peer host the connection was made for.
     */
    private static void checkHost(X509Certificate[] chain, SSLParameters parameters, String peerHost)
            throws CertificateException {
        String algorithm = parameters == null ? null : parameters.getEndpointIdentificationAlgorithm();
        if (algorithm == null || algorithm.isEmpty()) {
            return;
        }
        String host = sniHostName(parameters);
        if (host == null) {
            host = peerHost;
        }
        if (host == null || host.isEmpty()) {
            throw new CertificateException("endpoint identification asked for, but the connection names no host");
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        HostnameMatcher.check(host, chain[0]);
    }

    private static String sniHostName(SSLParameters parameters) {
        List<SNIServerName> names = parameters.getServerNames();
        if (names != null) {
            for (SNIServerName name : names) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private void record(X509Certificate[] shown) {
        this.chain = shown == null ? null : shown.clone();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw clientSideOnly();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw clientSideOnly();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw clientSideOnly();
    }

    private static CertificateException clientSideOnly() {
        return new CertificateException("smtp-probe only checks servers; it does not accept client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509Certificate[] issuers = delegate.getAcceptedIssuers();
        return issuers == null ? new X509Certificate[0] : issuers.clone();
    }

    @Override
    public String toString() {
        return "RecordingTrustManager[" + Objects.toString(delegate.getClass().getName()) + "]";
    }
}
