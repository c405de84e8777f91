package dev.smtpprobe.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A client-side trust manager that remembers the server chain a handshake was shown when validation fails, so a
 * result can show the certificate that was refused (an expired one's dates, a wrong one's names).
 *
 * <p>Validation is the delegate's. When the delegate is an {@link X509ExtendedTrustManager} (as the JDK's are), its
 * engine and socket variants are called, so the JDK's own host name check runs when the connection's
 * {@link SSLParameters#getEndpointIdentificationAlgorithm()} asks for one. A plain {@link X509TrustManager} cannot
 * check the host: then this class validates the chain with it and, when endpoint identification is asked for,
 * checks the host itself with {@link HostnameMatcher} (RFC 6125). Passing a plain trust manager straight to an
 * {@code SSLContext} would have the JDK wrap it and check the host; wrapping it here keeps that guarantee, because
 * the JDK does not wrap an {@code X509ExtendedTrustManager}.
 *
 * <h2>One manager, many handshakes</h2>
 * The refused chain travels with the failure, not in this object: it is attached to the {@link CertificateException}
 * thrown out of {@code checkServerTrusted} (as a suppressed exception, so the failure's messages and cause chain
 * stay what the delegate made them), and {@link #chainShown(Throwable)} finds it in the handshake failure the
 * transport reports. So one manager serves any number of concurrent handshakes and each attempt still gets its own
 * chain as evidence; {@link #forDelegate} and {@link #forJdkDefault} hand out one manager per trust configuration,
 * which lets a transport reuse one TLS context (an {@code SSLContext} per manager) for every probe.
 *
 * <p>Client side only: the {@code checkClientTrusted} methods throw. This class is threadsafe.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    /** Shared managers kept at most: a process with more trust configurations than this only rebuilds some. */
    static final int SHARED_SIZE = 16;
    /** How long the manager for the JDK's default trust store is kept: a changed trust store is seen after this. */
    static final long JDK_DEFAULT_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Map<Identity, RecordingTrustManager> SHARED =
            new LinkedHashMap<>(SHARED_SIZE * 2, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Identity, RecordingTrustManager> eldest) {
                    return size() > SHARED_SIZE;
                }
            };
    private static RecordingTrustManager jdkDefault;
    private static long jdkDefaultMadeAt;

    private final X509TrustManager delegate;
    private volatile X509Certificate[] chain;

    /** @param delegate validates the chain; must not be null */
    public RecordingTrustManager(X509TrustManager delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    /**
     * The shared manager for {@code delegate} (the same instance for the same delegate instance, while it is among
     * the last {@value #SHARED_SIZE} used), so a transport that caches TLS contexts per trust manager reuses one.
     *
     * @throws IllegalArgumentException when {@code delegate} is null
     */
    public static RecordingTrustManager forDelegate(X509TrustManager delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must not be null");
        }
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(new Identity(delegate), k -> new RecordingTrustManager(delegate));
        }
    }

    /**
     * The shared manager for the JDK's default trust store. Reading that store (and building the JDK's manager for
     * it) is the costly part of a TLS context, so it is done at most once a minute rather than per handshake; a
     * changed trust store ({@code cacerts} or {@code javax.net.ssl.trustStore}) is seen within that minute.
     */
    public static RecordingTrustManager forJdkDefault() {
        return forJdkDefault(Ticker.SYSTEM);
    }

    /** {@link #forJdkDefault()}, its age read on {@code ticker}. */
    public static synchronized RecordingTrustManager forJdkDefault(Ticker ticker) {
        long now = ticker.read();
        if (jdkDefault == null || now - jdkDefaultMadeAt >= JDK_DEFAULT_REFRESH_NANOS) {
            jdkDefault = new RecordingTrustManager(TrustMaterial.jdkDefault());
            jdkDefaultMadeAt = now;
        }
        return jdkDefault;
    }

    /**
     * The server chain (leaf first) that the handshake which failed with {@code failure} was shown, when a
     * recording trust manager refused it; {@code null} when none is attached (the failure was not a refused chain).
     * Follows the cause chain (any wrapping by the TLS stack or the transport).
     */
    public static X509Certificate[] chainShown(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < 32 && seen.add(t); t = t.getCause()) {
            Throwable[] suppressed = t.getSuppressed();
            for (int i = suppressed.length - 1; i >= 0; i--) { // the last one: the latest, should one be reused
                if (suppressed[i] instanceof ShownChain shown) {
                    return shown.chain.clone();
                }
            }
        }
        return null;
    }

    /**
     * A copy of the last server chain shown to this manager by any handshake (leaf first), or {@code null} when none
     * was shown yet. For tests: a shared manager's last chain may be another attempt's; see {@link #chainShown}.
     */
    public X509Certificate[] chain() {
        X509Certificate[] c = chain;
        return c == null ? null : c.clone();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        record(chain);
        try {
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, engine);
                return;
            }
            delegate.checkServerTrusted(chain, authType);
            if (engine != null) {
                checkHost(chain, engine.getSSLParameters(), engine.getPeerHost());
            }
        } catch (CertificateException e) {
            throw withChain(e, chain);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        record(chain);
        try {
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, socket);
                return;
            }
            delegate.checkServerTrusted(chain, authType);
            if (socket instanceof SSLSocket ssl) {
                SSLSession handshake = ssl.getHandshakeSession();
                checkHost(chain, ssl.getSSLParameters(), handshake == null ? null : handshake.getPeerHost());
            }
        } catch (CertificateException e) {
            throw withChain(e, chain);
        }
    }

    /** Without a connection there is no host to check: chain validation only. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(chain);
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw withChain(e, chain);
        }
    }

    /**
     * {@code refusal} with the chain attached for {@link #chainShown}: as a suppressed exception, so its type,
     * message and causes stay the delegate's; wrapped only when the delegate's exception takes no suppressed ones.
     */
    private static CertificateException withChain(CertificateException refusal, X509Certificate[] shown) {
        if (shown == null) {
            return refusal;
        }
        ShownChain attached = new ShownChain(shown.clone());
        refusal.addSuppressed(attached);
        Throwable[] kept = refusal.getSuppressed();
        if (kept.length > 0 && kept[kept.length - 1] == attached) {
            return refusal;
        }
        CertificateException wrapper = new CertificateException(refusal.getMessage(), refusal);
        wrapper.addSuppressed(attached);
        return wrapper;
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

    /** The chain a refused handshake was shown, riding on the refusal; no stack trace (it is not an error). */
    private static final class ShownChain extends Exception {
        private static final long serialVersionUID = 1L;
        private final X509Certificate[] chain;

        ShownChain(X509Certificate[] chain) {
            super("the server's certificate chain as the client was shown it", null, false, false);
            this.chain = chain;
        }
    }

    /** Identity key: equal only to a key for the very same trust manager instance. */
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
