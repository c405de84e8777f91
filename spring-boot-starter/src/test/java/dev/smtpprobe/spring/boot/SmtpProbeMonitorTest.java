package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache in front of the health contributor, against a real server on loopback. */
class SmtpProbeMonitorTest {

    private static final Duration TTL = Duration.ofMinutes(1);

    private final MockSmtpServer server = new MockSmtpServer();
    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void stop() {
        server.close();
    }

    private SmtpProbeMonitor monitor(Duration deadline) {
        SmtpProbe probe = SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE).deadline(deadline).build();
        return new SmtpProbeMonitor(probe, TTL, now::get, Clock.systemUTC());
    }

    @Test
    void aThousandHealthCallsMakeOneConnectionPerTtl() throws Exception {
        server.start(Script.greeting("220 mx.test ESMTP"));
        SmtpProbeMonitor monitor = monitor(Duration.ofSeconds(10));

        for (int i = 0; i < 1000; i++) {
            monitor.snapshot();
        }
        ProbeResult first = monitor.refresh().get(15, TimeUnit.SECONDS);
        for (int i = 0; i < 1000; i++) {
            assertThat(monitor.snapshot().result()).isSameAs(first);
        }

        assertThat(first.verdict()).as(first.report()).isEqualTo(Verdict.OK);
        assertThat(server.connectionCount()).as("one probe for 2000 health calls within the TTL").isEqualTo(1);

        now.addAndGet(TTL.toNanos());
        SmtpProbeMonitor.Snapshot stale = monitor.snapshot();
        assertThat(stale.result()).as("the stale result is served while the refresh runs").isSameAs(first);
        ProbeResult second = monitor.refresh().get(15, TimeUnit.SECONDS);
        for (int i = 0; i < 1000; i++) {
            monitor.snapshot();
        }
        assertThat(second).isNotSameAs(first);
        assertThat(server.connectionCount()).as("one more probe after the TTL").isEqualTo(2);
    }

    @Test
    void aSilentServerNeverMakesAHealthCallWait() throws Exception {
        server.start(Script.noGreeting());
        Duration budget = Duration.ofMillis(1500);
        SmtpProbeMonitor monitor = monitor(budget);

        // A call that waited for the probe would take the whole greeting budget: 200 calls inside it, with the
        // probe still running after them, show that none did (no per-call timing: a loaded CI machine can take a
        // few hundred ms for the first call, which starts the probe).
        long start = System.nanoTime();
        SmtpProbeMonitor.Snapshot pending = null;
        for (int i = 0; i < 200; i++) {
            pending = monitor.snapshot();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(budget);
        assertThat(pending.result()).as("no result while the server says nothing").isNull();
        assertThat(pending.refreshing()).isTrue();

        ProbeResult result = monitor.refresh().get(budget.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(result.elapsed()).isLessThan(budget.plusMillis(500));
        assertThat(monitor.snapshot().result()).isSameAs(result);
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void closingStopsTheRunningProbeAndStartsNoMore() throws Exception {
        server.start(Script.noGreeting());
        SmtpProbeMonitor monitor = monitor(Duration.ofSeconds(30));
        var running = monitor.refresh();
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));

        long start = System.nanoTime();
        monitor.close();

        assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("the probe's connection is closed").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(monitor.snapshot().refreshing()).isFalse();
        assertThat(monitor.refresh()).isCompletedExceptionally();
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void aTtlThatIsNotPositiveIsRefusedByName() {
        SmtpProbe probe = SmtpProbe.to("127.0.0.1").build();
        assertThatThrownBy(() -> new SmtpProbeMonitor(probe, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    }
}
