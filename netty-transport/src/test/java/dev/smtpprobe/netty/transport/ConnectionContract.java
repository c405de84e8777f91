package dev.smtpprobe.netty.transport;

import static dev.smtpprobe.netty.transport.LoopbackServer.readLine;
import static dev.smtpprobe.netty.transport.LoopbackServer.readsEof;
import static dev.smtpprobe.netty.transport.LoopbackServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.internal.proxy.ProxyHandshakes;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.spi.TransportException;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import dev.smtpprobe.testkit.proxy.ProxyRequest;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Core's connection rules on each of this transport's pipes, against real loopback sockets with plain JDK servers
 * as peers (the pipe SPI itself is the public {@link dev.smtpprobe.transport.testkit.TransportContract}), run once per way
 * a connection can be served ({@link NioTransportTest}, {@link EpollTransportTest} on Netty's event loops,
 * {@link SocketEngineTransportTest} on the JDK-socket path for blocking callers), and again on each of them through
 * each proxy type ({@link ProxyKind}: the testkit's proxy relaying to the test's server, the proxy's handshake run by
 * core's connection first, {@link ThroughProxiesTest}). Through a proxy, a case asserts what the client can see
 * there: a refusal is the proxy's answer, and the link's remote address is the proxy's.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConnectionContract {

    static final Duration SHORT = Duration.ofMillis(300);
    /** How long a TLS handshake may take on loopback. */
    static final Duration TLS_HANDSHAKE = Duration.ofSeconds(2);
    /** How long a proxy may take to open a tunnel on loopback. */
    static final Duration PROXY_EXCHANGE = Duration.ofSeconds(2);
    /** The transport under test, as core sees it. */
    Transport transport;

    /** Makes the transport under test. */
    abstract Transport startTransport();

    /** Stops it and whatever threads it was given. */
    abstract void stopTransport();

    /** How many connections the transport under test has open now. */
    abstract int openConnections();

    /** The proxy between the client and the test's servers, or {@code null} when connections go straight to them. */
    ProxyKind proxyKind() {
        return null;
    }

    /** The running proxy of {@link #proxyKind()}, or {@code null}. */
    private MockProxyServer proxy;

    @BeforeAll
    void startTheTransport() {
        transport = startTransport();
        if (proxyKind() != null) {
            proxy = proxyKind().start();
            warmUpTheTunnel();
        }
    }

    /**
     * One greeting through the proxy before the cases: the first tunnel loads the proxy's code on both sides, which on
     * a busy machine takes longer than the cases' short timers allow.
     */
    private void warmUpTheTunnel() {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 warm.test\r\n");
            readsEof(s);
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(PROXY_EXCHANGE))
                    .whenReply((link, reply) -> link.close());
            open(new ConnectRequest(server.address(), null, PROXY_EXCHANGE, null, Duration.ofSeconds(3)), dialogue);
            dialogue.awaitClosed();
            assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while warming up", e);
        }
    }

    @AfterAll
    void stopTheTransport() {
        if (proxy != null) {
            proxy.close();
        }
        stopTransport();
    }

    static ConnectRequest request(InetSocketAddress remote) {
        return new ConnectRequest(remote, null, SHORT, null, Duration.ofSeconds(2));
    }

    /** Opens {@link #connection} for {@code request} on the transport under test. */
    void open(ConnectRequest request, RecordingDialogue dialogue) {
        Connection connection = connection(request, dialogue);
        transport.openPipe(connection.pipeRequest(), connection);
    }

    /**
     * Core's connection to {@code request.remote()} driving {@code dialogue}: straight there, or through the proxy,
     * with TCP to the proxy and the proxy's handshake asking for a tunnel to that address.
     */
    Connection connection(ConnectRequest request, RecordingDialogue dialogue) {
        if (proxy == null) {
            return new Connection(request, dialogue, null);
        }
        InetSocketAddress target = request.remote();
        TunnelDialogue hop = new TunnelDialogue(dialogue, ProxyHandshakes.create(proxyKind().config(proxy),
                target.getAddress().getHostAddress(), target.getPort()), PROXY_EXCHANGE);
        ConnectRequest toProxy = new ConnectRequest(proxy.address(), request.localAddress(), request.connectTimeout(),
                request.implicitTls(), request.maxLifetime());
        return new Connection(toProxy, hop, hop);
    }

    /** Whether connections go through a proxy. */
    boolean proxied() {
        return proxy != null;
    }

    /**
     * The link is connected to {@code target}: directly, its remote address; through a proxy, the link's remote is the
     * proxy, and the proxy was asked for {@code target}.
     */
    void assertConnectedTo(Link link, InetSocketAddress target) throws Exception {
        if (proxy == null) {
            assertThat(link.remoteAddress()).isEqualTo(target);
            return;
        }
        assertThat(link.remoteAddress()).isEqualTo(proxy.address());
        List<ProxyRequest> asked = proxy.requests();
        ProxyRequest last = asked.get(asked.size() - 1);
        assertThat(InetAddress.getByName(last.targetHost())).isEqualTo(target.getAddress());
        assertThat(last.targetPort()).isEqualTo(target.getPort());
    }

    /**
     * A connection to a closed port was refused: directly, as the socket's typed failure; through a proxy, as the
     * proxy's answer (its TCP connect to the proxy worked), by what that answer tells.
     */
    void assertRefused(RecordingDialogue dialogue) {
        if (proxy == null) {
            assertThat(dialogue.events).containsExactly("failure REFUSED", "closed");
            assertThat(dialogue.failure()).isExactlyInstanceOf(TransportException.class)
                    .hasMessageContaining("Connection refused").hasCauseInstanceOf(ConnectException.class);
            assertThat(((TransportException) dialogue.failure()).connecting()).isTrue();
            return;
        }
        assertThat(dialogue.events).containsExactly("failure ProxyFailure", "closed");
        assertThat(((ProxyFailure) dialogue.failure()).verdict()).isEqualTo(proxyKind().refusedTarget());
    }

    @Test
    void connectsAndDeliversTheGreeting() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test ESMTP ready\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> link.close());
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
            assertThat(dialogue.replies.get(0).text()).isEqualTo("mx.test ESMTP ready");
            assertConnectedTo(dialogue.link, server.address());
            assertThat(dialogue.link.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(dialogue.threads).allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    @Test
    void sendsCommandsAndDecodesAMultiLineReplyDrippedByteByByte() throws Exception {
        StringBuilder received = new StringBuilder();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test\r\n");
            received.append(readLine(s));
            OutputStream out = s.getOutputStream();
            for (byte b : "250-mx.test hello\r\n250-PIPELINING\r\n250 STARTTLS\r\n".getBytes()) {
                out.write(b);
                out.flush();
            }
            received.append(readLine(s));
            write(s, "221 bye\r\n");
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> {
                        if (reply.code() == 220) {
                            link.send("EHLO client.test", SHORT);
                        } else if (reply.code() == 250) {
                            link.send("QUIT", SHORT);
                        } else {
                            link.close();
                        }
                    });
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "reply 250", "reply 221",
                    "closed");
            assertThat(dialogue.replies.get(1).lines()).containsExactly("mx.test hello", "PIPELINING", "STARTTLS");
            assertThat(server.awaitScript()).isEmpty();
            assertThat(received.toString()).isEqualTo("EHLO client.test\r\nQUIT\r\n");
        }
    }

    @Test
    void aClosedPortIsRefused() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
        }
        RecordingDialogue dialogue = new RecordingDialogue();
        open(request(closed), dialogue);
        dialogue.awaitClosed();

        assertRefused(dialogue);
    }

    @Test
    void aResetAfterAcceptIsAConnectionReset() throws Exception {
        // The reset would be on the proxy's own connection to the server: a relaying proxy closes ours in turn, and
        // a close is aPeerThatClosesGivesOnClosedOnceAndNoFailure.
        assumeFalse(proxied(), "a reset does not cross a relaying proxy");
        try (LoopbackServer server = LoopbackServer.start(s -> {
            Thread.sleep(100); // let the client finish its connect: a reset racing the connect is reported as such
            s.setSoLinger(true, 0); // close() sends RST instead of FIN
            s.close();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> link.expectReply(SHORT));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "failure RESET", "closed");
            assertThat(dialogue.failure()).isExactlyInstanceOf(TransportException.class)
                    .hasMessageContaining("Connection reset").hasCauseInstanceOf(SocketException.class);
            assertThat(((TransportException) dialogue.failure()).connecting()).isFalse();
        }
    }

    @Test
    void aSilentServerTripsTheReplyTimerAndTheConnectionIsClosed() throws Exception {
        AtomicLong serverSawEofAfter = new AtomicLong(-1);
        try (LoopbackServer server = LoopbackServer.start(s -> {
            long start = System.nanoTime();
            if (readsEof(s)) {
                serverSawEofAfter.set((System.nanoTime() - start) / 1_000_000);
            }
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(Duration.ofMillis(150)));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "failure ReplyTimeoutException", "closed");
            assertThat(dialogue.failure()).hasMessageContaining("150 ms");
            assertThat(server.awaitScript()).isEmpty();
            assertThat(serverSawEofAfter.get()).as("closed at the 150 ms reply timer").isBetween(100L, 2_000L);
        }
    }

    @Test
    void eachReplyDisarmsTheTimer() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test\r\n");
            readLine(s);
            Thread.sleep(200); // longer than the first timer, shorter than the second
            write(s, "250 ok\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(Duration.ofMillis(150)))
                    .whenReply((link, reply) -> {
                        if (reply.code() == 220) {
                            link.send("NOOP", Duration.ofMillis(400));
                        } else {
                            link.close();
                        }
                    });
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "reply 250", "closed");
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    @Test
    void theMaximumLifetimeEndsAConnectionWhateverTheTimers() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(Duration.ofSeconds(5)))
                    .whenReply((link, reply) -> link.expectReply(Duration.ofSeconds(5)));
            // The lifetime counts from the connect, so through a proxy it covers the proxy's exchange too: longer there.
            long lifetime = proxied() ? 1_000 : 200;
            ConnectRequest request = new ConnectRequest(server.address(), null, SHORT, null,
                    Duration.ofMillis(lifetime));
            long start = System.nanoTime();
            open(request, dialogue);
            dialogue.awaitClosed();
            long tookMillis = (dialogue.failedAtNanos - start) / 1_000_000;

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "failure ReplyTimeoutException",
                    "closed");
            assertThat(dialogue.failure()).hasMessageContaining("maximum lifetime");
            assertThat(tookMillis).as("at the " + lifetime + " ms lifetime, long before the 5 s reply timer")
                    .isBetween(lifetime - 10, 3_000L);
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    @Test
    void aPeerThatClosesGivesOnClosedOnceAndNoFailure() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> write(s, "421 busy, closing\r\n"))) {
            RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> link.expectReply(SHORT));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 421", "closed");
        }
    }

    @Test
    void aPeerClosingMidLineWithTextThatIsNotSmtpIsNotSmtp() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> write(s, "hello there"))) {
            RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> link.expectReply(SHORT));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.failure()).isInstanceOf(SmtpProtocolException.class);
            assertThat(((SmtpProtocolException) dialogue.failure()).kind())
                    .isEqualTo(SmtpProtocolException.Kind.NOT_SMTP);
        }
    }

    @Test
    void aPartialNonSmtpLineThenSilenceIsNotSmtpRatherThanATimeout() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "hello there");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(Duration.ofMillis(150)));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.failure()).isInstanceOf(SmtpProtocolException.class)
                    .hasMessageContaining("not SMTP");
            assertThat(dialogue.failure().getSuppressed()).hasAtLeastOneElementOfType(ReplyTimeoutException.class);
        }
    }

    @Test
    void anEndlessLineEndsAsLineTooLongAfterABoundedRead() throws Exception {
        AtomicLong written = new AtomicLong();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            s.setSendBufferSize(8192);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[4096];
            java.util.Arrays.fill(chunk, (byte) 'x');
            out.write("220 ".getBytes());
            try {
                for (int i = 0; i < 10 * 256; i++) { // at most 10 MiB
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (SocketException expected) {
                // the client closed on us: what we want
            }
        })) {
            RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> link.expectReply(SHORT));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.failure()).isInstanceOf(SmtpProtocolException.class);
            assertThat(((SmtpProtocolException) dialogue.failure()).kind())
                    .isEqualTo(SmtpProtocolException.Kind.LINE_TOO_LONG);
            assertThat(server.awaitScript()).isEmpty();
            // The client stopped reading after the first 4 KiB line; what else the server got out is socket buffers.
            // Through a proxy, it is the proxy's reading and buffers on both of its legs, not the client's reading.
            if (!proxied()) {
                assertThat(written.get()).isLessThan(1024L * 1024);
            }
        }
    }

    @Test
    void aTenMegabyteReplyEndsAsTooManyLinesAfterABoundedRead() throws Exception {
        AtomicLong written = new AtomicLong();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            s.setSendBufferSize(8192); // so what the server got out measures the client's reading, not kernel buffers
            OutputStream out = s.getOutputStream();
            byte[] lines = "250-PIPELINING and some more text to fill the line\r\n".repeat(80).getBytes();
            try {
                while (written.get() < 10L * 1024 * 1024) {
                    out.write(lines);
                    written.addAndGet(lines.length);
                }
            } catch (SocketException expected) {
                // the client closed on us
            }
        })) {
            RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> link.expectReply(SHORT));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.failure()).isInstanceOf(SmtpProtocolException.class);
            assertThat(((SmtpProtocolException) dialogue.failure()).kind())
                    .isEqualTo(SmtpProtocolException.Kind.TOO_MANY_LINES);
            assertThat(server.awaitScript()).isEmpty();
            // The client stopped reading after 512 lines (about 26 KB); the rest is socket buffers. Through a proxy,
            // it is the proxy's reading and buffers on both of its legs, not the client's reading.
            if (!proxied()) {
                assertThat(written.get()).isLessThan(1024L * 1024);
            }
        }
    }

    @Test
    void ipv6LoopbackWorksWhereAvailable() throws Exception {
        InetAddress v6;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            v6 = probe.getInetAddress();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        try (ServerSocket ss = new ServerSocket(0, 1, v6)) {
            Thread peer = new Thread(() -> {
                try (java.net.Socket s = ss.accept()) {
                    write(s, "220 v6.test\r\n");
                    readsEof(s);
                } catch (java.io.IOException ignored) {
                    // the assertions below tell
                }
            });
            peer.setDaemon(true);
            peer.start();
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> link.close());
            open(request(new InetSocketAddress(v6, ss.getLocalPort())), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
            assertConnectedTo(dialogue.link, new InetSocketAddress(v6, ss.getLocalPort()));
        }
    }

    @Test
    void oneTransportServesManyConcurrentConnections() throws Exception {
        int n = 40;
        try (ServerSocket ss = new ServerSocket(0, n, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    try {
                        java.net.Socket s = ss.accept();
                        Thread peer = new Thread(() -> {
                            try (s) {
                                write(s, "220 mx.test\r\n");
                                readLine(s);
                                write(s, "221 bye\r\n");
                                readsEof(s);
                            } catch (java.io.IOException ignored) {
                                // the client's assertions tell
                            }
                        });
                        peer.setDaemon(true);
                        peer.start();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress address = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
            // Through a proxy each connection adds two relaying threads of the proxy's: more time on a busy machine.
            Duration limit = proxied() ? Duration.ofSeconds(2) : Duration.ofMillis(500);
            java.util.List<RecordingDialogue> dialogues = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                RecordingDialogue dialogue = new RecordingDialogue()
                        .whenConnected(link -> link.expectReply(limit))
                        .whenReply((link, reply) -> {
                            if (reply.code() == 220) {
                                link.send("QUIT", limit);
                            } else {
                                link.close();
                            }
                        });
                dialogues.add(dialogue);
                open(new ConnectRequest(address, null, limit, null, Duration.ofSeconds(5)),
                        dialogue);
            }
            for (RecordingDialogue dialogue : dialogues) {
                dialogue.awaitClosed();
                assertThat(dialogue.events).as("failures " + dialogue.failures)
                        .containsExactly("connected", "reply 220", "reply 221", "closed");
            }
            for (int i = 0; i < 100 && openConnections() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(openConnections()).isZero();
        }
    }

    @Test
    void sendRejectsLineBreaksWithoutEchoingTheLine() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> {
                        try {
                            link.send("AUTH PLAIN c2VjcmV0\r\nRSET", SHORT);
                        } catch (IllegalArgumentException e) {
                            thrown.set(e);
                        }
                        link.close();
                    });
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(thrown.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line")
                    .hasMessageNotContaining("c2VjcmV0");
            Link link = dialogue.link;
            assertThatThrownBy(() -> link.expectReply(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout");
            link.send("NOOP", SHORT); // after close: ignored, no exception, no event
            link.close();
            dialogue.awaitClosed();
        }
    }

    @Test
    void theLinkMayBeUsedFromAnyThreadAndBindsTheSourceAddress() throws Exception {
        InetAddress source = InetAddress.getByName("127.0.0.2");
        java.util.concurrent.atomic.AtomicReference<InetAddress> serverSawClient = new java.util.concurrent.atomic.AtomicReference<>();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            serverSawClient.set(s.getInetAddress());
            write(s, "220 mx.test\r\n");
            readLine(s);
            write(s, "250 ok\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                RecordingDialogue dialogue = new RecordingDialogue()
                        .whenConnected(link -> other.execute(() -> link.expectReply(SHORT)))
                        .whenReply((link, reply) -> other.execute(() -> {
                            if (reply.code() == 220) {
                                link.send("NOOP", SHORT);
                            } else {
                                link.close();
                            }
                        }));
                open(new ConnectRequest(server.address(), source, SHORT, null, Duration.ofSeconds(2)),
                        dialogue);
                dialogue.awaitClosed();

                assertThat(dialogue.events).containsExactly("connected", "reply 220", "reply 250", "closed");
                assertThat(dialogue.link.localAddress().getAddress()).isEqualTo(source);
                // Through a proxy, the server sees the proxy's own connection (its address, not ours).
                assertThat(serverSawClient.get()).isEqualTo(proxied() ? InetAddress.getByName("127.0.0.1") : source);
            } finally {
                other.shutdownNow();
            }
        }
    }

    @Test
    void startTlsUpgradesAndNeverDeliversPlainTextSentAfterThe220() throws Exception {
        javax.net.ssl.SSLContext serverContext = TestPki.serverContext();
        java.util.List<String> serverReceived = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test ESMTP\r\n");
            serverReceived.add(readLine(s));
            // An injected line right behind the 220, in the same write (RFC 3207 §4.2): must be discarded.
            write(s, "220 go ahead\r\n250 injected\r\n");
            javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) serverContext.getSocketFactory()
                    .createSocket(s, "localhost", s.getPort(), false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            serverReceived.add(readLine(tls));
            write(tls, "221 bye over TLS\r\n");
            tls.close();
        })) {
            int[] n = {0};
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> {
                        switch (n[0]++) {
                            case 0 -> link.send("STARTTLS", SHORT);
                            case 1 -> link.startTls(tls());
                            default -> link.close();
                        }
                    })
                    .whenTls((link, session) -> link.send("QUIT", TLS_HANDSHAKE));
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(server.awaitScript()).isEmpty();
            assertThat(dialogue.events).containsExactly("connected", "reply 220", "reply 220", "tls", "reply 221",
                    "closed");
            assertThat(dialogue.replies).noneMatch(r -> r.text().contains("injected"));
            assertThat(serverReceived).containsExactly("STARTTLS\r\n", "QUIT\r\n");
        }
    }

    @Test
    void implicitTlsHandshakesBeforeTheGreeting() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(TestPki.serverContext().getServerSocketFactory(), s -> {
            ((javax.net.ssl.SSLSocket) s).startHandshake();
            write(s, "220 smtps.test ESMTP\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenTls((link, session) -> link.expectReply(TLS_HANDSHAKE))
                    .whenReply((link, reply) -> link.close());
            open(new ConnectRequest(server.address(), null, SHORT, tls(), Duration.ofSeconds(3)), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "tls", "reply 220", "closed");
            assertThat(dialogue.session.getPeerCertificates()[0].toString()).contains("CN=localhost");
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    /** Verified TLS to {@code localhost} with the test PKI; the handshake may take a cold JSSE's time. */
    private static TlsParameters tls() {
        return new TlsParameters("localhost", 465, TestPki.clientTrust(), true, TLS_HANDSHAKE);
    }

    @Test
    void aDialogueThatThrowsEndsTheConnectionWithThatFailure() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> {
            write(s, "220 mx.test\r\n");
            assertThat(readsEof(s)).isTrue();
        })) {
            RecordingDialogue dialogue = new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> {
                        throw new IllegalStateException("bug in the dialogue");
                    });
            open(request(server.address()), dialogue);
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "failure IllegalStateException",
                    "closed");
            assertThat(server.awaitScript()).isEmpty();
        }
    }

}
