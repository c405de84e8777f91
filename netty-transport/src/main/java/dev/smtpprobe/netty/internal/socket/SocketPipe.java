package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportErrors;
import dev.smtpprobe.spi.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Pipe} on a blocking JDK socket, run to its end by one thread (the waiting caller's): connect, then read
 * and hand the bytes to the {@link PipeHandler}, running the handler's timers between reads, until the connection
 * closes. Every handler call and every timer task runs on that thread, one at a time.
 *
 * <p>Timers: each read waits at most until the earliest scheduled task is due, so a plain connection needs no other
 * thread. What a blocked call cannot see is left to the engine's watchdog, which closes the socket under it: a task
 * falling due during a TLS handshake (the JDK runs one in many reads, and a peer may trickle it), and an interrupt of
 * the running thread. A task scheduled from another thread that falls due while a read is blocked closes the
 * connection (the socket is closed under the read), then runs: a blocking socket cannot be woken otherwise, and
 * the tasks core schedules are timers that end the connection anyway.
 */
final class SocketPipe implements Pipe, Runnable {

    /** Looked up on first use: a healthy run logs nothing, so it never pays for initialising slf4j. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SocketPipe.class);
    }
    private static final long NONE = Long.MAX_VALUE;
    /** One socket read; everything read is handed to the handler at once, so this bounds the bytes held here. */
    private static final int READ_CHUNK = 2048;

    private final PipeRequest request;
    private final PipeHandler handler;
    private final SocketEngine engine;
    private final RecordingSocket raw = new RecordingSocket();
    /**
     * Held while writing (a lock, not a monitor: a virtual thread blocked in a write under a monitor pins its carrier
     * on JDK 21 to 23).
     */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long taskSeq;

    private volatile Thread ioThread;
    private volatile InputStream in;          // the socket's, or the TLS layer's once it is up
    private volatile OutputStream out;        // likewise
    private volatile SocketTls tlsLayer;      // once the handshake is done
    private volatile boolean connected;
    /** Kept once connected: a closed socket reports the wildcard address. */
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile boolean closeRequested;
    /** The watchdog closed the socket under a blocked call because a task fell due. */
    private volatile boolean taskDueWhileBlocked;
    /** A write failed (on any thread): reported by the I/O thread once its current call returns. */
    private volatile TransportException pendingError;
    private volatile TlsParameters pendingTls;
    private boolean errorReported;           // I/O thread only

    SocketPipe(PipeRequest request, PipeHandler handler, SocketEngine engine) {
        this.request = request;
        this.handler = handler;
        this.engine = engine;
    }

    @Override
    public void run() {
        ioThread = Thread.currentThread();
        // A blocked socket call does not see an interrupt: the watchdog looks for one and closes the socket under it.
        SocketEngine.watchInterrupts(this);
        try {
            if (connect()) {
                handler.onConnected(this);
                loop();
            }
        } catch (RuntimeException e) {
            // A bug here must still end the connection; it is reported as the error when none was.
            Log.LOG.warn("unexpected error on the connection to {}", request.remote(), e);
            report(TransportErrors.classify(e, !connected, request.remote()));
        } finally {
            SocketEngine.unwatchInterrupts(this);
            closeSocket(true);
            engine.ended(this);
            handler.onClosed();
        }
    }

    // ---- the running thread ----

    private boolean connect() {
        try {
            if (request.localAddress() != null) {
                raw.bind(new InetSocketAddress(request.localAddress(), 0));
            }
            raw.connect(request.remote(), millis(request.connectTimeout().toNanos()));
            // Commands are single small writes; never wait to coalesce them. Set once connected: a refused or
            // timed-out connect then costs no system call for it.
            raw.setTcpNoDelay(true);
            in = raw.getInputStream();
            out = raw.getOutputStream();
            local = (InetSocketAddress) raw.getLocalSocketAddress();
            remote = (InetSocketAddress) raw.getRemoteSocketAddress();
            connected = true;
            return true;
        } catch (IOException e) {
            if (!closeRequested) {
                report(TransportErrors.classify(e, true, request.remote()));
            }
            return false;
        }
    }

    private void loop() {
        byte[] buf = new byte[READ_CHUNK];
        while (true) {
            runDueTasks(false);
            if (isClosed()) {
                break;
            }
            if (pendingTls != null) {
                TlsParameters tls = pendingTls;
                pendingTls = null;
                handshake(tls);
                continue;
            }
            int n;
            try {
                n = read(buf);
            } catch (SocketTimeoutException e) {
                continue; // a task fell due: it runs at the top of the loop
            } catch (IOException e) {
                if (taskDueWhileBlocked && !closeRequested) {
                    runDueTasks(true); // the watchdog closed the socket for it: the task says what that means
                } else if (!closeRequested && pendingError == null) {
                    report(TransportErrors.classify(e, false, request.remote()));
                }
                break;
            }
            if (n < 0) {
                break; // the peer closed
            }
            handler.onBytes(ByteBuffer.wrap(buf, 0, n));
        }
        TransportException e = pendingError;
        if (e != null && !closeRequested) {
            report(e);
        }
    }

    /** Reads once, waiting at most until the earliest task is due. */
    private int read(byte[] buf) throws IOException {
        long due = nextDue();
        int timeout = 0;
        if (due != NONE) {
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                throw new SocketTimeoutException("a task is due");
            }
            timeout = millis(wait);
        }
        raw.setSoTimeout(timeout);
        return in.read(buf, 0, buf.length);
    }

    private void handshake(TlsParameters tls) {
        long due = nextDue();
        long now = System.nanoTime();
        // The watchdog bounds the whole handshake, which the JDK runs in many reads, by the first task due.
        Future<?> guard = due == NONE ? null : SocketEngine.watch(this::taskDueWhileBlocked, due - now);
        raw.startRecording();
        try {
            SocketTls layer = new SocketTls(engine.tls().newEngine(tls), raw);
            raw.setSoTimeout(due == NONE ? 0 : millis(Math.max(1, due - now)));
            layer.handshake();
            writeLock.lock();
            try {
                tlsLayer = layer;
                in = layer.in();
                out = layer.out();
            } finally {
                writeLock.unlock();
            }
            SSLSession session = layer.session();
            handler.onTlsEstablished(session);
        } catch (IOException e) {
            handshakeFailed(e);
        } finally {
            if (guard != null) {
                guard.cancel(false);
            }
            raw.stopRecording();
        }
    }

    private void handshakeFailed(IOException e) {
        if (closeRequested) {
            return;
        }
        if (e instanceof SocketTimeoutException || taskDueWhileBlocked) {
            runDueTasks(true); // the handler's timer decides what the interrupted handshake means
            if (isClosed()) {
                return;
            }
        }
        if (e instanceof SSLException) {
            byte[] first = raw.recorded();
            if (first.length > 0 && !startsLikeTls(first)) {
                NotTlsException notTls = new NotTlsException(first);
                notTls.initCause(e);
                report(new TransportException(TransportException.Kind.NOT_TLS, false, notTls.getMessage(), notTls));
                return;
            }
        }
        report(TransportErrors.classify(e, false, request.remote()));
    }

    /** A TLS record starts with a content type of 20 to 24 and major version 3 (RFC 8446 §5.1). */
    private static boolean startsLikeTls(byte[] b) {
        return b[0] >= 20 && b[0] <= 24 && (b.length < 2 || b[1] == 3);
    }

    /** Runs the tasks that are due; {@code first}: also the earliest one, due or not (a handshake cut short). */
    private void runDueTasks(boolean first) {
        while (true) {
            Task task;
            synchronized (tasks) {
                task = tasks.peek();
                if (task == null || !first && task.due - System.nanoTime() > 0) {
                    return;
                }
                tasks.poll();
            }
            first = false;
            try {
                task.run.run();
            } catch (RuntimeException e) {
                Log.LOG.warn("a task on the connection to {} threw", request.remote(), e);
            }
        }
    }

    private long nextDue() {
        synchronized (tasks) {
            Task task = tasks.peek();
            return task == null ? NONE : task.due;
        }
    }

    // ---- Pipe (any thread) ----

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress r = remote;
        return r != null ? r : request.remote();
    }

    @Override
    public void write(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (!connected || isClosed()) {
            return;
        }
        try {
            writeLock.lock();
            try {
                out.write(bytes);
                out.flush();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            if (pendingError == null) {
                pendingError = TransportErrors.classify(e, false, request.remote());
            }
            closeSocket(false); // the I/O thread sees the socket end and reports the error
        }
    }

    @Override
    public void startTls(TlsParameters tls) {
        Objects.requireNonNull(tls, "tls");
        if (connected && !isClosed()) {
            pendingTls = tls;
        }
    }

    @Override
    public Runnable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Task t;
        synchronized (tasks) {
            t = new Task(System.nanoTime() + Math.max(0, delay.toNanos()), taskSeq++, task);
            tasks.add(t);
        }
        if (Thread.currentThread() != ioThread) {
            // The running thread may be blocked in a read whose timeout was set before this task existed: when the
            // task falls due still queued, the watchdog closes the socket under that read so the task can run.
            SocketEngine.watch(() -> {
                boolean queued;
                synchronized (tasks) {
                    queued = tasks.contains(t);
                }
                if (queued && !closeRequested) {
                    taskDueWhileBlocked();
                }
            }, Math.max(0, delay.toNanos()));
        }
        return () -> {
            synchronized (tasks) {
                tasks.remove(t);
            }
        };
    }

    @Override
    public void close() {
        closeRequested = true;
        // Off the I/O thread, closing the socket is what wakes a blocked read; on it, the loop ends after the
        // current call, and the final close (with TLS close_notify) happens there.
        if (Thread.currentThread() != ioThread) {
            closeSocket(false);
        }
    }

    // ---- internals ----

    /**
     * The running thread was interrupted (its caller gave up on the probe): closes the socket under whatever call
     * is blocked on it. The connection then ends with {@code onClosed} and no error: an interrupt says nothing about
     * the network.
     */
    void closeIfInterrupted() {
        Thread t = ioThread;
        if (t != null && t.isInterrupted() && !closeRequested) {
            closeRequested = true;
            closeSocket(false);
        }
    }

    private void taskDueWhileBlocked() {
        taskDueWhileBlocked = true;
        closeSocket(false);
    }

    /** Closes the socket, then reports the error, once. I/O thread only. */
    private void report(TransportException error) {
        closeSocket(false);
        if (errorReported) {
            Log.LOG.debug("dropping an error after the first one on {}: {}", request.remote(), error.toString());
            return;
        }
        errorReported = true;
        handler.onError(error);
    }

    private boolean isClosed() {
        return closeRequested || errorReported || pendingError != null || raw.isClosed();
    }

    /**
     * Closes the socket. {@code courteous}: on the I/O thread at the end, the TLS layer first says close_notify
     * (bounded by the write; the peer's answer is not awaited); otherwise the plain socket is closed at once,
     * which also wakes a call blocked on it.
     */
    private void closeSocket(boolean courteous) {
        SocketTls tls = tlsLayer;
        if (courteous && tls != null && !raw.isClosed()) {
            tls.closeOutbound();
        }
        try {
            raw.close();
        } catch (IOException e) {
            Log.LOG.debug("closing the socket to {}: {}", request.remote(), e.toString());
        }
    }

    /** Nanoseconds as a socket timeout in milliseconds: rounded up, at least 1 (0 would mean forever). */
    private static int millis(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    /**
     * A task of {@link #schedule}: ordered by due time, then by the order scheduled. A class, not a record: its
     * equality is identity (what {@code PriorityQueue.remove} needs), and a record's generated {@code equals}
     * would bootstrap {@code ObjectMethods} on an application's first probe, about 25 ms of its cold start.
     */
    private static final class Task implements Comparable<Task> {
        private final long due;
        private final long seq;
        private final Runnable run;

        Task(long due, long seq, Runnable run) {
            this.due = due;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            int byDue = Long.compare(due - o.due, 0);
            return byDue != 0 ? byDue : Long.compare(seq, o.seq);
        }
    }
}
