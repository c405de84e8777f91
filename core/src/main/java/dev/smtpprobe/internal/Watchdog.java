package dev.smtpprobe.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread, shared by every probe in the process and made when first needed, that keeps each probe's
 * promise when nothing else does: it ends a run at its deadline plus {@link Prober#DEADLINE_MARGIN} whatever its
 * transport does, and wakes a caller blocked inside a transport call that overstays. Its tasks are short and never
 * block.
 *
 * <p>It looks at its watches every {@link #TICK_NANOS} instead of keeping a timer queue: a watch then costs a set
 * insertion and removal, with no wake-up of the thread per probe, which matters to a synchronous probe of a refused
 * port (tens of microseconds in all). A watch so fires up to one tick late. The thread ends after 30 s without
 * watches and starts again with the next one.
 *
 * <p>A probe's result may complete on this thread (when the deadline ends it), so it counts as a thread that must
 * not block on a probe: see {@link CallbackThreads}.
 */
final class Watchdog {

    /** How often the watches are looked at: a watch fires at most this late. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final LazyLogger log = new LazyLogger(Watchdog.class);
    private static final Set<Watch> WATCHES = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private Watchdog() {
    }

    /** A pending watch: {@link #cancel()} it when its run ends first. */
    static final class Watch {
        private final Ticker ticker;
        private final long dueNanos;
        private final Runnable task;

        private Watch(Ticker ticker, long dueNanos, Runnable task) {
            this.ticker = ticker;
            this.dueNanos = dueNanos;
            this.task = task;
        }

        /** The watch will not fire (unless it is firing now). */
        void cancel() {
            WATCHES.remove(this);
        }

        /**
         * Whether {@code ticker} has reached the due time: each watch is due on its own probe's ticker. {@code now}
         * is the system ticker's reading of this tick, shared by every watch on it (the common case) so that a tick
         * over a thousand pending probes reads the clock once.
         */
        private boolean due(long now) {
            return (ticker == Ticker.SYSTEM ? now : ticker.read()) - dueNanos >= 0;
        }
    }

    /**
     * Runs {@code task} on the watchdog's thread once {@code ticker} has moved on {@code nanos} from now (looked at
     * every tick of the system's clock, so at most a tick later).
     */
    static Watch after(Ticker ticker, long nanos, Runnable task) {
        Watch watch = new Watch(ticker, ticker.read() + Math.max(0, nanos), task);
        WATCHES.add(watch);
        if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
            Thread t = new Thread(Watchdog::loop, "smtp-probe-deadline");
            t.setDaemon(true); // a probe in main never keeps the JVM alive
            t.start();
        }
        return watch;
    }

    private static void loop() {
        try {
            // The thread itself idles and parks on the system's clock; only the watches' due times use their ticker.
            long idleSince = Ticker.SYSTEM.read();
            while (true) {
                LockSupport.parkNanos(TICK_NANOS);
                long now = Ticker.SYSTEM.read();
                for (Watch w : WATCHES) {
                    if (w.due(now) && WATCHES.remove(w)) {
                        try {
                            CallbackThreads.during(w.task);
                        } catch (RuntimeException e) {
                            log.get().error("a probe's deadline watch failed", e);
                        }
                    }
                }
                if (!WATCHES.isEmpty()) {
                    idleSince = now;
                } else if (now - idleSince > IDLE_NANOS) {
                    RUNNING.set(false);
                    // A watch added meanwhile saw RUNNING true and started no thread: carry on for it.
                    if (WATCHES.isEmpty() || !RUNNING.compareAndSet(false, true)) {
                        return;
                    }
                }
            }
        } catch (Error e) {
            RUNNING.set(false); // the next watch starts a new thread
            throw e;
        }
    }
}
