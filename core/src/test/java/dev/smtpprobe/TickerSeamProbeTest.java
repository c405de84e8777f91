package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A probe and a batch measure their time on the probe's ticker: the test moves it while the probe runs and reads the
 * exact amount back. The transport refuses at once (a failing transport is a pure seam here: the time is the point).
 */
class TickerSeamProbeTest {

    private final AtomicLong now = new AtomicLong(123_456_789L);

    /** Moves the fake time by {@code step} when the probe starts, the only moment the time changes. */
    private SmtpProbe.Builder probe(Duration step) {
        ProbeListener movesTime = new ProbeListener() {
            @Override
            public void probeStart(ProbeRun probe) {
                now.addAndGet(step.toNanos());
            }
        };
        return TestAccess.ticker(SmtpProbe.to("127.0.0.1").port(2525).tls(TlsMode.NONE).confirmTlsMode(false)
                .transport(new Refuses()).listener(movesTime), now::get);
    }

    private static final class Refuses implements Transport {
        @Override
        public void openPipe(PipeRequest request, PipeHandler handler) {
            throw new IllegalStateException("no connection in this test");
        }
    }

    @Test
    void aProbesElapsedTimeIsReadOnItsTicker() {
        ProbeResult sync = probe(Duration.ofMinutes(7)).run();
        assertThat(sync.elapsed()).isEqualTo(Duration.ofMinutes(7));

        ProbeResult async = probe(Duration.ofMinutes(3)).runAsync().orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(async.elapsed()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void aBatchIsTimedOnItsProbesTicker() {
        BatchResult batch = SmtpProbe.batch(probe(Duration.ofMinutes(2)).build(), probe(Duration.ofMinutes(5)).build())
                .concurrency(1).runAsync().orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(batch.results()).extracting(ProbeResult::elapsed)
                .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(5));
        assertThat(batch.elapsed()).isEqualTo(Duration.ofMinutes(7));
    }
}
