package dev.smtpprobe.internal;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.internal.proxy.ProxyHandshake;
import dev.smtpprobe.internal.proxy.ProxyHandshakes;
import dev.smtpprobe.internal.proxy.TunnelHandshake;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TransportException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSession;

/**
 * The proxy's part of one attempt, between core's connection and the attempt's {@link Conversation}: the
 * connection runs it as its {@link ProxyHandshake}, and reports to it as its {@link Dialogue}.
 *
 * <p>For the conversation, the attempt is connected when the tunnel is open, not when TCP to the proxy is: the
 * CONNECT phase covers both, and every failure before the tunnel opens is the proxy's or what the proxy reports
 * about the target, never the target's own: a failed TCP connect to the proxy, a reset or a close during the
 * handshake are {@link dev.smtpprobe.Verdict#PROXY_UNREACHABLE}; a silent proxy is bounded by the connect timeout
 * ({@link TunnelHandshake#timedOut}). Once the tunnel is open, every event passes through unchanged.
 *
 * <p>Called on the connection's thread only (its handler calls and timer tasks).
 */
final class ProxyHop implements Dialogue, ProxyHandshake {

    private final Conversation conversation;
    private final TunnelHandshake handshake;
    /** How long the handshake may take once TCP to the proxy is up. */
    private final Duration limit;
    private volatile Link link;
    private volatile boolean tunnelOpen;
    private volatile boolean failureReported;

    ProxyHop(Conversation conversation, TunnelHandshake handshake, Duration limit) {
        this.conversation = conversation;
        this.handshake = handshake;
        this.limit = limit;
    }

    /** The attempt this hop reports to. */
    Conversation conversation() {
        return conversation;
    }

    // ---- ProxyHandshake ----

    @Override
    public byte[] start() {
        return handshake.start();
    }

    @Override
    public Step onBytes(ByteBuffer in) {
        Step step = handshake.onBytes(in);
        if (step instanceof Done) {
            tunnelOpen = true;
            conversation.note(handshake.describeTunnel());
            conversation.onConnected(link);
            if (conversation.plan().tlsMode() == TlsMode.IMPLICIT) {
                // The handshake's timer would run on into the TLS handshake: it now bounds that, as a reply timer.
                link.expectReply(conversation.plan().deadline().cap(conversation.plan().probe().replyTimeout()));
            }
        }
        return step;
    }

    // ---- Dialogue ----

    @Override
    public void onConnected(Link link) {
        this.link = link;
        conversation.note("connected " + Addresses.format(link.localAddress()) + " -> "
                + Addresses.format(link.remoteAddress()) + ", the " + handshake.proxy().describe()
                + "; asking it for a tunnel to " + handshake.target());
        link.expectReply(limit); // bounds the whole exchange with the proxy
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        conversation.onTlsEstablished(session);
    }

    @Override
    public void onReply(SmtpReply reply) {
        conversation.onReply(reply);
    }

    @Override
    public void onFailure(Throwable cause) {
        if (tunnelOpen) {
            conversation.onFailure(cause);
            return;
        }
        failureReported = true;
        conversation.onFailure(beforeTunnel(cause));
    }

    @Override
    public void onClosed() {
        // A caller's interrupt closes a run() connection with no error: that is the caller, not the proxy closing.
        if (!tunnelOpen && !failureReported && !Thread.currentThread().isInterrupted()) {
            failureReported = true;
            conversation.onFailure(link == null
                    ? ProxyHandshakes.unreachable(handshake.proxy(), "the connection closed before it was made")
                    : handshake.closed());
        }
        conversation.onClosed();
    }

    /** What a failure before the tunnel opened stands for: always the proxy's, or what the proxy reports. */
    private Throwable beforeTunnel(Throwable cause) {
        if (cause instanceof ProxyFailure) {
            return cause;
        }
        ProxyFailure failure;
        if (link != null && cause instanceof ReplyTimeoutException) {
            failure = handshake.timedOut(limit);
        } else if (cause instanceof TransportException te) {
            failure = ProxyHandshakes.unreachable(handshake.proxy(), (link == null ? "" : "during its handshake: ")
                    + words(te));
        } else if (cause instanceof ReplyTimeoutException) {
            failure = ProxyHandshakes.unreachable(handshake.proxy(), "no TCP connection: " + cause.getMessage());
        } else {
            return cause; // not a network outcome (a bug): classified as it is
        }
        failure.initCause(cause);
        return failure;
    }

    private static String words(TransportException e) {
        String what = switch (e.kind()) {
            case CONNECT_TIMEOUT -> "TCP connect timed out";
            case REFUSED -> "connection refused";
            case HOST_UNREACHABLE -> "no route to host";
            case NETWORK_UNREACHABLE -> "network unreachable";
            case ACCESS_DENIED, NOT_PERMITTED -> "connect forbidden on this host (" + e.kind().name()
                    .toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            case RESET -> "connection reset";
            default -> e.getMessage() == null ? e.kind().name().toLowerCase(Locale.ROOT) : e.getMessage();
        };
        return what;
    }
}
