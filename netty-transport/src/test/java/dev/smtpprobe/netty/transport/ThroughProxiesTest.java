package dev.smtpprobe.netty.transport;

import org.junit.jupiter.api.Nested;

/**
 * Core's connection rules ({@link ConnectionContract}) with a proxy hop in between, on every way a connection can be
 * served (the JDK-socket path, Netty with NIO, Netty with native epoll where it loads) and through every proxy type
 * the probe speaks: SOCKS5 with and without authentication, SOCKS4a, HTTP CONNECT with and without authentication.
 */
class ThroughProxiesTest {

    @Nested
    class SocketPathThroughSocks5 extends SocketEngineTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5;
        }
    }

    @Nested
    class SocketPathThroughSocks5WithAuth extends SocketEngineTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5_WITH_AUTH;
        }
    }

    @Nested
    class SocketPathThroughSocks4a extends SocketEngineTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS4A;
        }
    }

    @Nested
    class SocketPathThroughHttpConnect extends SocketEngineTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT;
        }
    }

    @Nested
    class SocketPathThroughHttpConnectWithAuth extends SocketEngineTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT_WITH_AUTH;
        }
    }

    @Nested
    class NioThroughSocks5 extends NioTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5;
        }
    }

    @Nested
    class NioThroughSocks5WithAuth extends NioTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5_WITH_AUTH;
        }
    }

    @Nested
    class NioThroughSocks4a extends NioTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS4A;
        }
    }

    @Nested
    class NioThroughHttpConnect extends NioTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT;
        }
    }

    @Nested
    class NioThroughHttpConnectWithAuth extends NioTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT_WITH_AUTH;
        }
    }

    @Nested
    class EpollThroughSocks5 extends EpollTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5;
        }
    }

    @Nested
    class EpollThroughSocks5WithAuth extends EpollTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS5_WITH_AUTH;
        }
    }

    @Nested
    class EpollThroughSocks4a extends EpollTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.SOCKS4A;
        }
    }

    @Nested
    class EpollThroughHttpConnect extends EpollTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT;
        }
    }

    @Nested
    class EpollThroughHttpConnectWithAuth extends EpollTransportTest {
        @Override
        ProxyKind proxyKind() {
            return ProxyKind.HTTP_CONNECT_WITH_AUTH;
        }
    }
}
