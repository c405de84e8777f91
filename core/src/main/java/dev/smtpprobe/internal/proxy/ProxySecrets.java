package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import java.util.function.Function;

/**
 * Lets the handshakes read a {@link ProxyConfig}'s password without a public accessor: the public API never hands
 * the secret out. {@link ProxyConfig} installs the accessor once, in its static initializer, which has run before
 * any instance exists.
 */
public final class ProxySecrets {

    private static volatile Function<ProxyConfig, char[]> accessor;

    private ProxySecrets() {
    }

    /**
     * Called once by {@link ProxyConfig}.
     *
     * @throws IllegalStateException when an accessor is already installed
     */
    public static synchronized void install(Function<ProxyConfig, char[]> access) {
        if (accessor != null) {
            throw new IllegalStateException("the proxy secret accessor is already installed");
        }
        accessor = access;
    }

    /** A fresh copy of the proxy's password, which the caller clears after use; {@code null} when none is set. */
    static char[] password(ProxyConfig proxy) {
        return accessor.apply(proxy);
    }
}
