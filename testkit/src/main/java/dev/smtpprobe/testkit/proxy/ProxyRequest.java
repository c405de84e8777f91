package dev.smtpprobe.testkit.proxy;

import java.util.List;

/**
 * What a client asked a {@link MockProxyServer} for, on one connection: the target as sent, and the credentials it
 * presented (a test fixture records them so that tests can assert what was sent; it holds only test secrets).
 *
 * @param protocol    the proxy protocol spoken
 * @param targetHost  the target as sent: an address in text form, or a name (SOCKS5 ATYP 3, SOCKS4a, HTTP)
 * @param targetPort  the target port
 * @param byName      whether the target was sent as a name for the proxy to resolve
 * @param methods     the SOCKS5 authentication methods offered (empty for the other protocols)
 * @param username    the username or SOCKS4 user id presented, or {@code null}
 * @param password    the password presented (SOCKS5 or HTTP Basic), or {@code null}
 * @param headerLines the HTTP request lines and header fields as received (empty for SOCKS)
 */
public record ProxyRequest(MockProxyServer.Protocol protocol, String targetHost, int targetPort, boolean byName,
                           List<Integer> methods, String username, String password, List<String> headerLines) {

    /**
     * Copies the lists, so a request does not change after it is recorded.
     *
     * @param protocol the proxy protocol spoken
     * @param targetHost the target as sent, an address in text form or a name
     * @param targetPort the target port
     * @param byName whether the target was sent as a name for the proxy to resolve
     * @param methods the SOCKS5 authentication methods offered; copied
     * @param username the username or SOCKS4 user id presented, or {@code null}
     * @param password the password presented, or {@code null}
     * @param headerLines the HTTP request lines and header fields as received; copied
     */
    public ProxyRequest {
        methods = List.copyOf(methods);
        headerLines = List.copyOf(headerLines);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ProxyRequest[" + protocol + " " + targetHost + ":" + targetPort + (byName ? " (name)" : "")
                + (username != null ? ", user " + username : "") + (password != null ? ", password <redacted>" : "")
                + "]";
    }
}
