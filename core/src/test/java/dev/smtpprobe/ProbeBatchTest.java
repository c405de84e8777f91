package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch's concurrency limit and ordering. The transport here is a seam that refuses every connection after a
 * short delay, counting how many are open at once; the verdicts themselves are proven against real sockets in the
 * Netty module's end-to-end tests.
 */
class ProbeBatchTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "batch-test-timer");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Refuses each connection after 30 ms and records the most connections open at once. */
    private final class SlowRefusal extends DialogueTransport {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            total.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            timer.schedule(() -> {
                open.decrementAndGet();
                dialogue.onFailure(new ConnectException("Connection refused"));
                dialogue.onClosed();
            }, 30, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void atMostTheLimitRunsAtOnceAndResultsKeepTheirOrder() {
        SlowRefusal transport = new SlowRefusal();
        List<String> targets = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            targets.add("192.0.2." + i);
        }

        BatchResult batch = SmtpProbe.batch(targets, t -> SmtpProbe.to(t).transport(transport)
                .confirmTlsMode(false).deadline(Duration.ofSeconds(5))).concurrency(3).run();

        assertThat(transport.total.get()).isEqualTo(10);
        assertThat(transport.maxOpen.get()).isEqualTo(3);
        assertThat(batch.results()).extracting(ProbeResult::target).containsExactlyElementsOf(targets);
        assertThat(batch.results()).extracting(ProbeResult::verdict).containsOnly(Verdict.CONNECTION_REFUSED);
        assertThat(batch.scope().scope()).isEqualTo(ScopeSummary.Scope.SENDER_SIDE);
        assertThat(batch.failures()).hasSize(10);
        assertThat(batch.summary()).endsWith(batch.scope().message());
    }
}
