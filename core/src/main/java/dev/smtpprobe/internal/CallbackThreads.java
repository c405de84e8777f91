package dev.smtpprobe.internal;

/**
 * Marks the threads that are delivering a probe's outcome: a transport's thread completing an attempt (and so,
 * synchronously, the callbacks of {@code runAsync()}'s future) and the {@link Watchdog}. Such a thread serves other
 * probes too, so a probe that needs other threads to make progress (a port sweep's {@code run()}) must not wait on
 * it: it would wait for itself. {@link #requireMayWaitForSweep} fails fast instead.
 */
final class CallbackThreads {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private CallbackThreads() {
    }

    /** Runs {@code task} with the current thread marked. */
    static void during(Runnable task) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            task.run();
        } finally {
            depth[0]--;
        }
    }

    /** Whether the current thread is delivering a probe's outcome. */
    static boolean current() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * @throws IllegalStateException when the current thread is delivering a probe's outcome: a sweep's ports run on
     *                               the transport's threads, one of which is this one, so waiting here would
     *                               deadlock until the deadline
     */
    public static void requireMayWaitForSweep(String host, int ports) {
        if (current()) {
            throw new IllegalStateException("run() of a sweep of " + ports + " ports of " + host + " was called on a "
                    + "thread that delivers probe results (a runAsync() callback or the transport's thread): its ports "
                    + "run on the transport's threads, so it would wait for itself. Use runAsync() and compose "
                    + "(thenCompose), or call run() from your own thread");
        }
    }
}
