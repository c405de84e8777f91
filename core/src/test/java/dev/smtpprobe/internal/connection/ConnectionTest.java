package dev.smtpprobe.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * Core's connection rules on a scripted {@link Pipe} with virtual time (a pure seam: what the transports do with
 * real sockets is the transport contract's): framing wherever the input is split, the STARTTLS discard, the
 * decoder's bounds, the end-of-input and silence checks for another protocol, and the reply and lifetime timers.
 */
class ConnectionTest {

    static final String INPUT = "220-mx.test ESMTP\r\n220 ready\r\n250-2.0.0 mx.test\n250-2.0.0 SIZE 1000\r\n250 2.0.0 OK\r\n";
    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);
    /** The scripted pipe runs no handshake: the trust manager is never asked. */
    static final X509TrustManager TRUST_NOTHING = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not used");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    @Test
    void decodesTheSameRepliesWhereverTheInputIsSplit() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.US_ASCII);
        List<SmtpReply> whole = decodeChunks(List.of(bytes));
        assertThat(whole).hasSize(2);
        assertThat(whole.get(0).lines()).containsExactly("mx.test ESMTP", "ready");
        assertThat(whole.get(1).lines()).containsExactly("mx.test", "SIZE 1000", "OK");
        assertThat(whole.get(1).enhancedStatus()).hasToString("2.0.0");

        for (int split = 1; split < bytes.length; split++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, split),
                    Arrays.copyOfRange(bytes, split, bytes.length));
            assertThat(decodeChunks(chunks)).as("split at " + split).isEqualTo(whole);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        assertThat(decodeChunks(single)).as("byte by byte").isEqualTo(whole);
    }

    private static List<SmtpReply> decodeChunks(List<byte[]> chunks) {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        for (byte[] chunk : chunks) {
            f.connection.onBytes(ByteBuffer.wrap(chunk));
        }
        f.connection.onClosed();
        assertThat(f.dialogue.failures).isEmpty();
        return f.dialogue.replies;
    }

    @Test
    void startTlsDuringAReplyDropsWhatFollowedItInTheSameRead() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> {
            if (reply.code() == 220) {
                link.startTls(new TlsParameters("mx.test", 25, TRUST_NOTHING, false, Duration.ofSeconds(5)));
            }
        });
        f.connection.onBytes(ascii("220 go ahead\r\n250 injected\r\n250-half"));
        assertThat(f.dialogue.replies).extracting(SmtpReply::text).containsExactly("go ahead");
        assertThat(f.pipe.tlsStarted).isTrue();
        assertThat(f.connection.bufferedBytes()).isZero();

        f.connection.onTlsEstablished(null);
        f.connection.onBytes(ascii("250 after TLS\r\n"));
        assertThat(f.dialogue.replies).extracting(SmtpReply::text).containsExactly("go ahead", "after TLS");
        f.connection.onClosed();
        assertThat(f.dialogue.failures).isEmpty();
    }

    @Test
    void anEndlessLineFailsAfterTheLineLimitAndLaterInputIsDroppedInBoundedMemory() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        System.arraycopy("220 ".getBytes(StandardCharsets.US_ASCII), 0, chunk, 0, 4);
        f.connection.onBytes(ByteBuffer.wrap(chunk));
        assertThat(f.dialogue.failures).singleElement().isInstanceOfSatisfying(SmtpProtocolException.class,
                e -> assertThat(e.kind()).isEqualTo(SmtpProtocolException.Kind.LINE_TOO_LONG));
        assertThat(f.pipe.closed).isTrue();
        assertThat(f.connection.bufferedBytes()).isLessThanOrEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH);
        int held = f.connection.bufferedBytes();
        for (int i = 0; i < 160; i++) { // 10 MiB more, as a pipe still delivering would: dropped, never held
            f.connection.onBytes(ByteBuffer.wrap(chunk));
            assertThat(f.connection.bufferedBytes()).isEqualTo(held);
        }
        f.connection.onClosed();
        assertThat(f.dialogue.replies).isEmpty();
        assertThat(f.dialogue.failures).hasSize(1);
    }

    @Test
    void partialInputNeverExceedsOneLine() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        byte[] line = new byte[ReplyDecoder.DEFAULT_MAX_LINE_LENGTH];
        Arrays.fill(line, (byte) 'y');
        System.arraycopy("250 ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 4);
        for (int i = 0; i < line.length; i += 100) {
            f.connection.onBytes(ByteBuffer.wrap(line, i, Math.min(100, line.length - i)));
            assertThat(f.connection.bufferedBytes()).isLessThanOrEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH);
        }
        f.connection.onBytes(ascii("\r\n"));
        assertThat(f.dialogue.replies).singleElement().extracting(SmtpReply::code).isEqualTo(250);
        assertThat(f.connection.bufferedBytes()).isZero();
        assertThat(f.dialogue.failures).isEmpty();
    }

    @Test
    void aPeerClosingMidLineIsNotSmtpOnlyWhenTheTextCannotBeSmtp() {
        Fixture notSmtp = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        notSmtp.connection.onBytes(ascii("hello"));
        notSmtp.connection.onClosed();
        assertThat(notSmtp.dialogue.failures).singleElement().isInstanceOfSatisfying(SmtpProtocolException.class,
                e -> assertThat(e.kind()).isEqualTo(SmtpProtocolException.Kind.NOT_SMTP));
        assertThat(notSmtp.dialogue.events).endsWith("closed");

        Fixture maybeSmtp = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        maybeSmtp.connection.onBytes(ascii("220 mx.test ESM"));
        maybeSmtp.connection.onClosed();
        assertThat(maybeSmtp.dialogue.failures).isEmpty();
        assertThat(maybeSmtp.dialogue.events).containsExactly("connected", "closed");
    }

    @Test
    void anotherProtocolIsRecognisedFromItsFirstBytes() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        f.connection.onBytes(ascii("SSH-2.0-OpenSSH_9.6\r\n"));
        assertThat(f.dialogue.failures).singleElement().isInstanceOfSatisfying(SmtpProtocolException.class,
                e -> assertThat(e).hasMessageContaining("SSH"));
        assertThat(f.pipe.closed).isTrue();
    }

    @Test
    void theReplyTimerFiresWithoutAReplyAndNotAfterOne() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        f.connection.expectReply(Duration.ofMillis(100));
        f.pipe.advance(90);
        f.connection.onBytes(ascii("250 ok\r\n")); // disarms
        f.pipe.advance(1_000);
        assertThat(f.dialogue.failures).as("nothing fired").isEmpty();

        f.connection.expectReply(Duration.ofMillis(100));
        f.pipe.advance(101);
        assertThat(f.dialogue.failures).singleElement().isInstanceOf(ReplyTimeoutException.class)
                .extracting(Throwable::getMessage).asString().contains("100 ms");
        assertThat(f.dialogue.replies).hasSize(1);
        assertThat(f.pipe.closed).isTrue();
    }

    @Test
    void theLifetimeLimitFiresWhateverTheReplyTimerDoes() {
        Fixture f = new Fixture(Duration.ofMillis(500), (link, reply) -> { });
        for (int i = 0; i < 4; i++) { // a reply every 100 ms: the reply timer never fires
            f.connection.expectReply(Duration.ofMillis(200));
            f.pipe.advance(100);
            f.connection.onBytes(ascii("250 ok\r\n"));
            assertThat(f.dialogue.failures).isEmpty();
        }
        f.connection.expectReply(Duration.ofMillis(200));
        f.pipe.advance(100);
        assertThat(f.dialogue.failures).singleElement().isInstanceOf(ReplyTimeoutException.class)
                .extracting(Throwable::getMessage).asString().contains("maximum lifetime");
    }

    @Test
    void aDialogueWhoseRepliesComeInTimeSchedulesOneTaskForAllItsTimers() {
        // Each reply sends the next command from the pipe's thread, as the conversation does: greeting, EHLO, QUIT.
        List<String> commands = new ArrayList<>(List.of("EHLO probe.example", "QUIT"));
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> {
            if (!commands.isEmpty()) {
                link.send(commands.remove(0), Duration.ofSeconds(5));
            }
        }, Duration.ofSeconds(5));
        int atConnect = f.pipe.scheduled;
        for (String reply : List.of("220 hi\r\n", "250 ok\r\n", "221 bye\r\n")) {
            f.pipe.advance(10);
            f.connection.onBytes(ascii(reply));
        }
        assertThat(f.dialogue.replies).hasSize(3);
        assertThat(f.pipe.scheduled).as("tasks scheduled by the whole dialogue").isEqualTo(atConnect).isEqualTo(1);
        f.connection.onClosed();
        assertThat(f.pipe.pending()).as("cancelled at the close").isZero();
        assertThat(f.dialogue.failures).isEmpty();
    }

    @Test
    void aReplyTimerArmedLaterThanThePendingTaskStillFiresOnTime() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> link.send("NOOP", Duration.ofMillis(300)));
        f.connection.expectReply(Duration.ofMillis(100)); // the task is aimed at 100 ms
        f.pipe.advance(50);
        f.connection.onBytes(ascii("250 ok\r\n")); // now due at 350 ms: the task at 100 ms aims itself again
        f.pipe.advance(299);
        assertThat(f.dialogue.failures).as("at 349 ms").isEmpty();
        f.pipe.advance(1);
        assertThat(f.dialogue.failures).singleElement().isInstanceOf(ReplyTimeoutException.class)
                .extracting(Throwable::getMessage).asString().contains("300 ms");
    }

    @Test
    void aTaskScheduledFromAnotherThreadIsNotLeftBehindWhenNothingIsDueBeforeIt() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        // The test's thread is not the pipe's: a blocking transport may close the connection to run this task on
        // time, so it must not stay scheduled once the reply came.
        f.connection.expectReply(Duration.ofMillis(100));
        f.connection.onBytes(ascii("250 ok\r\n"));
        f.pipe.advance(1_000);
        assertThat(f.pipe.ranEarliest).as("no task ran in the first second (-1)").isEqualTo(-1);
        assertThat(f.pipe.pending()).as("the lifetime's task, scheduled from the pipe's thread").isEqualTo(1);
        assertThat(f.dialogue.failures).isEmpty();
    }

    @Test
    void noTimerOutlivesTheConnection() {
        Fixture f = new Fixture(Duration.ofSeconds(60), (link, reply) -> { });
        f.connection.expectReply(Duration.ofSeconds(5));
        assertThat(f.pipe.pending()).as("timers pending while open").isPositive();
        f.connection.close();
        f.connection.onClosed();
        assertThat(f.pipe.pending()).as("no timer pending after close").isZero();
        f.connection.expectReply(Duration.ofSeconds(5)); // a late arm on a closed connection schedules nothing
        assertThat(f.pipe.pending()).isZero();
        assertThat(f.dialogue.events).containsExactly("connected", "closed");
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A connection, connected on a scripted pipe, with a dialogue that records. */
    private static final class Fixture {
        final ScriptedPipe pipe = new ScriptedPipe();
        final Recorder dialogue;
        final Connection connection;

        Fixture(Duration lifetime, BiConsumer<Link, SmtpReply> onReply) {
            this(lifetime, onReply, null);
        }

        /** With {@code greeting} set, the dialogue arms the greeting's timer in onConnected, as the conversation does. */
        Fixture(Duration lifetime, BiConsumer<Link, SmtpReply> onReply, Duration greeting) {
            dialogue = new Recorder(onReply);
            dialogue.greeting = greeting;
            connection = new Connection(new ConnectRequest(REMOTE, null, Duration.ofSeconds(1), null, lifetime),
                    dialogue, null);
            connection.onConnected(pipe);
        }
    }

    private static final class Recorder implements Dialogue {
        final List<String> events = new ArrayList<>();
        final List<SmtpReply> replies = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        final BiConsumer<Link, SmtpReply> onReply;
        Link link;
        Duration greeting;

        Recorder(BiConsumer<Link, SmtpReply> onReply) {
            this.onReply = onReply;
        }

        @Override
        public void onConnected(Link link) {
            this.link = link;
            events.add("connected");
            if (greeting != null) {
                link.expectReply(greeting);
            }
        }

        @Override
        public void onTlsEstablished(SSLSession session) {
            events.add("tls");
        }

        @Override
        public void onReply(SmtpReply reply) {
            events.add("reply " + reply.code());
            replies.add(reply);
            onReply.accept(link, reply);
        }

        @Override
        public void onFailure(Throwable cause) {
            events.add("failure");
            failures.add(cause);
        }

        @Override
        public void onClosed() {
            events.add("closed");
        }
    }

    /** A pipe whose tasks run on virtual time, when the test advances it, on the test's thread. */
    private static final class ScriptedPipe implements Pipe {
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        private long now;
        /** How many tasks were scheduled; when the first task ran (virtual ms), -1 before. */
        int scheduled;
        long ranEarliest = -1;
        boolean closed;
        boolean tlsStarted;

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return REMOTE;
        }

        @Override
        public void write(byte[] bytes) {
        }

        @Override
        public void startTls(TlsParameters tls) {
            tlsStarted = true;
        }

        @Override
        public long nanoTime() {
            return now * 1_000_000L; // virtual time, in milliseconds
        }

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            scheduled++;
            long[] at = {now + delay.toMillis()};
            due.add(at);
            tasks.add(task);
            return () -> {
                int i = indexOf(at);
                if (i >= 0) {
                    due.remove(i);
                    tasks.remove(i);
                }
            };
        }

        private int indexOf(long[] at) {
            for (int i = 0; i < due.size(); i++) {
                if (due.get(i) == at) {
                    return i;
                }
            }
            return -1;
        }

        /** Moves the clock on, running each task as it falls due, in order. */
        void advance(long millis) {
            long until = now + millis;
            while (true) {
                int next = -1;
                for (int i = 0; i < due.size(); i++) {
                    if (due.get(i)[0] <= until && (next < 0 || due.get(i)[0] < due.get(next)[0])) {
                        next = i;
                    }
                }
                if (next < 0) {
                    break;
                }
                now = Math.max(now, due.remove(next)[0]);
                ranEarliest = ranEarliest < 0 ? now : ranEarliest;
                tasks.remove(next).run();
            }
            now = until;
        }

        int pending() {
            return due.size();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
