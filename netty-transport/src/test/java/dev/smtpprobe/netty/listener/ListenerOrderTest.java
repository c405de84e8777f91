package dev.smtpprobe.netty.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.mx.TinySmtp;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order of {@link ProbeListener} events, end to end: real probes through the Netty transport against the scripted
 * server and the test DNS server, each event recorded as it arrives, asserted as the exact sequence the listener's
 * Javadoc documents. Every timer here guards an answer that comes, so all are generous.
 */
@ExtendWith(LeakCheck.class)
class ListenerOrderTest {

    private static final NettyTransport transport = new NettyTransport();
    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    /** Records every event as one line; threadsafe, as the transport calls from its own threads. */
    static final class Recorder implements ProbeListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Duration> durations = new CopyOnWriteArrayList<>();

        @Override
        public void probeStart(ProbeRun probe) {
            events.add("probeStart " + probe.target());
        }

        @Override
        public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
            events.add("start " + phase + " " + (attempt == null ? probe.target()
                    : attempt.host() + " " + attempt.remote().getAddress().getHostAddress()));
        }

        @Override
        public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
            durations.add(duration);
            events.add("end " + phase);
        }

        @Override
        public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
            durations.add(duration);
            events.add("failed " + phase + " " + verdict);
        }

        @Override
        public void probeEnd(ProbeRun probe, ProbeResult result) {
            events.add("probeEnd " + result.verdict());
        }
    }

    private static SmtpProbe.Builder probe(int port, Recorder recorder) {
        return SmtpProbe.to("127.0.0.1").port(port).transport(transport).trustManager(CERTS.trustManager())
                .ehloName("client.test").connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                .deadline(Duration.ofSeconds(15)).listener(recorder);
    }

    @Test
    void okWithStartTls() {
        Recorder recorder = new Recorder();
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "PIPELINING", "STARTTLS").onStartTls(CERTS.valid().tls()))) {

            ProbeResult result = probe(server.port(), recorder).tls(TlsMode.STARTTLS_REQUIRED).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            // The EHLO after the TLS upgrade belongs to STARTTLS; an OK attempt ends with QUIT.
            assertThat(recorder.events).containsExactly(
                    "probeStart 127.0.0.1",
                    "start CONNECT 127.0.0.1 127.0.0.1", "end CONNECT",
                    "start GREETING 127.0.0.1 127.0.0.1", "end GREETING",
                    "start EHLO 127.0.0.1 127.0.0.1", "end EHLO",
                    "start STARTTLS 127.0.0.1 127.0.0.1", "end STARTTLS",
                    "start QUIT 127.0.0.1 127.0.0.1", "end QUIT",
                    "probeEnd OK");
            assertThat(recorder.durations).allMatch(d -> !d.isNegative());
            assertThat(result.attempts().get(0).timings()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.EHLO,
                    Phase.STARTTLS);
        }
    }

    @Test
    void refused() {
        Recorder recorder = new Recorder();
        ProbeResult result = probe(Ports.closed(), recorder).tls(TlsMode.NONE).run();
        assertThat(result.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        // No link, no goodbye: nothing after the failed phase but the end of the probe.
        assertThat(recorder.events).containsExactly(
                "probeStart 127.0.0.1",
                "start CONNECT 127.0.0.1 127.0.0.1", "failed CONNECT CONNECTION_REFUSED",
                "probeEnd CONNECTION_REFUSED");
    }

    @Test
    void rejectedAtEhlo() {
        Recorder recorder = new Recorder();
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .on("EHLO", "550 5.7.1 Client host rejected: access denied"))) {
            ProbeResult result = probe(server.port(), recorder).tls(TlsMode.STARTTLS).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(result.phase()).isEqualTo(Phase.EHLO);
            // The server is still talking after a rejection, so the probe says goodbye: QUIT is the only phase that
            // may follow a phaseFailed.
            assertThat(recorder.events).containsExactly(
                    "probeStart 127.0.0.1",
                    "start CONNECT 127.0.0.1 127.0.0.1", "end CONNECT",
                    "start GREETING 127.0.0.1 127.0.0.1", "end GREETING",
                    "start EHLO 127.0.0.1 127.0.0.1", "failed EHLO SMTP_PERMANENT_REJECTION",
                    "start QUIT 127.0.0.1 127.0.0.1", "end QUIT",
                    "probeEnd SMTP_PERMANENT_REJECTION");
        }
    }

    @Test
    void mxProbe() throws IOException {
        Recorder recorder = new Recorder();
        try (MockDnsServer dns = MockDnsServer.start();
             TinySmtp server = TinySmtp.start(InetAddress.getByName("127.0.0.1"), 0, "mx.example.test")) {
            dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
            ProbeResult result = SmtpProbe.mx("example.test").resolver(dns.host(), dns.port()).dnsTimeout(ANSWER)
                    .ipVersion(dev.smtpprobe.IpVersion.V4_ONLY).port(server.port()).tls(TlsMode.NONE).transport(transport)
                    .ehloName("client.test").connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                    .deadline(Duration.ofSeconds(15)).listener(recorder).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            // RESOLVE is reported with the target (the domain) and no address; the attempt with the MX host's name.
            assertThat(recorder.events).containsExactly(
                    "probeStart example.test",
                    "start RESOLVE example.test", "end RESOLVE",
                    "start CONNECT mx.example.test 127.0.0.1", "end CONNECT",
                    "start GREETING mx.example.test 127.0.0.1", "end GREETING",
                    "start EHLO mx.example.test 127.0.0.1", "end EHLO",
                    "start QUIT mx.example.test 127.0.0.1", "end QUIT",
                    "probeEnd OK");
        }
    }

    @Test
    void aListenerThatThrowsEverywhereNeverBreaksTheProbeNorTheListenersAfterIt() {
        Recorder recorder = new Recorder();
        ProbeListener hostile = new ProbeListener() {
            @Override
            public void probeStart(ProbeRun probe) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void probeEnd(ProbeRun probe, ProbeResult result) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {

            ProbeResult result = SmtpProbe.to("127.0.0.1").port(server.port()).transport(transport)
                    .ehloName("client.test").connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                    .deadline(Duration.ofSeconds(15)).listener(hostile).listener(recorder).tls(TlsMode.NONE).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            // The listener added after the hostile one hears every event, in order.
            assertThat(recorder.events).containsExactly(
                    "probeStart 127.0.0.1",
                    "start CONNECT 127.0.0.1 127.0.0.1", "end CONNECT",
                    "start GREETING 127.0.0.1 127.0.0.1", "end GREETING",
                    "start EHLO 127.0.0.1 127.0.0.1", "end EHLO",
                    "start QUIT 127.0.0.1 127.0.0.1", "end QUIT",
                    "probeEnd OK");
        }
    }
}
