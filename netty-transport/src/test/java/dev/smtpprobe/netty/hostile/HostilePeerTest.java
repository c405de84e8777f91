package dev.smtpprobe.netty.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The probe against servers that misbehave on purpose, on loopback. Each test asserts the verdict, that it came
 * before the deadline, and that nothing was left behind: no open connection in the transport, and (for the
 * class, with Netty's paranoid detector) no leaked buffer. Where a peer floods, it also shows that the probe
 * stopped reading and closed instead of buffering: the flood's writes fail long before the end.
 */
@ExtendWith(LeakCheck.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePeerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofMillis(1500);
    private static final byte[] EHLO_REPLY = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    NettyTransport transport;

    /**
     * The transport under test: one with its own event loop here, so {@code run()} is served on it; the shared
     * default in {@link HostilePeerOnSocketsTest}, where {@code run()} takes the JDK-socket path.
     */
    NettyTransport newTransport() {
        return NettyTransport.withOwnThreads(1);
    }

    @BeforeAll
    void transport() {
        transport = newTransport();
    }

    @AfterAll
    void closeTransport() {
        transport.close();
    }

    @AfterEach
    void nothingLeftOpen() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (transport.openConnections() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(transport.openConnections()).as("connections still open after the result").isZero();
    }

    private ProbeResult probe(HostilePeer peer, TlsMode mode) {
        return SmtpProbe.to("127.0.0.1").port(peer.port()).tls(mode).transport(transport).ehloName("probe.test")
                .connectTimeout(TIMEOUT).greetingTimeout(TIMEOUT).replyTimeout(TIMEOUT).deadline(DEADLINE)
                .confirmTlsMode(false).run();
    }

    private static void assertBeforeDeadline(ProbeResult r) {
        assertThat(r.elapsed()).as("elapsed").isLessThan(DEADLINE.plusMillis(250));
    }

    /** Greets, answers EHLO, then does {@code afterEhlo}. */
    private static HostilePeer.Behaviour greetAndEhlo(HostilePeer.Behaviour afterEhlo) {
        return c -> {
            c.write("220 mx.test ESMTP\r\n");
            c.readLine();
            afterEhlo.serve(c);
        };
    }

    @Test
    void endlessLineOf8MiBIsAProtocolErrorAndIsNotBuffered() throws IOException {
        long total = 8L << 20;
        try (HostilePeer peer = new HostilePeer(c -> {
            c.socket().setSendBufferSize(16 * 1024);
            c.write("220 ");
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            for (long sent = 0; sent < total; sent += chunk.length) {
                c.write(chunk);
            }
        })) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.PROTOCOL_ERROR);
            assertThat(r.phase()).isEqualTo(Phase.GREETING);
            assertThat(r.detail()).contains("longer than");
            assertBeforeDeadline(r);
            awaitEnding(peer);
            assertThat(peer.bytesWritten()).as("bytes the flood got out before the probe hung up").isLessThan(total);
        }
    }

    @Test
    void hundredThousandContinuationLinesAreAProtocolError() throws IOException {
        int lines = 100_000;
        try (HostilePeer peer = new HostilePeer(greetAndEhlo(c -> {
            c.socket().setSendBufferSize(16 * 1024);
            byte[] line = "250-continuation line that never ends the reply\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < lines; i++) {
                c.write(line);
            }
            c.write("250 finally\r\n");
        }))) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.PROTOCOL_ERROR);
            assertThat(r.phase()).isEqualTo(Phase.EHLO);
            assertThat(r.detail()).contains("more than");
            assertBeforeDeadline(r);
            awaitEnding(peer);
            assertThat(peer.bytesWritten()).isLessThan(lines * 50L);
        }
    }

    @Test
    void greetingDrippedOneBytePerSecondEndsAtTheGreetingTimeout() throws IOException {
        try (HostilePeer peer = new HostilePeer(c -> drip(c, "220 mx.test ESMTP slow\r\n", 1000))) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.GREETING_TIMEOUT);
            assertThat(r.elapsed()).isLessThan(TIMEOUT.plusMillis(300));
        }
    }

    @Test
    void ehloReplyDrippedOneBytePerSecondIsEndedByTheDeadline() throws IOException {
        try (HostilePeer peer = new HostilePeer(greetAndEhlo(c -> drip(c, new String(EHLO_REPLY,
                StandardCharsets.US_ASCII), 1000)))) {
            // A reply timeout longer than the deadline: only the deadline can end this probe.
            ProbeResult r = SmtpProbe.to("127.0.0.1").port(peer.port()).tls(TlsMode.NONE).transport(transport)
                    .connectTimeout(TIMEOUT).greetingTimeout(TIMEOUT).replyTimeout(Duration.ofSeconds(30))
                    .deadline(Duration.ofMillis(1000)).confirmTlsMode(false).run();
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.PROTOCOL_ERROR);
            assertThat(r.phase()).isEqualTo(Phase.EHLO);
            assertThat(r.elapsed()).isLessThan(Duration.ofMillis(1000 + 300));
        }
    }

    /**
     * An early talker: banner and a rejection in one write, before the client has sent anything. The probe reads
     * replies in order, so the 554 answers its EHLO: the server's refusal is reported as such (not hidden behind a
     * protocol error), with the 554 as evidence, and the extra replies after it change nothing.
     */
    @Test
    void serverThatAnswersBeforeTheClientAsks() throws IOException {
        try (HostilePeer peer = new HostilePeer(c -> {
            c.write("220 mx.test ESMTP\r\n554 5.7.1 you are not welcome\r\n");
            while (c.readLine() != null) {
                c.write("250 ok\r\n");
            }
        })) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.phase()).isEqualTo(Phase.EHLO);
            assertThat(r.detail()).contains("554", "you are not welcome");
            assertBeforeDeadline(r);
        }
    }

    @Test
    void repliesSplitAtEveryByteBoundaryDecodeTheSame() throws IOException {
        byte[] stream = EHLO_REPLY;
        for (int cut = 1; cut < stream.length; cut++) {
            int at = cut;
            try (HostilePeer peer = new HostilePeer(greetAndEhlo(c -> {
                c.socket().setTcpNoDelay(true);
                c.write(stream, 0, at);
                Thread.sleep(15); // a separate segment, read separately
                c.write(stream, at, stream.length - at);
                c.readLine();
                c.write("221 bye\r\n");
            }))) {
                ProbeResult r = probe(peer, TlsMode.NONE);
                assertThat(r.verdict()).as("cut at %d: %s", at, r.report()).isEqualTo(Verdict.OK);
                assertThat(r.capabilities().extensions()).as("cut at %d", at)
                        .containsExactly("PIPELINING", "SIZE 1000", "8BITMIME");
            }
        }
    }

    @Test
    void nulAndNonUtf8BytesInAGreetingAreTolerated() throws IOException {
        byte[] greeting = {'2', '2', '0', ' ', 'm', 'x', 0, ' ', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(', ' ',
                'E', 'S', 'M', 'T', 'P', '\r', '\n'};
        try (HostilePeer peer = new HostilePeer(c -> {
            c.write(greeting);
            c.readLine();
            c.write(EHLO_REPLY);
            c.readLine();
            c.write("221 bye\r\n");
        })) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.OK);
            assertThat(r.greeting().code()).isEqualTo(220);
        }
    }

    @Test
    void binaryBytesInsteadOfAGreetingAreNotSmtp() throws IOException {
        try (HostilePeer peer = new HostilePeer(c -> {
            c.write(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0, '\r', '\n'});
            Thread.sleep(2000);
        })) {
            ProbeResult r = probe(peer, TlsMode.NONE);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.NOT_SMTP);
            assertBeforeDeadline(r);
        }
    }

    @Test
    void tlsServerClosingMidHandshakeIsATlsHandshakeFailure() throws IOException {
        try (HostilePeer peer = new HostilePeer(c -> {
            c.write("220 mx.test ESMTP\r\n");
            c.readLine();
            c.write("250-mx.test\r\n250 STARTTLS\r\n");
            c.readLine();
            c.write("220 2.0.0 ready to start TLS\r\n");
            c.read(5); // the record header of the client's hello, then hang up mid-handshake
        })) {
            ProbeResult r = probe(peer, TlsMode.STARTTLS_REQUIRED);
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
            assertThat(r.phase()).isEqualTo(Phase.STARTTLS);
            assertBeforeDeadline(r);
        }
    }

    private static void drip(HostilePeer.Connection c, String text, long millisPerByte)
            throws IOException, InterruptedException {
        c.socket().setTcpNoDelay(true);
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            c.write(new byte[] {b});
            Thread.sleep(millisPerByte);
        }
    }

    /** Waits until the flooding server saw the client hang up. */
    private static void awaitEnding(HostilePeer peer) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (peer.endings().isEmpty() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(peer.endings()).as("the server saw the client close while it was still writing").isNotEmpty();
    }
}
