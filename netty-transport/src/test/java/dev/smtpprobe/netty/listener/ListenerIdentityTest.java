package dev.smtpprobe.netty.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which run and which attempt each {@link ProbeListener} event belongs to, and several listeners on one probe: real
 * probes through the Netty transport against scripted servers on loopback. Every timer here guards an answer that
 * comes, so all are generous.
 */
@ExtendWith(LeakCheck.class)
class ListenerIdentityTest {

    private static final NettyTransport transport = new NettyTransport();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    /** One event as received: the run, the attempt ({@code null} for RESOLVE and the probe's own events), a name. */
    record Event(ProbeRun probe, AttemptId attempt, String what) {
    }

    /** Records every event with its identity; threadsafe, as one instance serves concurrent probes. */
    static final class Recorder implements ProbeListener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final Map<ProbeRun, ProbeResult> results = new ConcurrentHashMap<>();

        @Override
        public void probeStart(ProbeRun probe) {
            events.add(new Event(probe, null, "probeStart"));
        }

        @Override
        public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
            events.add(new Event(probe, attempt, "start " + phase));
        }

        @Override
        public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
            events.add(new Event(probe, attempt, "end " + phase));
        }

        @Override
        public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
            events.add(new Event(probe, attempt, "failed " + phase + " " + verdict));
        }

        @Override
        public void probeEnd(ProbeRun probe, ProbeResult result) {
            results.put(probe, result);
            events.add(new Event(probe, null, "probeEnd " + result.verdict()));
        }

        List<String> of(ProbeRun probe) {
            return events.stream().filter(e -> e.probe().equals(probe)).map(Event::what).toList();
        }

        List<String> of(AttemptId attempt) {
            return events.stream().filter(e -> attempt.equals(e.attempt())).map(Event::what).toList();
        }

        Set<ProbeRun> runs() {
            Set<ProbeRun> runs = new LinkedHashSet<>();
            events.forEach(e -> runs.add(e.probe()));
            return runs;
        }

        Set<AttemptId> attempts() {
            Set<AttemptId> attempts = new LinkedHashSet<>();
            events.stream().filter(e -> e.attempt() != null).forEach(e -> attempts.add(e.attempt()));
            return attempts;
        }
    }

    private static SmtpProbe.Builder probe(int... ports) {
        SmtpProbe.Builder b = SmtpProbe.to("127.0.0.1").transport(transport).tls(TlsMode.NONE).ehloName("client.test")
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(15));
        return ports.length == 1 ? b.port(ports[0]) : b.ports(ports);
    }

    @Test
    void oneListenerSharedByConcurrentProbesTellsTheirEventsApart() {
        Recorder recorder = new Recorder();
        try (MockSmtpServer ok = new MockSmtpServer().start(Script.greeting("220 ok.test ESMTP").ehlo("ok.test"));
             MockSmtpServer rejecting = new MockSmtpServer().start(Script.greeting("554 5.7.1 go away"))) {
            List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                running.add(probe(ok.port()).listener(recorder).runAsync());
                running.add(probe(rejecting.port()).listener(recorder).runAsync());
            }
            List<ProbeResult> results = running.stream().map(CompletableFuture::join).toList();

            // Six runs, six distinct identities, each with the whole documented sequence of its own.
            assertThat(recorder.runs()).hasSize(6);
            for (ProbeRun run : recorder.runs()) {
                ProbeResult result = recorder.results.get(run);
                assertThat(results).contains(result);
                assertThat(run.target()).isEqualTo("127.0.0.1");
                assertThat(run.ports()).isEqualTo(result.ports());
                if (result.isOk()) {
                    assertThat(recorder.of(run)).containsExactly("probeStart",
                            "start CONNECT", "end CONNECT", "start GREETING", "end GREETING",
                            "start EHLO", "end EHLO", "start QUIT", "end QUIT", "probeEnd OK");
                } else {
                    assertThat(recorder.of(run)).containsExactly("probeStart",
                            "start CONNECT", "end CONNECT", "start GREETING",
                            "failed GREETING SMTP_PERMANENT_REJECTION", "start QUIT", "end QUIT",
                            "probeEnd SMTP_PERMANENT_REJECTION");
                }
            }
            assertThat(results).filteredOn(ProbeResult::isOk).hasSize(3);
            // Every attempt event names its own run and the attempt's address.
            assertThat(recorder.events).filteredOn(e -> e.attempt() != null)
                    .allSatisfy(e -> assertThat(e.attempt().probe()).isEqualTo(e.probe()));
            assertThat(recorder.attempts()).hasSize(6).allSatisfy(a -> {
                assertThat(a.index()).isZero();
                assertThat(a.host()).isEqualTo("127.0.0.1");
                assertThat(a.tlsMode()).isEqualTo(TlsMode.NONE);
                assertThat(a.port()).isIn(ok.port(), rejecting.port());
            });
            assertThat(recorder.runs().stream().map(ProbeRun::id).distinct()).hasSize(6);
        }
    }

    @Test
    void eachAttemptOfASweepHasItsOwnIdentityMatchingItsAttemptInTheResult() {
        Recorder recorder = new Recorder();
        int closed = Ports.closed();
        try (MockSmtpServer ok = new MockSmtpServer().start(Script.greeting("220 ok.test ESMTP").ehlo("ok.test"))) {

            ProbeResult result = probe(ok.port(), closed).listener(recorder).allAttempts(true).run();

            assertThat(result.attempts()).hasSize(2);
            Set<AttemptId> attempts = recorder.attempts();
            assertThat(attempts).hasSize(2);
            assertThat(attempts.stream().map(AttemptId::index)).containsExactlyInAnyOrder(0, 1);
            for (Attempt a : result.attempts()) {
                AttemptId id = attempts.stream().filter(i -> i.remote().equals(a.remote())).findFirst().orElseThrow();
                assertThat(id.tlsMode()).isEqualTo(a.tlsMode());
                assertThat(id.host()).isEqualTo(a.host());
                if (a.isOk()) {
                    assertThat(recorder.of(id)).containsExactly("start CONNECT", "end CONNECT", "start GREETING",
                            "end GREETING", "start EHLO", "end EHLO", "start QUIT", "end QUIT");
                } else {
                    assertThat(a.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
                    assertThat(recorder.of(id)).containsExactly("start CONNECT", "failed CONNECT CONNECTION_REFUSED");
                }
            }
        }
    }

    @Test
    void severalListenersHearEachEventInTheOrderAdded() {
        List<String> heard = new CopyOnWriteArrayList<>();
        class Named implements ProbeListener {
            private final String name;

            Named(String name) {
                this.name = name;
            }

            @Override
            public void probeStart(ProbeRun probe) {
                heard.add(name + " probeStart");
            }

            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                heard.add(name + " start " + phase);
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                heard.add(name + " failed " + phase);
            }

            @Override
            public void probeEnd(ProbeRun probe, ProbeResult result) {
                heard.add(name + " probeEnd");
            }
        }
        ProbeListener throwing = new ProbeListener() {
            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                heard.add("throwing start " + phase);
                throw new IllegalStateException("listener bug");
            }
        };

        ProbeResult result = probe(Ports.closed()).listener(new Named("a")).listener(throwing).listener(new Named("b"))
                .run();

        assertThat(result.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(heard).containsExactly("a probeStart", "b probeStart",
                "a start CONNECT", "throwing start CONNECT", "b start CONNECT",
                "a failed CONNECT", "b failed CONNECT",
                "a probeEnd", "b probeEnd");
    }
}
