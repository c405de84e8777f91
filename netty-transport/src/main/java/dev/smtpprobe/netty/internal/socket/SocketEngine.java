package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections on plain JDK sockets, each run to its end on the calling thread: the transport's path for a caller
 * that blocks on its probe anyway ({@code SmtpProbe.run()}). It loads no Netty class, starts no event loop and
 * hands nothing to another thread, so an application's first probe costs a socket, not Netty's start-up; and
 * nothing of it is left in native code when the JVM exits (an idle event loop waits in {@code epoll_wait}, and the
 * JVM's exit waits up to 300 ms for threads in native code).
 *
 * <p>One daemon watchdog thread, shared by every engine in the process and made when first needed, enforces the
 * limits a blocked socket call cannot see: a pipe's timer falling due while a TLS handshake runs (a peer may
 * trickle a handshake), and an interrupt of the running thread (looked for every 20 ms while a connection runs), which closes the connection.
 *
 * <p>Threadsafe. Each instance tracks its own connections, so its owner can close them.
 */
public final class SocketEngine {

    private final Set<SocketPipe> open = ConcurrentHashMap.newKeySet();
    private final TlsEngines tls = new TlsEngines();
    private volatile boolean closed;

    /**
     * Runs one pipe to its end on the calling thread, calling {@code handler}, with the contract of
     * {@link dev.smtpprobe.spi.Transport#runPipeOnCallingThread}.
     */
    public void run(PipeRequest request, PipeHandler handler) {
        SocketPipe connection = new SocketPipe(request, handler, this);
        open.add(connection);
        if (closed) {
            connection.close(); // raced with close(): the connection ends at once, still with onClosed
        }
        connection.run();
    }

    /** How many connections are open now. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every open connection (each handler gets its {@code onClosed}); later connections close at once. */
    public void close() {
        closed = true;
        for (SocketPipe c : open) {
            c.close();
        }
    }

    TlsEngines tls() {
        return tls;
    }

    void ended(SocketPipe connection) {
        open.remove(connection);
    }

    /** Runs {@code task} on the watchdog thread after {@code nanos}, unless cancelled. */
    static Future<?> watch(Runnable task, long nanos) {
        return Threads.WATCHDOG.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Watches the running thread of {@code connection} for an interrupt until {@link #unwatchInterrupts}. */
    static void watchInterrupts(SocketPipe connection) {
        InterruptWatch.add(connection);
    }

    static void unwatchInterrupts(SocketPipe connection) {
        InterruptWatch.CONNECTIONS.remove(connection);
    }

    /**
     * Every {@link #POLL_NANOS} on the watchdog thread, closes the connections whose running thread was
     * interrupted (a blocked socket call does not see an interrupt). One periodic task for all connections, so a
     * connection costs a set insertion, not a timer; it stops after 30 s without connections and starts again with
     * the next.
     */
    private static final class InterruptWatch implements Runnable {
        static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
        static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
        static final Set<SocketPipe> CONNECTIONS = ConcurrentHashMap.newKeySet();
        static final AtomicBoolean ON = new AtomicBoolean();

        private volatile Future<?> self;
        private long idleSince = System.nanoTime();

        static void add(SocketPipe connection) {
            CONNECTIONS.add(connection);
            if (!ON.get() && ON.compareAndSet(false, true)) {
                InterruptWatch watch = new InterruptWatch();
                watch.self = Threads.WATCHDOG.scheduleWithFixedDelay(watch, POLL_NANOS, POLL_NANOS,
                        TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            for (SocketPipe c : CONNECTIONS) {
                c.closeIfInterrupted();
            }
            if (!CONNECTIONS.isEmpty()) {
                idleSince = now;
            } else if (now - idleSince > IDLE_NANOS && self != null) {
                ON.set(false);
                // A connection added meanwhile saw ON true and started no watch: carry on for it.
                if (CONNECTIONS.isEmpty() || !ON.compareAndSet(false, true)) {
                    self.cancel(false);
                }
            }
        }
    }

    /** The shared watchdog thread, made when first needed. */
    private static final class Threads {
        static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

        private static ScheduledThreadPoolExecutor watchdog() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("smtp-probe-socket-watchdog-"));
            timer.setRemoveOnCancelPolicy(true); // most watches are cancelled: do not keep them queued
            timer.setKeepAliveTime(30, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            return timer;
        }

        private static ThreadFactory daemons(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + n.incrementAndGet());
                t.setDaemon(true); // a probe in main never keeps the JVM alive
                return t;
            };
        }
    }
}
