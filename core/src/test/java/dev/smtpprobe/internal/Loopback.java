package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Script a server on loopback, run one probe of it over a real socket ({@link BlockingTransport}), and read back the
 * attempt and what the server received: the fixture of the step tests.
 */
final class Loopback {

    static final TestCertificates CERTS = TestCertificates.shared();
    static final Duration WAIT = Duration.ofSeconds(5);

    final Attempt attempt;
    final ProbeResult result;
    final RecordedConnection connection;

    private Loopback(ProbeResult result, RecordedConnection connection) {
        this.result = result;
        this.attempt = result.attempts().get(0);
        this.connection = connection;
    }

    /** Probes a server playing {@code script}, in plain text, with {@code options} applied to the probe. */
    static Loopback probe(Script script, UnaryOperator<SmtpProbe.Builder> options) {
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            SmtpProbe.Builder builder = SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE)
                    .transport(new BlockingTransport()).trustManager(CERTS.trustManager()).ehloName("client.test")
                    .connectTimeout(WAIT).greetingTimeout(WAIT).replyTimeout(WAIT).deadline(Duration.ofSeconds(10))
                    .confirmTlsMode(false);
            ProbeResult result = options.apply(builder).build().run();
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection).as("the server saw the probe connect").isNotNull();
            connection.awaitClosed(WAIT);
            return new Loopback(result, connection);
        }
    }

    /** A plan for one attempt of the probe {@code builder} makes, to a loopback address, for pure step tests. */
    static AttemptPlan plan(SmtpProbe.Builder builder) {
        SmtpProbe probe = builder.transport(new BlockingTransport()).build();
        return new AttemptPlan("mx.test", new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 25),
                probe.tlsMode(), dev.smtpprobe.TestAccess.config(probe), probe.greetingTimeout(), Deadline.after(System.nanoTime(), probe.deadline()),
                System.nanoTime(), probe.transport(), ConversationTest.guarded(dev.smtpprobe.ProbeListener.NONE), 0);
    }

    static Loopback probe(Script script) {
        return probe(script, b -> b);
    }

    /** The commands the server received, in order. */
    List<String> commands() {
        return connection.commands();
    }

    /** The lines of the transcript in {@code direction}. */
    List<String> transcript(TranscriptLine.Direction direction) {
        return attempt.transcript().stream().filter(l -> l.direction() == direction).map(TranscriptLine::text).toList();
    }
}
