package dev.smtpprobe.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.mockito.Mockito;

/**
 * A pure seam for socket-free tests of the dialogue: the transport hands the dialogue to the test, which plays the
 * server event by event and sees every line the probe writes. Real sockets are covered in netty-transport.
 */
final class HandOver extends DialogueTransport implements Link {

    /** The test drives the dialogue right after {@code start()}: it needs {@code open} on that thread. */
    @Override
    public boolean opensAtOnce() {
        return true;
    }

    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 587);
    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    final List<String> sent = new ArrayList<>();
    Dialogue dialogue;
    TlsParameters startTls;
    boolean closed;
    CompletableFuture<ProbeResult> result;

    /** Starts the probe configured by {@code builder} and connects it. */
    static HandOver start(SmtpProbe.Builder builder) {
        HandOver h = new HandOver();
        h.result = builder.transport(h).ehloName("probe.test").confirmTlsMode(false).build().runAsync();
        assertThat(h.dialogue).as("the probe opened a connection").isNotNull();
        h.dialogue.onConnected(h);
        return h;
    }

    /** The server says {@code code} with these lines. */
    HandOver reply(int code, String... lines) {
        dialogue.onReply(parse(code, lines));
        return this;
    }

    /** The greeting, EHLO and (when {@code tls}) STARTTLS and EHLO again, with these EHLO extensions after TLS. */
    HandOver handshake(boolean tls, String... extensions) throws SSLPeerUnverifiedException {
        reply(220, "mx.test ESMTP");
        if (!tls) {
            return ehlo(extensions);
        }
        ehlo("STARTTLS");
        reply(220, "ready");
        dialogue.onTlsEstablished(session());
        return ehlo(extensions);
    }

    HandOver ehlo(String... extensions) {
        List<String> lines = new ArrayList<>();
        lines.add("mx.test");
        lines.addAll(List.of(extensions));
        dialogue.onReply(new SmtpReply(250, null, lines));
        return this;
    }

    /** The last line the probe wrote. */
    String last() {
        return sent.isEmpty() ? null : sent.get(sent.size() - 1);
    }

    /** The server answers QUIT (when asked) and the connection closes. */
    ProbeResult finish() {
        if ("QUIT".equals(last()) && !closed) {
            reply(221, "bye");
        }
        dialogue.onClosed();
        assertThat(result).isDone();
        return result.join();
    }

    static SmtpReply parse(int code, String... lines) {
        List<String> text = new ArrayList<>(List.of(lines));
        dev.smtpprobe.EnhancedStatus status = null;
        if (!text.isEmpty()) {
            String first = text.get(0);
            int space = first.indexOf(' ');
            var parsed = dev.smtpprobe.EnhancedStatus.parse(space < 0 ? first : first.substring(0, space));
            if (parsed.isPresent()) {
                status = parsed.get();
                text.set(0, space < 0 ? "" : first.substring(space + 1));
            }
        }
        return new SmtpReply(code, status, text);
    }

    static SSLSession session() throws SSLPeerUnverifiedException {
        SSLSession session = Mockito.mock(SSLSession.class);
        Mockito.when(session.getProtocol()).thenReturn("TLSv1.3");
        Mockito.when(session.getCipherSuite()).thenReturn("TLS_AES_128_GCM_SHA256");
        Mockito.when(session.getPeerCertificates()).thenThrow(new SSLPeerUnverifiedException("none"));
        return session;
    }

    // ---- Transport and Link ----

    @Override
    public void open(ConnectRequest request, Dialogue dialogue) {
        this.dialogue = dialogue;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public void expectReply(Duration timeout) {
    }

    @Override
    public void send(String line, Duration replyTimeout) {
        sent.add(line);
    }

    @Override
    public void startTls(TlsParameters tls) {
        startTls = tls;
    }

    @Override
    public void close() {
        closed = true;
    }
}
