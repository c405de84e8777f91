package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Arguments;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The SOCKS4 CONNECT exchange with the 4a extension, as a pure state machine: one request, one 8-octet reply.
 *
 * <p><b>Target address.</b> An IPv4 literal is sent as DSTIP (plain SOCKS4). Anything else is sent as a name after
 * the user id with DSTIP 0.0.0.1, the 4a way, so the proxy resolves it; an IPv6 literal goes the same way as text,
 * since SOCKS4 has no IPv6 address field (a proxy that resolves names with the system's resolver accepts it).
 *
 * <p><b>Verdicts.</b> Reply 90 opens the tunnel. Reply 91 ("request rejected or failed") is
 * {@link Verdict#PROXY_DENIED}: the proxy turned the request down, and SOCKS4 does not say whether by rule or because
 * the target could not be reached, which the detail says. Replies 92 and 93 (the proxy could not confirm the user id
 * with identd, or identd disagreed) are {@link Verdict#PROXY_AUTH_FAILED}. Any other answer is
 * {@link Verdict#PROXY_UNREACHABLE}: not a SOCKS4 proxy. Failure replies are decided on their first two octets.
 */
final class Socks4aHandshake extends TunnelHandshake {

    private static final int REPLY_LENGTH = 8;
    private static final int GRANTED = 90;
    private static final int MAX_NAME = 255;

    private final byte[] reply = new byte[REPLY_LENGTH];
    private int have;

    /**
     * @throws IllegalArgumentException naming the argument when the target is unusable, a name longer than 255
     *                                  octets or not ASCII
     */
    public Socks4aHandshake(ProxyConfig proxy, String targetHost, int targetPort) {
        super(proxy, targetHost, targetPort);
        Arguments.requireArgument(
                StandardCharsets.US_ASCII.newEncoder().canEncode(targetHost) && targetHost.length() <= MAX_NAME,
                "targetHost must be an ASCII name or address of at most %d octets for SOCKS4a: %s", MAX_NAME,
                targetHost);
    }

    @Override
    public byte[] start() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(9 + MAX_NAME * 2);
        out.write(4);
        out.write(1); // CONNECT
        out.write(targetPort() >> 8);
        out.write(targetPort() & 0xff);
        boolean byName = !(targetAddress() instanceof Inet4Address);
        out.writeBytes(byName ? new byte[] {0, 0, 0, 1} : targetAddress().getAddress());
        proxy().username().ifPresent(id -> out.writeBytes(id.getBytes(StandardCharsets.UTF_8)));
        out.write(0);
        if (byName) {
            out.writeBytes(targetHost().getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        return out.toByteArray();
    }

    @Override
    Step consume(ByteBuffer in) {
        while (in.hasRemaining()) {
            reply[have++] = take(in);
            if (have == 1 && reply[0] != 0) {
                return notThisProtocol("its reply does not start with version 0", in);
            }
            if (have == 2 && (reply[1] & 0xff) != GRANTED) {
                return replyFailure(reply[1] & 0xff, in);
            }
            if (have == REPLY_LENGTH) {
                return new Done();
            }
        }
        return new NeedMore();
    }

    private Step replyFailure(int code, ByteBuffer in) {
        return switch (code) {
            case 91 -> fail(Verdict.PROXY_DENIED, "the " + proxy().describe() + " rejected the connection to "
                    + target() + " (reply 91: request rejected or failed; SOCKS4 does not say whether by rule or "
                    + "because the target could not be reached)");
            case 92 -> fail(Verdict.PROXY_AUTH_FAILED, "the " + proxy().describe() + " rejected the request for "
                    + target() + ": it could not confirm the user id with identd on this host (reply 92)");
            case 93 -> fail(Verdict.PROXY_AUTH_FAILED, "the " + proxy().describe() + " rejected the request for "
                    + target() + ": identd on this host reported another user id than "
                    + proxy().username().map(u -> "'" + u + "'").orElse("the empty one") + " (reply 93)");
            default -> notThisProtocol("its reply code " + code + " is none of 90 to 93", in);
        };
    }

    @Override
    boolean awaitingTunnel() {
        return true; // the only request is the one for the target
    }

    @Override
    public String describeTunnel() {
        return "tunnel to " + target() + " open through the " + proxy().describe();
    }
}
