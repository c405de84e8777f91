package dev.smtpprobe.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Core's small thread pools: a fixed number of daemon threads (a probe in {@code main} never keeps the JVM alive),
 * made when needed and ended after 30 s without work, named {@code prefix-N}.
 */
final class DaemonPool {

    private DaemonPool() {
    }

    static ThreadPoolExecutor of(String prefix, int threads, BlockingQueue<Runnable> queue) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, queue, task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
