package dev.smtpprobe.netty.internal.socket;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509TrustManager;

/**
 * A small LRU of TLS set-ups (a Netty {@code SslContext}, a JDK socket factory) keyed by trust manager
 * <em>instance</em>: identity, not equals, since two managers that compare equal may still trust different roots.
 * A caller reusing one trust manager (core shares one per trust configuration) builds its set-up once; a caller
 * creating one per probe cannot grow the cache past its size. Entries are held strongly; the size bounds that.
 * Threadsafe. Netty-free, so the JDK-socket path can use it.
 *
 * @param <V> what is cached per trust manager
 */
public final class PerTrustManager<V> {

    /** Builds the set-up for a trust manager. */
    @FunctionalInterface
    public interface Builder<V> {
        V build(X509TrustManager trustManager) throws SSLException;
    }

    private final Builder<V> builder;
    private final Map<Identity, V> entries;

    public PerTrustManager(int size, Builder<V> builder) {
        this.builder = builder;
        this.entries = new LinkedHashMap<>(size * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, V> eldest) {
                return size() > size;
            }
        };
    }

    /** The set-up for {@code trustManager}, built now if it is not cached. */
    public synchronized V get(X509TrustManager trustManager) throws SSLException {
        Identity key = new Identity(trustManager);
        V value = entries.get(key);
        if (value == null) {
            value = builder.build(trustManager);
            entries.put(key, value);
        }
        return value;
    }

    /** How many are cached now (for tests). */
    public synchronized int size() {
        return entries.size();
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
