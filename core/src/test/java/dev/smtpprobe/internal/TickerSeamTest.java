package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Deadlines and watches read the time of the ticker they are given, never the system's clock directly. */
class TickerSeamTest {

    /** A ticker that moves only when the test moves it, from an origin near overflow (only differences count). */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
    private final Ticker fake = now::get;

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aDeadlineCountsDownOnItsTicker() {
        Deadline deadline = Deadline.after(fake, fake.read(), Duration.ofSeconds(60));

        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(60));
        assertThat(deadline.cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(deadline.cuts(Duration.ofSeconds(10))).isFalse();

        advance(Duration.ofSeconds(55)); // across Long.MAX_VALUE: readings wrap, differences do not
        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(5));
        assertThat(deadline.cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
        assertThat(deadline.cuts(Duration.ofSeconds(10))).isTrue();
        assertThat(deadline.passed()).isFalse();

        advance(Duration.ofSeconds(5));
        assertThat(deadline.passed()).isTrue();
        assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
        assertThat(deadline.cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aWatchFiresWhenItsTickerReachesTheDueTimeNotTheSystemClock() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Watchdog.Watch watch = Watchdog.after(fake, Duration.ofHours(1).toNanos(), fired::countDown);
        try {
            // Many ticks of the system's clock pass: an hour of the fake ticker has not.
            assertThat(fired.await(10 * Watchdog.TICK_NANOS, TimeUnit.NANOSECONDS)).isFalse();

            advance(Duration.ofHours(1));
            assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            watch.cancel();
        }
    }
}
