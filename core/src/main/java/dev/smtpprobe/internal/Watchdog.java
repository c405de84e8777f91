package dev.smtpprobe.internal;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon thread, shared by every probe in the process and made when first needed, that keeps each probe's
 * promise when nothing else does: it ends a run at its deadline plus {@link Prober#DEADLINE_MARGIN} whatever its
 * transport does, and wakes a caller blocked inside a transport call that overstays. Its tasks are short and never
 * block; the thread ends after 30 s without work.
 *
 * <p>A probe's result may complete on this thread (when the deadline ends it), so it counts as a thread that must
 * not block on a probe: see {@link CallbackThreads}.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Watchdog() {
    }

    /** Runs {@code task} after {@code nanos}, unless the returned future is cancelled first. */
    static Future<?> after(long nanos, Runnable task) {
        return TIMER.schedule(() -> CallbackThreads.during(task), Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "smtp-probe-deadline-" + n.incrementAndGet());
            t.setDaemon(true); // a probe in main never keeps the JVM alive
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // most runs end before their timer: do not keep it queued
        timer.setKeepAliveTime(30, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }
}
