package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every end-to-end verdict test shares: one scripted server per test, a probe with short timeouts pointed
 * at it through the real transport (found by {@code ServiceLoader}: its JDK-socket path serves {@code run()}; the
 * {@code OnEventLoops} subclasses run the same tests on Netty's event loops), and assertions on the evidence.
 * Each test reads "script the server, run the probe, assert the verdict and the evidence".
 */
@ExtendWith(LeakCheck.class) // every verdict, hostile peers included, must end without a ByteBuf leak
abstract class VerdictTestSupport {

    /**
     * Guards answers that should come (connect, banner, replies, handshakes): generous, since it costs nothing when
     * they do come, and a loaded machine is slow. A test asserting a verdict reached "at once" checks that it came
     * well before this.
     */
    static final Duration ANSWER = Duration.ofSeconds(2);
    /** The whole probe's limit in these tests. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** A timer a test expects to fire: short, so the suite stays fast (set explicitly in that test). */
    static final Duration FIRES = Duration.ofMillis(300);
    /** How long to wait for the fixture's own recording, which is done by the time the probe returns. */
    static final Duration WAIT = Duration.ofSeconds(2);
    static final String EHLO_NAME = "probe.test";

    static final TestCertificates CERTS = TestCertificates.shared();

    MockSmtpServer server;

    private static volatile boolean warm;

    /**
     * The first probe in a JVM loads Netty's and the JDK's TLS classes and starts the event loop, which on a
     * loaded machine takes longer than a test's 500 ms deadline. Pay it once, before any test, with one STARTTLS
     * and one implicit-TLS probe whose results are not asserted (the tests below assert the same paths).
     */
    @BeforeAll
    static void warmUp() {
        if (warm) {
            return;
        }
        Script startTls = Script.greeting("220 warm-up").ehlo("warm-up", "STARTTLS").onStartTls(CERTS.valid().tls());
        Script implicit = Script.greeting("220 warm-up").tlsOnConnect(CERTS.valid().tls());
        try (MockSmtpServer plain = new MockSmtpServer().start(startTls);
                MockSmtpServer tls = new MockSmtpServer().start(implicit)) {
            for (int i = 0; i < 2; i++) {
                probeOf(plain.port(), TlsMode.STARTTLS).deadline(Duration.ofSeconds(10))
                        .replyTimeout(Duration.ofSeconds(5)).greetingTimeout(Duration.ofSeconds(5)).run();
                probeOf(tls.port(), TlsMode.IMPLICIT).deadline(Duration.ofSeconds(10))
                        .replyTimeout(Duration.ofSeconds(5)).greetingTimeout(Duration.ofSeconds(5)).run();
            }
        }
        warm = true;
    }

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Starts the scripted server for this test (one script per connection, the last for all the rest). */
    MockSmtpServer serve(Script script, Script... following) {
        server = new MockSmtpServer().start(script, following);
        return server;
    }

    /** A probe of the scripted server with short timeouts, the given TLS mode, and the test CA as trust. */
    SmtpProbe.Builder probe(TlsMode mode) {
        return probeAt(server.port(), mode);
    }

    /** A probe of {@code port} as {@link #probe} makes it, on the event loops when {@link #onEventLoops()}. */
    SmtpProbe.Builder probeAt(int port, TlsMode mode) {
        SmtpProbe.Builder b = probeOf(port, mode);
        return onEventLoops() ? b.transport(EVENT_LOOPS) : b;
    }

    /**
     * Whether this run of the tests serves {@code run()} on Netty's event loops instead of the default transport's
     * JDK-socket path for blocking callers: every verdict test class runs both ways (its {@code OnEventLoops}
     * subclass says true).
     */
    boolean onEventLoops() {
        return false;
    }

    /** The default transport, but every connection on its event loops, blocking caller or not. */
    private static final Transport EVENT_LOOPS = new Transport() {
        private final NettyTransport netty = new NettyTransport();

        @Override
        public void openPipe(PipeRequest request, PipeHandler handler) {
            netty.openPipe(request, handler);
        }
    };

    static SmtpProbe.Builder probeOf(int port, TlsMode mode) {
        return SmtpProbe.to("127.0.0.1")
                .port(port)
                .tls(mode)
                .connectTimeout(ANSWER)
                .greetingTimeout(ANSWER)
                .replyTimeout(ANSWER)
                .deadline(DEADLINE)
                .ehloName(EHLO_NAME)
                .trustManager(CERTS.trustManager());
    }

    /** The transcript as {@code "> EHLO probe.test"} strings, without time offsets. */
    static List<String> transcript(ProbeResult result) {
        return result.transcript().stream()
                .map(line -> line.direction().marker() + " " + line.text())
                .collect(Collectors.toList());
    }

    static List<String> sent(ProbeResult result) {
        return lines(result, Direction.CLIENT);
    }

    static List<String> received(ProbeResult result) {
        return lines(result, Direction.SERVER);
    }

    private static List<String> lines(ProbeResult result, Direction direction) {
        return result.transcript().stream().filter(line -> line.direction() == direction)
                .map(TranscriptLine::text).collect(Collectors.toList());
    }

    /** The single connection the probe made, with what the server received on it. */
    RecordedConnection onlyConnection() {
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection).as("the probe connected").isNotNull();
        assertThat(connection.awaitClosed(WAIT)).as("the connection is closed after the probe").isTrue();
        assertThat(server.connectionCount()).as("connections made").isEqualTo(1);
        return connection;
    }

    /** Asserts the addresses of the result are those the server saw. */
    void assertAddresses(ProbeResult result, RecordedConnection connection) {
        assertThat(result.remoteAddress()).isEqualTo(server.address());
        assertThat(result.localAddress()).isEqualTo(connection.clientAddress());
    }

    /**
     * Asserts the probe ended when the timer that had to fire did: not before it, and before any other timer of the
     * probe ({@link #ANSWER}, the shortest of the others) could have ended it. The gap between the two is the margin
     * a loaded machine (a flight recording, two cores shared with other builds) needs.
     */
    static void assertEndedByTimer(ProbeResult result, Duration timer) {
        assertThat(timer).as("the timer under test fires before the others").isLessThan(ANSWER);
        assertThat(result.elapsed()).as("ended by its timer, not before it").isGreaterThanOrEqualTo(timer);
        assertThat(result.elapsed()).as("ended by its timer, not by a later one").isLessThan(ANSWER);
    }

    /** Asserts the verdict came from what the peer did, not from a timer (all of which are {@link #ANSWER}). */
    static void assertDecidedBeforeTimers(ProbeResult result) {
        assertThat(result.elapsed()).as("decided at once, not by a timer").isLessThan(ANSWER);
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
