package dev.smtpprobe.netty.transport;

import static dev.smtpprobe.netty.transport.LoopbackServer.readLine;
import static dev.smtpprobe.netty.transport.LoopbackServer.readsEof;
import static dev.smtpprobe.netty.transport.LoopbackServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.internal.proxy.ProxyHandshake;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.ReplyTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's connection runs a {@link ProxyHandshake} before SMTP, on a real loopback socket through the JDK-socket pipe:
 * the proxy's leftover bytes reach the reply decoder, {@code Send} steps are written, a {@code Failed} step is the
 * connection's failure, and the reply timer bounds a silent proxy. The proxy here is a line protocol of this test's
 * own: the client says {@code CONNECT}, the proxy may ask {@code AUTH?} (answered {@code user}), then says
 * {@code OK} or {@code NO}.
 */
class ProxyHookTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    private final NettyTransport transport = new NettyTransport();

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void theTargetsGreetingInTheProxysLastSegmentReachesTheDialogue() throws Exception {
        try (LoopbackServer proxy = LoopbackServer.start(s -> {
            assertThat(readLine(s).trim()).isEqualTo("CONNECT");
            write(s, "OK\n220 mx.behind.proxy ESMTP\r\n"); // the tunnel's answer and the greeting in one segment
            readsEof(s);
        })) {
            LineProxy handshake = new LineProxy();
            RecordingDialogue dialogue = run(proxy, handshake, new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> link.close()));

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
            assertThat(dialogue.replies.get(0).lines()).containsExactly("mx.behind.proxy ESMTP");
            assertThat(handshake.received).containsExactly("OK");
        }
    }

    @Test
    void aSendStepIsWrittenBeforeTheProxyOpensTheTunnel() throws Exception {
        List<String> proxySaw = new CopyOnWriteArrayList<>();
        try (LoopbackServer proxy = LoopbackServer.start(s -> {
            proxySaw.add(readLine(s).trim());
            write(s, "AUTH?\n");
            proxySaw.add(readLine(s).trim());
            write(s, "OK\n");
            write(s, "220 mx.behind.proxy ESMTP\r\n");
            readsEof(s);
        })) {
            RecordingDialogue dialogue = run(proxy, new LineProxy(), new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT))
                    .whenReply((link, reply) -> link.close()));

            assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
            assertThat(proxySaw).containsExactly("CONNECT", "user");
        }
    }

    @Test
    void aFailedProxyIsTheConnectionsFailure() throws Exception {
        try (LoopbackServer proxy = LoopbackServer.start(s -> {
            readLine(s);
            write(s, "NO\n220 never.delivered ESMTP\r\n");
            readsEof(s);
        })) {
            RecordingDialogue dialogue = run(proxy, new LineProxy(), new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT)));

            assertThat(dialogue.events).containsExactly("connected", "failure ProxyFailure", "closed");
            ProxyFailure failure = (ProxyFailure) dialogue.failure();
            assertThat(failure.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
            assertThat(failure).hasMessageContaining("the test proxy refused");
        }
    }

    @Test
    void theReplyTimerBoundsASilentProxy() throws Exception {
        try (LoopbackServer proxy = LoopbackServer.start(s -> {
            readLine(s);
            readsEof(s); // never answers
        })) {
            long start = System.nanoTime();
            RecordingDialogue dialogue = run(proxy, new LineProxy(), new RecordingDialogue()
                    .whenConnected(link -> link.expectReply(SHORT)));
            long tookMillis = (dialogue.failedAtNanos - start) / 1_000_000;

            assertThat(dialogue.events).containsExactly("connected", "failure ReplyTimeoutException", "closed");
            assertThat(dialogue.failure()).isInstanceOf(ReplyTimeoutException.class);
            assertThat(tookMillis).as("at the 300 ms reply timer").isBetween(290L, 2_000L);
        }
    }

    private RecordingDialogue run(LoopbackServer proxy, ProxyHandshake handshake, RecordingDialogue dialogue)
            throws InterruptedException {
        ConnectRequest request = new ConnectRequest(proxy.address(), null, SHORT, null, Duration.ofSeconds(3));
        Connection connection = new Connection(request, dialogue, handshake);
        transport.runPipeOnCallingThread(connection.pipeRequest(), connection);
        return dialogue.awaitClosed();
    }

    /** The test's proxy protocol: newline-terminated lines, at most one step per line. */
    private static final class LineProxy implements ProxyHandshake {
        final List<String> received = new CopyOnWriteArrayList<>();
        private final StringBuilder line = new StringBuilder();

        @Override
        public byte[] start() {
            return "CONNECT\n".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public Step onBytes(ByteBuffer in) {
            while (in.hasRemaining()) {
                char c = (char) in.get();
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                String answer = line.toString();
                line.setLength(0);
                received.add(answer);
                switch (answer) {
                    case "OK":
                        return new Done();
                    case "AUTH?":
                        return new Send("user\n".getBytes(StandardCharsets.US_ASCII));
                    default:
                        return new Failed(new ProxyFailure(Verdict.CONNECTION_REFUSED, "the test proxy refused: "
                                + answer));
                }
            }
            return new NeedMore();
        }
    }
}
