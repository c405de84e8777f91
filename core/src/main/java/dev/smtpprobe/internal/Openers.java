package dev.smtpprobe.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A few daemon threads that call {@link dev.smtpprobe.spi.Transport#openPipe} for transports that do not declare that
 * it returns at once ({@link dev.smtpprobe.spi.Transport#opensAtOnce()}): an {@code open} that blocks then holds
 * one of these, never the caller of {@code runAsync()} nor a transport's thread, and the probe still ends by its
 * deadline. At most as many threads as cores (at least 2), made when needed, ended after 30 s without work; further
 * opens wait their turn in order.
 */
final class Openers {

    private static final ExecutorService POOL = pool();

    private Openers() {
    }

    static void execute(Runnable open) {
        POOL.execute(open);
    }

    private static ExecutorService pool() {
        return DaemonPool.of("smtp-probe-open-", Math.max(2, Runtime.getRuntime().availableProcessors()),
                new LinkedBlockingQueue<>());
    }
}
