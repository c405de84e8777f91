package dev.smtpprobe.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The handshake trust of opportunistic TLS (RFC 7435): it accepts any server chain, so the handshake completes and
 * the session is encrypted; the chain is judged after the handshake ({@link TlsPolicyRun}), where a problem becomes
 * a finding or a policy failure instead of an aborted handshake. One shared instance, so a transport keeps one TLS
 * context for it. Client side only. Stateless and threadsafe.
 */
final class LenientTrustManager extends X509ExtendedTrustManager {

    static final LenientTrustManager INSTANCE = new LenientTrustManager();
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private LenientTrustManager() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
