package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Arguments;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The SOCKS5 exchange (RFC 1928) with optional username/password authentication (RFC 1929), as a pure state
 * machine: method selection, then the sub-negotiation when the proxy picks username/password, then CONNECT.
 *
 * <p><b>Target address.</b> A target given as an address literal is sent as that address (ATYP IPv4 or IPv6), so
 * the proxy connects exactly where the probe's own resolution pointed; a name is sent as a name (ATYP DOMAINNAME,
 * at most 255 octets), so the proxy resolves it, as it must when this host cannot resolve names outside.
 *
 * <p><b>Verdicts.</b> The proxy's own failures: no acceptable method or rejected credentials are
 * {@link Verdict#PROXY_AUTH_FAILED}; reply 0x02 (not allowed by ruleset) is {@link Verdict#PROXY_DENIED}; reply
 * 0x01 (general failure), 0x07 and 0x08 (command or address type not supported), an unassigned reply and an answer
 * that is not SOCKS5 are {@link Verdict#PROXY_UNREACHABLE}. What it reports about the target: 0x03
 * {@link Verdict#NETWORK_UNREACHABLE}, 0x04 {@link Verdict#NO_ROUTE_TO_HOST}, 0x05 {@link Verdict#CONNECTION_REFUSED},
 * 0x06 (TTL expired) {@link Verdict#CONNECTION_TIMED_OUT}. A failure reply is decided on its first two octets, so a
 * proxy that sends a short failure reply and closes is still understood.
 *
 * <p>The password is copied into the sub-negotiation bytes only, which {@link #onBytes} returns in a
 * {@link Send}; the intermediate copies are cleared.
 */
final class Socks5Handshake extends TunnelHandshake {

    private static final int VERSION = 5;
    private static final int NO_AUTH = 0x00;
    private static final int USER_PASS = 0x02;
    private static final int NO_ACCEPTABLE = 0xff;
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_NAME = 3;
    private static final int ATYP_IPV6 = 4;

    private enum State { METHOD, AUTH, CONNECT }

    private final boolean credentials;
    private final byte[] reply = new byte[4 + 1 + 255 + 2];
    private State state = State.METHOD;
    private int have;
    private int need = 2;
    private String bound;

    /**
     * @param targetHost an address literal (sent as an address) or a host name (sent for the proxy to resolve)
     * @throws IllegalArgumentException naming the argument when the target is unusable or a name longer than 255
     *                                  octets
     */
    public Socks5Handshake(ProxyConfig proxy, String targetHost, int targetPort) {
        super(proxy, targetHost, targetPort);
        Arguments.requireArgument(
                targetAddress() != null || targetHost.getBytes(StandardCharsets.US_ASCII).length <= 255
                        && StandardCharsets.US_ASCII.newEncoder().canEncode(targetHost),
                "targetHost must be an address literal or an ASCII name of at most 255 octets for SOCKS5: %s",
                targetHost);
        this.credentials = proxy.hasPassword();
    }

    @Override
    public byte[] start() {
        return credentials ? new byte[] {VERSION, 2, NO_AUTH, USER_PASS} : new byte[] {VERSION, 1, NO_AUTH};
    }

    @Override
    Step consume(ByteBuffer in) {
        while (in.hasRemaining()) {
            reply[have++] = take(in);
            Step step = switch (state) {
                case METHOD -> onMethodByte(in);
                case AUTH -> onAuthByte(in);
                case CONNECT -> onConnectByte(in);
            };
            if (step != null) {
                return step;
            }
        }
        return new NeedMore();
    }

    private Step onMethodByte(ByteBuffer in) {
        if (have == 1 && (reply[0] & 0xff) != VERSION) {
            return notThisProtocol("its answer to the SOCKS5 greeting does not start with version 5", in);
        }
        if (have < need) {
            return null;
        }
        int method = reply[1] & 0xff;
        if (method == NO_ACCEPTABLE) {
            return fail(Verdict.PROXY_AUTH_FAILED, "the " + proxy().describe() + " accepts none of the offered "
                    + "authentication methods (" + (credentials ? "none, username/password" : "none: it requires "
                    + "authentication, and no credentials are configured") + ")");
        }
        if (method == NO_AUTH) {
            return sendConnect();
        }
        if (method == USER_PASS && credentials) {
            reset(State.AUTH, 2);
            return new Send(authRequest());
        }
        return notThisProtocol("it chose the authentication method " + Bytes.hex(method) + ", which was not offered",
                in);
    }

    private Step onAuthByte(ByteBuffer in) {
        // RFC 1929 answers with version 1; some servers echo the SOCKS version 5 instead.
        if (have == 1 && reply[0] != 1 && reply[0] != VERSION) {
            return notThisProtocol("its answer to the username/password sub-negotiation has version "
                    + Bytes.hex(reply[0] & 0xff), in);
        }
        if (have < need) {
            return null;
        }
        if (reply[1] != 0) {
            return fail(Verdict.PROXY_AUTH_FAILED, "the " + proxy().describe() + " rejected the credentials of user "
                    + proxy().username().orElse("") + " (status " + Bytes.hex(reply[1] & 0xff) + ")");
        }
        return sendConnect();
    }

    private Step onConnectByte(ByteBuffer in) {
        if (have == 1 && (reply[0] & 0xff) != VERSION) {
            return notThisProtocol("its answer to CONNECT does not start with version 5", in);
        }
        if (have == 2 && reply[1] != 0) {
            return replyFailure(reply[1] & 0xff);
        }
        if (have == 4) {
            int atyp = reply[3] & 0xff;
            switch (atyp) {
                case ATYP_IPV4 -> need = 4 + 4 + 2;
                case ATYP_IPV6 -> need = 4 + 16 + 2;
                case ATYP_NAME -> need = 5; // the length octet comes next
                default -> {
                    return notThisProtocol("its CONNECT reply has the unknown address type " + Bytes.hex(atyp), in);
                }
            }
        }
        if (have == 5 && (reply[3] & 0xff) == ATYP_NAME) {
            need = 5 + (reply[4] & 0xff) + 2;
        }
        if (have < need) {
            return null;
        }
        bound = boundAddress();
        return new Done();
    }

    private Step replyFailure(int code) {
        String by = ", as reported by the " + proxy().describe() + " (reply " + Bytes.hex(code);
        return switch (code) {
            case 0x02 -> fail(Verdict.PROXY_DENIED, "the " + proxy().describe() + " refused the connection to "
                    + target() + " by its rules (reply 0x02: connection not allowed by ruleset)");
            case 0x03 -> fail(Verdict.NETWORK_UNREACHABLE, "the network of " + target() + " is unreachable" + by
                    + ": network unreachable)");
            case 0x04 -> fail(Verdict.NO_ROUTE_TO_HOST, "the host " + target() + " is unreachable" + by
                    + ": host unreachable)");
            case 0x05 -> fail(Verdict.CONNECTION_REFUSED, "the target " + target() + " refused the connection" + by
                    + ": connection refused)");
            case 0x06 -> fail(Verdict.CONNECTION_TIMED_OUT, "the connection to " + target() + " timed out" + by
                    + ": TTL expired)");
            case 0x01 -> fail(Verdict.PROXY_UNREACHABLE, "the " + proxy().describe() + " failed to connect to "
                    + target() + " (reply 0x01: general SOCKS server failure)");
            case 0x07 -> fail(Verdict.PROXY_UNREACHABLE, "the " + proxy().describe()
                    + " does not support CONNECT, asked for " + target() + " (reply 0x07: command not supported)");
            case 0x08 -> fail(Verdict.PROXY_UNREACHABLE, "the " + proxy().describe() + " cannot take the target "
                    + target() + " (reply 0x08: address type not supported)");
            default -> fail(Verdict.PROXY_UNREACHABLE, "the " + proxy().describe() + " answered CONNECT to "
                    + target() + " with the unassigned reply " + Bytes.hex(code));
        };
    }

    private Step sendConnect() {
        reset(State.CONNECT, 4);
        return new Send(connectRequest());
    }

    private void reset(State next, int needed) {
        state = next;
        have = 0;
        need = needed;
    }

    @Override
    boolean awaitingTunnel() {
        return state == State.CONNECT;
    }

    /** The CONNECT request: VER CMD RSV ATYP DST.ADDR DST.PORT. */
    byte[] connectRequest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 256 + 2);
        out.write(VERSION);
        out.write(1); // CONNECT
        out.write(0);
        InetAddress address = targetAddress();
        if (address != null) {
            out.write(address instanceof Inet4Address ? ATYP_IPV4 : ATYP_IPV6);
            out.writeBytes(address.getAddress());
        } else {
            byte[] name = targetHost().getBytes(StandardCharsets.US_ASCII);
            out.write(ATYP_NAME);
            out.write(name.length);
            out.writeBytes(name);
        }
        out.write(targetPort() >> 8);
        out.write(targetPort() & 0xff);
        return out.toByteArray();
    }

    /** The RFC 1929 request: VER ULEN UNAME PLEN PASSWD; the password's intermediate copies are cleared. */
    private byte[] authRequest() {
        byte[] user = proxy().username().orElseThrow().getBytes(StandardCharsets.UTF_8);
        char[] password = ProxySecrets.password(proxy());
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        Arrays.fill(password, '\0');
        byte[] request = new byte[3 + user.length + encoded.remaining()];
        request[0] = 1;
        request[1] = (byte) user.length;
        System.arraycopy(user, 0, request, 2, user.length);
        request[2 + user.length] = (byte) encoded.remaining();
        encoded.get(request, 3 + user.length, encoded.remaining());
        encoded.clear();
        while (encoded.hasRemaining()) {
            encoded.put((byte) 0);
        }
        return request;
    }

    private String boundAddress() {
        int atyp = reply[3] & 0xff;
        int port;
        String host;
        if (atyp == ATYP_NAME) {
            int len = reply[4] & 0xff;
            host = Bytes.quote(Arrays.copyOfRange(reply, 5, 5 + len), len);
            port = ((reply[5 + len] & 0xff) << 8) | (reply[6 + len] & 0xff);
        } else {
            int len = atyp == ATYP_IPV4 ? 4 : 16;
            try {
                String text = InetAddress.getByAddress(Arrays.copyOfRange(reply, 4, 4 + len)).getHostAddress();
                host = atyp == ATYP_IPV6 ? "[" + text + "]" : text;
            } catch (UnknownHostException e) {
                throw new AssertionError(e); // 4 or 16 octets are always an address
            }
            port = ((reply[4 + len] & 0xff) << 8) | (reply[5 + len] & 0xff);
        }
        return host + ":" + port;
    }

    /** The address the proxy connected from (BND.ADDR:BND.PORT), once the tunnel is open. */
    public Optional<String> bound() {
        return Optional.ofNullable(bound);
    }

    @Override
    public String describeTunnel() {
        return "tunnel to " + target() + " open through the " + proxy().describe()
                + (bound != null ? " (proxy bound " + bound + ")" : "");
    }
}
