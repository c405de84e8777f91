package dev.smtpprobe.netty.transport;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.internal.proxy.ProxyHandshake;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLSession;

/**
 * The proxy's part of a test connection, as the engine's proxy hop plays it for a probe: core's {@link Connection}
 * connects to the proxy and runs {@code handshake} on it, and the dialogue under test is connected when the tunnel is
 * open, not when TCP to the proxy is. Until then a reply timer of {@code limit} bounds the proxy's exchange. Every
 * other event passes to the dialogue unchanged, so the dialogue sees the proxy's own failures as they are.
 *
 * <p>Called on the connection's thread only.
 */
final class TunnelDialogue implements Dialogue, ProxyHandshake {

    private final Dialogue dialogue;
    private final ProxyHandshake handshake;
    private final Duration limit;
    private volatile Link link;

    TunnelDialogue(Dialogue dialogue, ProxyHandshake handshake, Duration limit) {
        this.dialogue = dialogue;
        this.handshake = handshake;
        this.limit = limit;
    }

    @Override
    public byte[] start() {
        return handshake.start();
    }

    @Override
    public Step onBytes(ByteBuffer in) {
        Step step = handshake.onBytes(in);
        if (step instanceof Done) {
            dialogue.onConnected(link);
        }
        return step;
    }

    @Override
    public void onConnected(Link link) {
        this.link = link;
        link.expectReply(limit);
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        dialogue.onTlsEstablished(session);
    }

    @Override
    public void onReply(SmtpReply reply) {
        dialogue.onReply(reply);
    }

    @Override
    public void onFailure(Throwable cause) {
        dialogue.onFailure(cause);
    }

    @Override
    public void onClosed() {
        dialogue.onClosed();
    }
}
