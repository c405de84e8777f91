package dev.smtpprobe.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.smtpprobe.Attempt;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * Fuzzes the probe's dialogue state machine through the public API and the {@link Transport} SPI: an in-memory
 * transport plays a server whose bytes, timer expiries, closes and TLS failures come from the fuzzer, in the
 * order the SPI contract allows. Whatever the server does, the probe must complete (no exception out of
 * {@code run()}), in time, with a verdict and a phase, and keep its evidence bounded.
 *
 * <p>The in-memory transport is a pure seam for the state machine; the real socket behaviour is covered by the
 * netty-transport tests.
 */
class DialogueFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyServerBehaviourEndsInAVerdict(FuzzedDataProvider data) {
        TlsMode mode = data.pickValue(TlsMode.values());
        boolean withAuth = data.consumeBoolean();
        boolean withEnvelope = data.consumeBoolean();
        FuzzServerTransport transport = new FuzzServerTransport(data);
        SmtpProbe.Builder builder = SmtpProbe.to("192.0.2.1").port(25).tls(mode).transport(transport)
                .confirmTlsMode(false)
                .connectTimeout(Duration.ofMillis(200)).greetingTimeout(Duration.ofMillis(200))
                .replyTimeout(Duration.ofMillis(200)).deadline(Duration.ofSeconds(2));
        if (withAuth) {
            builder.auth(USER, PASSWORD.toCharArray());
        }
        if (withEnvelope) {
            builder.envelope("probe@example.test", "postmaster@example.test");
        }
        ProbeResult result = builder.build().runAsync().orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(result.verdict()).isNotNull();
        assertThat(result.phase()).isNotNull();
        assertThat(result.attempts()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        for (Attempt attempt : result.attempts()) {
            assertThat(attempt.transcript()).hasSizeLessThanOrEqualTo(1000);
        }
        assertThat(result.summary()).isNotBlank();
        assertThat(result.report()).isNotBlank();
        // Whatever the server answered, the secret never shows: not as typed, not in AUTH PLAIN/LOGIN base64.
        for (String text : List.of(result.report(), result.toString(), result.summary())) {
            for (String secret : SECRET_FORMS) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static final String USER = "fuzz-user";
    private static final String PASSWORD = "s3cret-Fuzz-Pa55";
    private static final List<String> SECRET_FORMS = List.of(PASSWORD,
            Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));

    /** A transport whose single "server" is driven by the fuzzer, synchronously on the caller's thread. */
    static final class FuzzServerTransport extends DialogueTransport {

        /** Plays the whole connection inside {@code open}, on the fuzzer's thread, so that each input is replayable. */
        @Override
        public boolean opensAtOnce() {
            return true;
        }

        private final FuzzedDataProvider data;

        FuzzServerTransport(FuzzedDataProvider data) {
            this.data = data;
        }

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            new FuzzConnection(data, request, dialogue).run();
        }
    }

    /** One connection: events are queued and delivered one at a time, so dialogue calls never nest. */
    static final class FuzzConnection implements Link {

        private final FuzzedDataProvider data;
        private final ConnectRequest request;
        private final Dialogue dialogue;
        private final ReplyDecoder decoder = new ReplyDecoder();
        private final Deque<Runnable> actions = new ArrayDeque<>();
        private boolean timerArmed;
        private boolean closed;

        FuzzConnection(FuzzedDataProvider data, ConnectRequest request, Dialogue dialogue) {
            this.data = data;
            this.request = request;
            this.dialogue = dialogue;
        }

        void run() {
            if (data.consumeInt(0, 15) == 0) {
                dialogue.onFailure(new java.net.ConnectException("Connection refused"));
                dialogue.onClosed();
                return;
            }
            dialogue.onConnected(this);
            if (request.implicitTls() != null) {
                // As for STARTTLS: no real handshake here, only the failures a server can cause.
                fail(data.consumeBoolean() ? new SSLHandshakeException("alert: handshake_failure")
                        : new dev.smtpprobe.spi.NotTlsException("220 plain text\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            }
            for (int step = 0; step < 64 && !closed; step++) {
                while (!actions.isEmpty() && !closed) {
                    actions.poll().run();
                }
                if (closed) {
                    break;
                }
                int event = data.remainingBytes() == 0 ? 3 : data.consumeInt(0, 9);
                switch (event) {
                    case 0, 1, 2, 4, 5, 6 -> receive(data.consumeBytes(data.consumeInt(0, 600)));
                    case 3 -> fail(timerArmed ? new ReplyTimeoutException("no reply in time")
                            : new SocketException("Connection reset"));
                    case 7 -> fail(new SocketException("Connection reset"));
                    default -> closed = true;
                }
            }
            closed = true;
            dialogue.onClosed();
        }

        private void receive(byte[] bytes) {
            try {
                for (SmtpReply reply : decoder.decode(ByteBuffer.wrap(bytes))) {
                    timerArmed = false;
                    dialogue.onReply(reply);
                    while (!actions.isEmpty() && !closed) {
                        actions.poll().run();
                    }
                    if (closed) {
                        return;
                    }
                }
            } catch (SmtpProtocolException e) {
                fail(e);
            }
        }

        private void fail(IOException cause) {
            if (!closed) {
                closed = true;
                dialogue.onFailure(cause);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("192.0.2.2", 40000);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return request.remote();
        }

        @Override
        public void expectReply(Duration timeout) {
            actions.add(() -> timerArmed = true);
        }

        @Override
        public void send(String line, Duration replyTimeout) {
            actions.add(() -> timerArmed = true);
        }

        @Override
        public void startTls(TlsParameters tls) {
            // A handshake cannot be fabricated without a peer: the fuzzer decides between its failures.
            actions.add(() -> fail(data.consumeBoolean() ? new SSLHandshakeException("alert: handshake_failure")
                    : new SocketException("Connection reset")));
        }

        @Override
        public void close() {
            actions.add(() -> closed = true);
        }
    }
}
