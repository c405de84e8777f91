package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Arguments;

/**
 * Makes the handshake for a proxy, and the failures of reaching the proxy itself, which happen before any
 * handshake: a connection makes one handshake per attempt, through {@link #create}.
 */
public final class ProxyHandshakes {

    private ProxyHandshakes() {
    }

    /**
     * The handshake that asks {@code proxy} for a tunnel to {@code targetHost:targetPort}: an address literal is
     * sent as an address, a name for the proxy to resolve.
     *
     * @throws IllegalArgumentException naming the argument when it is null or the target cannot be carried by the
     *                                  proxy's protocol
     */
    public static TunnelHandshake create(ProxyConfig proxy, String targetHost, int targetPort) {
        Arguments.requireNonNull(proxy, "proxy");
        return switch (proxy.type()) {
            case SOCKS5 -> new Socks5Handshake(proxy, targetHost, targetPort);
            case SOCKS4A -> new Socks4aHandshake(proxy, targetHost, targetPort);
            case HTTP_CONNECT -> new HttpConnectHandshake(proxy, targetHost, targetPort);
        };
    }

    /**
     * The failure when TCP to the proxy itself failed (refused, timed out, unreachable, reset): always
     * {@link Verdict#PROXY_UNREACHABLE}, whatever the socket error, since the mail server was never contacted.
     *
     * @param what the socket error in words, for example {@code "connection refused"}
     */
    public static ProxyFailure unreachable(ProxyConfig proxy, String what) {
        Arguments.requireNonNull(proxy, "proxy");
        return new ProxyFailure(Verdict.PROXY_UNREACHABLE, "cannot reach the " + proxy.describe() + ": "
                + Arguments.requireNonNull(what, "what") + " (the mail server was never contacted)");
    }
}
