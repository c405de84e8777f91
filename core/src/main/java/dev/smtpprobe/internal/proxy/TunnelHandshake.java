package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the three proxy handshakes share: the proxy and the target they name in every message, the bytes the proxy
 * sent so far (kept, bounded, to quote an answer that is not what the protocol allows), and the failures a
 * connection reports when the proxy closes or stays silent in the middle of the exchange.
 *
 * <p>Every {@link #onBytes} consumes exactly the bytes of the proxy's answer: on {@link NeedMore} the whole buffer
 * was consumed; on {@link Send} the bytes after the consumed answer (if the proxy sent any ahead of time) are still
 * in the buffer, to be handed to {@code onBytes} again once the returned bytes are written; on {@link Done} the
 * buffer's position is at the first relayed byte. After {@link Done} or {@link Failed} it must not be called again.
 *
 * <p>Messages name the proxy and the target and never contain a password. Not threadsafe: one connection's thread.
 */
public abstract class TunnelHandshake implements ProxyHandshake {

    /** How many bytes of an unexpected answer a message quotes. */
    static final int QUOTED = 48;

    private final ProxyConfig proxy;
    private final String targetHost;
    private final int targetPort;
    private final InetAddress targetAddress;
    private final byte[] seen = new byte[QUOTED];
    private int seenCount;
    private boolean finished;

    TunnelHandshake(ProxyConfig proxy, String targetHost, int targetPort) {
        this.proxy = Arguments.requireNonNull(proxy, "proxy");
        Arguments.requireToken(targetHost, "targetHost");
        Arguments.requireArgument(targetPort >= 1 && targetPort <= 65535, "targetPort must be 1..65535: %d",
                targetPort);
        Optional<InetAddress> literal = Addresses.parseLiteral(targetHost);
        this.targetAddress = literal.orElse(null);
        this.targetHost = literal.isPresent() ? Addresses.stripBrackets(targetHost) : targetHost;
        this.targetPort = targetPort;
    }

    /** The proxy this handshake talks to. */
    public final ProxyConfig proxy() {
        return proxy;
    }

    /** The target as messages name it: {@code mx.example.net:25}, {@code [2001:db8::25]:25}. */
    public final String target() {
        return (targetAddress instanceof Inet6Address ? "[" + targetHost + "]" : targetHost) + ":" + targetPort;
    }

    final String targetHost() {
        return targetHost;
    }

    final int targetPort() {
        return targetPort;
    }

    /** The target's address when it was given as an address literal, else {@code null} (a name the proxy resolves). */
    final InetAddress targetAddress() {
        return targetAddress;
    }

    @Override
    public final Step onBytes(ByteBuffer in) {
        if (finished) {
            throw new IllegalStateException("the proxy handshake is over");
        }
        Step step = consume(in);
        finished = step instanceof Done || step instanceof Failed;
        return step;
    }

    /** Consumes the proxy's answer from {@code in}, as {@link #onBytes} describes. */
    abstract Step consume(ByteBuffer in);

    /** Whether the final request (the one whose answer opens the tunnel) was sent and its answer is awaited. */
    abstract boolean awaitingTunnel();

    /** Reads one byte of the answer, remembering the first {@value #QUOTED} for messages. */
    final byte take(ByteBuffer in) {
        byte b = in.get();
        if (seenCount < QUOTED) {
            seen[seenCount++] = b;
        }
        return b;
    }

    /**
     * Why the handshake failed when the proxy closed the connection before its final answer: the proxy failed
     * ({@link Verdict#PROXY_UNREACHABLE}), whichever step it was at.
     */
    public ProxyFailure closed() {
        return new ProxyFailure(Verdict.PROXY_UNREACHABLE, "the " + proxy.describe() + " closed the connection "
                + (awaitingTunnel() ? "without answering the request for " + target() : "in the middle of its handshake")
                + (seenCount > 0 ? " after sending " + Bytes.quote(seen, seenCount) : " before sending anything"));
    }

    /**
     * Why the handshake failed when the proxy did not answer within {@code waited}: once the proxy took the request
     * for the target, a silent proxy is still trying to reach it ({@link Verdict#CONNECTION_TIMED_OUT}, as reported
     * by the proxy's silence); before, the proxy itself does not work ({@link Verdict#PROXY_UNREACHABLE}).
     */
    public ProxyFailure timedOut(Duration waited) {
        Arguments.requireNonNull(waited, "waited");
        if (awaitingTunnel()) {
            return new ProxyFailure(Verdict.CONNECTION_TIMED_OUT, "no connection to " + target() + " within "
                    + Bytes.duration(waited) + ": the " + proxy.describe() + " did not answer the request for it"
                    + " (a proxy answers once the target connects or fails)");
        }
        return new ProxyFailure(Verdict.PROXY_UNREACHABLE, "the " + proxy.describe() + " did not answer its handshake within "
                + Bytes.duration(waited));
    }

    /** A failure for an answer that the protocol does not allow: not a proxy of this type, or a broken one. */
    final Failed notThisProtocol(String what, ByteBuffer in) {
        byte[] shown = Arrays.copyOf(seen, QUOTED);
        int n = seenCount;
        for (int i = in.position(); i < in.limit() && n < QUOTED; i++) {
            shown[n++] = in.get(i); // the rest of what arrived, not consumed: it shows what the peer speaks
        }
        return fail(Verdict.PROXY_UNREACHABLE, proxy.authority() + " is not a working " + proxy.type().label()
                + " proxy: " + what + "; it sent " + Bytes.quote(shown, n));
    }

    static Failed fail(Verdict verdict, String message) {
        return new Failed(new ProxyFailure(verdict, message));
    }

    /** The tunnel is open; a note for the transcript and the report. */
    public abstract String describeTunnel();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + proxy + " -> " + target() + "]";
    }
}
