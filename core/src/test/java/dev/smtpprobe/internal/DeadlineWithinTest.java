package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Deadline#within}: a confirmation's budget ends at whichever comes first, and names itself. */
class DeadlineWithinTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;

    @Test
    void aShorterBudgetEndsFirstAndIsNamedInDetails() {
        Deadline probe = Deadline.after(ticker, now.get(), Duration.ofSeconds(10));
        now.addAndGet(Duration.ofSeconds(8).toNanos());

        Deadline budget = probe.within(Duration.ofMillis(500), "the confirmation's budget");

        assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(500));
        assertThat(budget.describe()).isEqualTo("the confirmation's budget of 500 ms");
        assertThat(probe.describe()).isEqualTo("the probe's deadline of 10000 ms");
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(budget.passed()).isTrue();
        assertThat(probe.passed()).isFalse();
    }

    @Test
    void theProbesDeadlineStaysWhenItComesFirst() {
        Deadline probe = Deadline.after(ticker, now.get(), Duration.ofSeconds(10));
        now.addAndGet(Duration.ofMillis(9_800).toNanos());

        Deadline budget = probe.within(Duration.ofMillis(500), "the confirmation's budget");

        assertThat(budget).isSameAs(probe);
        assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(200));
    }
}
