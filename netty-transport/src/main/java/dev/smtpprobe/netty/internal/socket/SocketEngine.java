package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.ConnectRequest;
import dev.smtpprobe.spi.Dialogue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections on plain JDK sockets, each run to its end on a thread of its own: the transport's path for a
 * caller that blocks on one probe anyway ({@code SmtpProbe.run()}). It loads no Netty class and starts no event
 * loop, so an application's first probe costs a socket and a thread, not Netty's start-up; and nothing of it is
 * left in native code when the JVM exits (an idle event loop waits in {@code epoll_wait}, and the JVM's exit waits
 * up to 300 ms for threads in native code).
 *
 * <p>Threads: I/O threads are created on demand, one per open connection, daemons, and end after 30 s idle; one
 * daemon watchdog thread enforces the hard limits a blocked socket call cannot see (the maximum lifetime, the
 * TLS handshake timeout, a reply timer armed from another thread). Both are shared by every engine in the
 * process.
 *
 * <p>Threadsafe. Each instance tracks its own connections, so its owner can close them.
 */
public final class SocketEngine {

    private final Set<SocketConnection> open = ConcurrentHashMap.newKeySet();
    private final TlsSockets tls = new TlsSockets();
    private volatile boolean closed;

    /**
     * Opens one connection and drives it with {@code dialogue} on an I/O thread, with the contract of
     * {@link dev.smtpprobe.spi.Transport#open}. Returns at once.
     */
    public void open(ConnectRequest request, Dialogue dialogue) {
        SocketConnection connection = new SocketConnection(request, dialogue, this);
        open.add(connection);
        if (closed) {
            connection.close(); // raced with close(): the connection ends at once, still with onClosed
        }
        try {
            Threads.IO.execute(connection);
        } catch (RejectedExecutionException e) {
            // The pool never rejects (unbounded, direct hand-off) unless the JVM cannot make a thread; still an
            // outcome for the dialogue, never an exception for the caller.
            connection.endUnstarted(e);
        }
    }

    /** How many connections are open now. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every open connection (each dialogue gets its {@code onClosed}); later connections close at once. */
    public void close() {
        closed = true;
        for (SocketConnection c : open) {
            c.close();
        }
    }

    TlsSockets tls() {
        return tls;
    }

    void ended(SocketConnection connection) {
        open.remove(connection);
    }

    /** Runs {@code task} on the watchdog thread after {@code nanos}, unless cancelled. */
    static Future<?> watch(Runnable task, long nanos) {
        return Threads.WATCHDOG.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** The shared threads, made when first needed. */
    private static final class Threads {
        static final ThreadPoolExecutor IO = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("smtp-probe-socket-"));
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
