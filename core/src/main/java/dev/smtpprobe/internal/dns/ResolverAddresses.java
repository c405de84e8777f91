package dev.smtpprobe.internal.dns;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Resolver addresses as users write them: {@code 192.0.2.53}, {@code 192.0.2.53:5353}, {@code 2001:db8::53},
 * {@code [2001:db8::53]:5353}. Only address literals: naming a resolver by a host name would need a resolver.
 */
public final class ResolverAddresses {

    /** The DNS port. */
    public static final int DNS_PORT = 53;

    private ResolverAddresses() {
    }

    /**
     * The socket address of a resolver.
     *
     * @throws IllegalArgumentException naming {@code argument} when the text is null, holds a line break or
     *                                  surrounding whitespace (nothing is stripped), or is not an address literal
     *                                  with an optional port
     */
    public static InetSocketAddress parse(String text, String argument) {
        String t = Arguments.requireToken(text, argument);
        String host = t;
        int port = DNS_PORT;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw invalid(argument, text);
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(argument, text);
                }
                port = port(rest.substring(1), argument, text);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            // One colon: IPv4 with a port (an IPv6 literal has at least two).
            host = t.substring(0, t.indexOf(':'));
            port = port(t.substring(t.indexOf(':') + 1), argument, text);
        }
        return of(host, port, argument);
    }

    /**
     * The socket address of a resolver given as an address literal and a port.
     *
     * @throws IllegalArgumentException naming {@code argument} when the address is null, holds a line break or
     *                                  surrounding whitespace, is not a literal, or the port is out of range
     */
    public static InetSocketAddress of(String address, int port, String argument) {
        Arguments.requireToken(address, argument);
        Arguments.requireArgument(port >= 1 && port <= 65535, "%s port must be 1..65535: %d", argument, port);
        Optional<InetAddress> literal = Addresses.parseLiteral(address);
        if (literal.isEmpty()) {
            throw new IllegalArgumentException(argument + " must be an IP address literal (a resolver named by a host name"
                    + " would itself need resolving): " + address);
        }
        return new InetSocketAddress(literal.get(), port);
    }

    /** {@code 192.0.2.53:53} or {@code [2001:db8::53]:53}. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static int port(String text, String argument, String whole) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw invalid(argument, whole);
    }

    private static IllegalArgumentException invalid(String argument, String text) {
        return new IllegalArgumentException(argument + " must be an IP address literal with an optional port"
                + " (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:5353): " + text);
    }
}
