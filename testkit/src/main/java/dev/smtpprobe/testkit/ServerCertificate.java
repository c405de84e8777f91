package dev.smtpprobe.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;

/**
 * A server's TLS identity made by {@link TestCertificates}: a leaf certificate, its chain and private key, with
 * the server-side JDK objects built from them.
 *
 * <pre>{@code
 * ServerCertificate expired = TestCertificates.shared().expired();
 * Script script = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(expired.tls());
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class ServerCertificate {

    private static final char[] PASSWORD = "testkit".toCharArray();

    private final String name;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final KeyManagerFactory keyManagerFactory;
    private final SSLContext context;

    ServerCertificate(String name, List<X509Certificate> chain, PrivateKey privateKey)
            throws GeneralSecurityException, java.io.IOException {
        this.name = name;
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", privateKey, PASSWORD, chain.toArray(X509Certificate[]::new));
        keyManagerFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagerFactory.init(keyStore, PASSWORD);
        context = SSLContext.getInstance("TLS");
        context.init(keyManagerFactory.getKeyManagers(), null, null);
    }

    /** @return the leaf certificate the server presents */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** @return the chain the server sends, leaf first */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the leaf's private key */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** @return a key manager factory holding this identity */
    public KeyManagerFactory keyManagerFactory() {
        return keyManagerFactory;
    }

    /** @return the X.509 key manager holding this identity */
    public X509KeyManager keyManager() {
        return (X509KeyManager) keyManagerFactory.getKeyManagers()[0];
    }

    /** @return a server SSL context presenting this identity (for an {@code SSLServerSocket} or the fixture) */
    public SSLContext sslContext() {
        return context;
    }

    /** @return the fixture's TLS configuration presenting this identity with the JDK's defaults */
    public ServerTls tls() {
        return ServerTls.of(context);
    }

    @Override
    public String toString() {
        return "ServerCertificate{" + name + ", subject=" + certificate().getSubjectX500Principal()
                + ", notAfter=" + certificate().getNotAfter().toInstant() + "}";
    }
}
