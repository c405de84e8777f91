package dev.smtpprobe.testkit;

import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * How the {@link MockSmtpServer} speaks TLS: the server {@link SSLContext} (its certificate) and, optionally, the
 * only protocols and cipher suites it enables. Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * ServerTls tls = TestCertificates.shared().valid().tls();
 * ServerTls old = tls.withProtocols("TLSv1.2").withCipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class ServerTls {

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;

    private ServerTls(SSLContext context, List<String> protocols, List<String> cipherSuites) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /**
     * TLS with the given server context and the JDK's default protocols and cipher suites.
     *
     * @param context a context initialised with the server's key manager
     * @return the TLS configuration
     */
    public static ServerTls of(SSLContext context) {
        return new ServerTls(Objects.requireNonNull(context, "context"), List.of(), List.of());
    }

    /**
     * Returns a copy that enables only these protocols (e.g. {@code "TLSv1.2"}).
     *
     * @param protocols JDK protocol names; none means the JDK default
     * @return the copy
     */
    public ServerTls withProtocols(String... protocols) {
        return new ServerTls(context, List.of(protocols), cipherSuites);
    }

    /**
     * Returns a copy that enables only these cipher suites (JDK names).
     *
     * @param cipherSuites JDK cipher suite names; none means the JDK default
     * @return the copy
     */
    public ServerTls withCipherSuites(String... cipherSuites) {
        return new ServerTls(context, protocols, List.of(cipherSuites));
    }

    /** @return the server's SSL context */
    public SSLContext context() {
        return context;
    }

    /** @return the only protocols enabled, or empty for the JDK default */
    public List<String> enabledProtocols() {
        return protocols;
    }

    /** @return the only cipher suites enabled, or empty for the JDK default */
    public List<String> enabledCipherSuites() {
        return cipherSuites;
    }

    void configure(SSLSocket socket) {
        socket.setUseClientMode(false);
        if (!protocols.isEmpty()) {
            socket.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            socket.setEnabledCipherSuites(cipherSuites.toArray(String[]::new));
        }
    }

    void configure(SSLEngine engine) {
        engine.setUseClientMode(false);
        if (!protocols.isEmpty()) {
            engine.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            engine.setEnabledCipherSuites(cipherSuites.toArray(String[]::new));
        }
    }

    @Override
    public String toString() {
        return "ServerTls{protocols=" + (protocols.isEmpty() ? "default" : protocols)
                + ", cipherSuites=" + (cipherSuites.isEmpty() ? "default" : cipherSuites) + "}";
    }
}
