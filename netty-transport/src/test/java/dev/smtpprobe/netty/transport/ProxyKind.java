package dev.smtpprobe.netty.transport;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import java.util.function.Supplier;

/**
 * A proxy type the connection contract runs through: the testkit's {@link MockProxyServer} of that type (relaying
 * every tunnel to the target the client names) and the client's matching {@link ProxyConfig}.
 */
enum ProxyKind {
    SOCKS5(MockProxyServer::socks5, false, Verdict.CONNECTION_REFUSED),
    SOCKS5_WITH_AUTH(MockProxyServer::socks5, true, Verdict.CONNECTION_REFUSED),
    /** SOCKS4 has one answer for every failure (91), which says the proxy would not connect. */
    SOCKS4A(MockProxyServer::socks4a, false, Verdict.PROXY_DENIED),
    /** HTTP's 502 does not say why the proxy could not connect. */
    HTTP_CONNECT(MockProxyServer::httpConnect, false, Verdict.PROXY_UNREACHABLE),
    HTTP_CONNECT_WITH_AUTH(MockProxyServer::httpConnect, true, Verdict.PROXY_UNREACHABLE);

    static final String USER = "alice";
    static final String PASSWORD = "s3cret-proxy";

    private final Supplier<MockProxyServer> server;
    private final boolean auth;
    private final Verdict refusedTarget;

    ProxyKind(Supplier<MockProxyServer> server, boolean auth, Verdict refusedTarget) {
        this.server = server;
        this.auth = auth;
        this.refusedTarget = refusedTarget;
    }

    /** A started proxy of this kind on 127.0.0.1; the caller closes it. */
    MockProxyServer start() {
        MockProxyServer proxy = server.get();
        if (auth) {
            proxy.credentials(USER, PASSWORD);
        }
        return proxy.start();
    }

    /** How the client names {@code proxy}, with the credentials it requires. */
    ProxyConfig config(MockProxyServer proxy) {
        ProxyConfig config = switch (proxy.protocol()) {
            case SOCKS5 -> ProxyConfig.socks5("127.0.0.1", proxy.port());
            case SOCKS4A -> ProxyConfig.socks4a("127.0.0.1", proxy.port());
            case HTTP_CONNECT -> ProxyConfig.httpConnect("127.0.0.1", proxy.port());
        };
        return auth ? config.withCredentials(USER, PASSWORD.toCharArray()) : config;
    }

    /** The verdict the client reads from this proxy's answer when the target refused the proxy's connect. */
    Verdict refusedTarget() {
        return refusedTarget;
    }
}
