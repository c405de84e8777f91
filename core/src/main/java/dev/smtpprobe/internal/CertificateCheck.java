package dev.smtpprobe.internal;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Checks a chain after an opportunistic handshake as a verifying client would have during it: the chain against the
 * trust (the configured trust manager, else the JVM's default), then the server's certificate against the name.
 * Pure code over JDK objects; threadsafe.
 */
final class CertificateCheck {

    /** The authentication type TLS 1.3 reports, which the JDK's end-entity checks accept for any server key. */
    private static final String AUTH_TYPE = "UNKNOWN";

    private CertificateCheck() {
    }

    /**
     * @param chain          the presented chain, leaf first (empty: no certificate)
     * @param name           the name the certificate must carry
     * @param trust          the trust to validate with, or null for the JVM's default
     * @param verifyHostname whether the name is checked
     * @param now            the instant for validity dates in the problem's text
     * @return what a verifying client finds wrong, or empty when the chain is acceptable
     */
    static Optional<CertificateProblems.CertificateProblem> problem(X509Certificate[] chain, String name,
            X509TrustManager trust, boolean verifyHostname, Instant now) {
        if (chain.length == 0) {
            return Optional.of(new CertificateProblems.CertificateProblem(CertificateProblems.Kind.UNTRUSTED,
                    "the server presented no certificate"));
        }
        try {
            (trust != null ? trust : jdkDefault()).checkServerTrusted(chain.clone(), AUTH_TYPE);
            if (verifyHostname) {
                HostnameMatcher.check(name, chain[0]);
            }
            return Optional.empty();
        } catch (CertificateException e) {
            return Optional.of(CertificateProblems.classify(e, chain, name, now).orElseGet(() ->
                    new CertificateProblems.CertificateProblem(CertificateProblems.Kind.UNTRUSTED,
                            "the chain failed validation: " + Texts.printable(String.valueOf(e.getMessage()), 256))));
        }
    }

    private static X509TrustManager jdkDefault() throws CertificateException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new CertificateException("the JVM's default trust is not available: " + e.getMessage(), e);
        }
        throw new CertificateException("the JVM has no X.509 trust manager");
    }
}
