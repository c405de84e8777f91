package dev.smtpprobe.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Turns the trust inputs a user may give into the JDK's own (hostname-aware) X509 trust manager. */
public final class TrustMaterial {

    /** The largest PEM file read: 4 MiB. */
    public static final int MAX_PEM_BYTES = 4 << 20;

    private TrustMaterial() {
    }

    /** The JDK's default trust store (the {@code cacerts} file or {@code javax.net.ssl.trustStore}). */
    public static X509TrustManager jdkDefault() {
        return fromKeyStoreOrDefault(null);
    }

    /** Trusts the certificates of {@code keyStore}. */
    public static X509TrustManager fromKeyStore(KeyStore keyStore) {
        return fromKeyStoreOrDefault(keyStore);
    }

    /**
     * Trusts the CA certificates in a PEM file of at most {@value #MAX_PEM_BYTES} bytes (a system CA bundle is
     * about 200 KiB).
     *
     * @throws IllegalArgumentException naming {@code trustedCertificates} and the file when it cannot be read, is
     *                                  larger than the limit (an endless device included) or holds no certificate
     */
    public static X509TrustManager fromPem(Path pemFile) {
        byte[] pem = BoundedFiles.read(pemFile, MAX_PEM_BYTES, "trustedCertificates");
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("trustedCertificates: no certificate in " + pemFile);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return fromKeyStoreOrDefault(ks);
        } catch (IOException e) {
            throw new IllegalArgumentException("trustedCertificates: cannot read " + pemFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trustedCertificates: not a PEM certificate file: " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager fromKeyStoreOrDefault(KeyStore keyStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + tmf.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trustStore: unusable key store: " + e.getMessage(), e);
        }
    }
}
