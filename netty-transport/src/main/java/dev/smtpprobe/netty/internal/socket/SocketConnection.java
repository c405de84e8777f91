package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.netty.internal.JdkSocketErrors;
import dev.smtpprobe.spi.ConnectRequest;
import dev.smtpprobe.spi.Dialogue;
import dev.smtpprobe.spi.Link;
import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection on a JDK socket, run to its end by one thread (the waiting caller's): connect, then read and
 * decode replies until the connection closes, calling the {@link Dialogue} on that thread only (so calls never
 * overlap). The same
 * guarantees as the Netty path's {@code DialogueBridge}, which this mirrors event for event:
 * <ul>
 *   <li>at most one {@code onFailure}, after the socket is closed; {@code onClosed} exactly once and last;</li>
 *   <li>replies are decoded one line at a time with core's bounded {@link ReplyDecoder} and delivered one by one,
 *       so when the dialogue starts TLS while handling a {@code 220}, the plain text that followed it in the same
 *       read is discarded (RFC 3207 §4.2), never delivered;</li>
 *   <li>a reply timer that expires with a partial line that is clearly another protocol is reported as
 *       {@code NOT_SMTP}; a peer that closes mid-line with such text likewise;</li>
 *   <li>the maximum lifetime ends the connection whatever it is doing.</li>
 * </ul>
 *
 * <p>Timers: the connect waits at most the connect timeout or what is left of the maximum lifetime, and each read
 * at most until the earliest armed deadline (reply timer, maximum lifetime), so a plain connection needs no other
 * thread. (A command is one short line: its write cannot block on a full socket buffer.) What a blocked call
 * cannot see is left to the engine's watchdog, which closes the socket and says why: a TLS handshake's timeout
 * and the maximum lifetime while it runs (a peer may trickle one), and a reply timer armed from another thread.
 *
 * <p>{@link #startTls} is honoured when called from a dialogue callback (as core does); called from another
 * thread, it waits for the current read to end.
 */
final class SocketConnection implements Link, Runnable {

    /** Looked up on first use: a healthy run logs nothing, so it never pays for initialising slf4j. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
    }
    private static final long NONE = Long.MAX_VALUE;
    /** One socket read; everything read is handed to the decoder at once, so this bounds the bytes held here. */
    private static final int READ_CHUNK = 2048;

    /** Why the watchdog closed the socket. */
    private enum Expiry { LIFETIME, HANDSHAKE, REPLY }

    private final ConnectRequest request;
    private final Dialogue dialogue;
    private final SocketEngine engine;
    private final RecordingSocket raw = new RecordingSocket();
    private final ReplyDecoder decoder = new ReplyDecoder();
    private final long startNanos = System.nanoTime();
    /**
     * Held while writing a command (a lock, not a monitor: a virtual thread blocked in a write under a monitor
     * pins its carrier on JDK 21 to 23).
     */
    private final ReentrantLock writeLock = new ReentrantLock();

    private volatile Thread ioThread;
    private volatile InputStream in;          // the socket's, or the TLS layer's once it is up
    private volatile OutputStream out;        // likewise
    private volatile SocketTls tlsLayer;      // once the handshake is done
    private volatile boolean connected;
    /** Kept once connected: a closed socket reports the wildcard address. */
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private volatile boolean closeRequested;
    private volatile Expiry expired;
    private volatile long replyDeadline = NONE;
    private volatile Duration replyTimeout;
    /** A failure found outside the I/O thread's own calls (a write from another thread): reported by it. */
    private volatile Throwable pendingFailure;
    private volatile TlsParameters pendingTls;
    private volatile boolean tlsStarted;
    private long handshakeDeadline = NONE;   // I/O thread only
    private boolean failureReported;         // I/O thread only
    private boolean closedReported;          // I/O thread only

    SocketConnection(ConnectRequest request, Dialogue dialogue, SocketEngine engine) {
        this.request = request;
        this.dialogue = dialogue;
        this.engine = engine;
    }

    @Override
    public void run() {
        ioThread = Thread.currentThread();
        // A blocked socket call does not see an interrupt: the watchdog looks for one and closes the socket under it.
        SocketEngine.watchInterrupts(this);
        try {
            if (connect()) {
                call(() -> dialogue.onConnected(this));
                if (request.implicitTls() != null && healthy()) {
                    handshake(request.implicitTls());
                }
                readLoop();
            }
            reportPending();
        } catch (RuntimeException e) {
            // A bug here must still end the dialogue; it is reported as the failure when none was.
            Log.LOG.warn("unexpected error on the connection to {}", request.remote(), e);
            fail(e);
        } finally {
            SocketEngine.unwatchInterrupts(this);
            closeSocket(true);
            engine.ended(this);
            if (!closedReported) {
                closedReported = true;
                call(dialogue::onClosed);
            }
        }
    }

    // ---- the running thread ----

    private boolean connect() {
        try {
            if (request.localAddress() != null) {
                raw.bind(new InetSocketAddress(request.localAddress(), 0));
            }
            long lifetimeLeft = lifetimeEnd() - System.nanoTime();
            boolean lifetimeFirst = lifetimeLeft < request.connectTimeout().toNanos();
            try {
                raw.connect(request.remote(), millis(Math.min(lifetimeLeft, request.connectTimeout().toNanos())));
            } catch (SocketTimeoutException e) {
                if (lifetimeFirst) {
                    fail(lifetimeExceeded(e)); // as on the event loops, where the lifetime timer fires first
                    return false;
                }
                throw e;
            }
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
            fail(failure(e, true));
            return false;
        }
    }

    private void readLoop() {
        byte[] buf = new byte[READ_CHUNK];
        List<SmtpReply> replies = new ArrayList<>(1);
        while (healthy()) {
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
                timedOut(e);
                continue;
            } catch (IOException e) {
                fail(failure(e, false));
                return;
            }
            if (n < 0) {
                peerClosed();
                return;
            }
            if (!decode(buf, n, replies)) {
                return;
            }
        }
    }

    /**
     * Reports what ended the connection while the I/O thread was not blocked on the socket (in a callback): a
     * failed write from another thread, or a watchdog's expiry.
     */
    private void reportPending() {
        if (failureReported) {
            return;
        }
        if (pendingFailure != null) {
            fail(pendingFailure);
        } else if (expired != null) {
            fail(failure(new java.net.SocketException("closed at a deadline"), false));
        }
    }

    /** Reads once, waiting at most until the earliest armed deadline. */
    private int read(byte[] buf) throws IOException {
        long until = Math.min(replyDeadline, lifetimeEnd());
        long wait = until - System.nanoTime();
        if (wait <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        raw.setSoTimeout(millis(wait));
        return in.read(buf, 0, buf.length);
    }

    /**
     * Hands the bytes to the decoder a line at a time and delivers each reply before looking at the next line.
     * Returns false when the connection is over.
     */
    private boolean decode(byte[] buf, int n, List<SmtpReply> replies) {
        int start = 0;
        while (start < n) {
            int lf = start;
            while (lf < n && buf[lf] != '\n') {
                lf++;
            }
            int length = lf < n ? lf - start + 1 : n - start;
            replies.clear();
            try {
                decoder.decode(ByteBuffer.wrap(buf, start, length), replies::add);
            } catch (SmtpProtocolException e) {
                fail(e);
                return false;
            }
            start += length;
            for (SmtpReply reply : replies) { // one line in gives at most one reply out
                replyDeadline = NONE; // each reply disarms the timer; the dialogue re-arms it
                call(() -> dialogue.onReply(reply));
            }
            if (!healthy()) {
                return false;
            }
            if (pendingTls != null) {
                return true; // what followed the reply in this read is plain text to discard: see handshake
            }
        }
        return true;
    }

    private void timedOut(SocketTimeoutException e) {
        long now = System.nanoTime();
        if (now - lifetimeEnd() >= 0) {
            fail(lifetimeExceeded(e));
        } else if (now - replyDeadline >= 0) {
            fail(replyTimerFired(e));
        }
        // Otherwise the read woke a little early (millisecond rounding): wait again.
    }

    private void peerClosed() {
        // The peer closed mid-line: when the partial input is recognisably another protocol, say so (a peer that
        // sends "hello" and hangs up is not an SMTP server that closed before its greeting).
        String other = decoder.describePartialInput();
        if (other != null) {
            fail(new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                    "peer speaks " + other + ", not SMTP (closed mid-line)"));
        }
    }

    private void handshake(TlsParameters tls) {
        // Plain text received before the handshake and not decoded yet is dropped (RFC 3207 §4.2): the rest of
        // the last read is never looked at again, and the decoder forgets its partial line.
        decoder.reset();
        long now = System.nanoTime();
        handshakeDeadline = now + tls.handshakeTimeout().toNanos();
        // The watchdog bounds the whole handshake, which the JDK runs in many reads: whichever limit comes first.
        Future<?> guard = handshakeDeadline - lifetimeEnd() < 0
                ? SocketEngine.watch(() -> expire(Expiry.HANDSHAKE), handshakeDeadline - now)
                : SocketEngine.watch(() -> expire(Expiry.LIFETIME), lifetimeEnd() - now);
        raw.startRecording();
        try {
            SocketTls layer = new SocketTls(engine.tls().newEngine(tls), raw);
            long until = Math.min(handshakeDeadline, Math.min(replyDeadline, lifetimeEnd()));
            raw.setSoTimeout(millis(Math.max(1, until - System.nanoTime())));
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
            handshakeDeadline = NONE;
            call(() -> dialogue.onTlsEstablished(session));
        } catch (SocketTimeoutException e) {
            if (System.nanoTime() - handshakeDeadline >= 0) {
                fail(handshakeTimedOut(e));
            } else {
                timedOut(e);
                if (healthy()) {
                    fail(handshakeTimedOut(e)); // woke early with the handshake half done: it cannot resume
                }
            }
        } catch (IOException e) {
            fail(handshakeFailure(e));
        } finally {
            guard.cancel(false);
            raw.stopRecording();
            handshakeDeadline = NONE;
        }
    }

    private long lifetimeEnd() {
        return startNanos + request.maxLifetime().toNanos();
    }

    // ---- Link (any thread) ----

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
    public void expectReply(Duration timeout) {
        requirePositive(timeout, "timeout");
        if (isOpen()) {
            arm(timeout);
        }
    }

    @Override
    public void send(String line, Duration replyTimeout) {
        Objects.requireNonNull(line, "line");
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            // Never echo the line: it may hold credentials.
            throw new IllegalArgumentException("line must not contain CR or LF");
        }
        requirePositive(replyTimeout, "replyTimeout");
        if (!isOpen()) {
            return;
        }
        arm(replyTimeout);
        // UTF-8 is US-ASCII for every command but SMTPUTF8 addresses (RFC 6531), which need UTF-8.
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            writeLock.lock();
            try {
                out.write(bytes);
                out.flush();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            if (pendingFailure == null) {
                pendingFailure = failure(e, false);
            }
            closeSocket(false); // the I/O thread sees the socket end and reports the failure
        }
    }

    @Override
    public void startTls(TlsParameters tls) {
        Objects.requireNonNull(tls, "tls");
        if (!isOpen()) {
            return;
        }
        if (tlsStarted) {
            if (pendingFailure == null) {
                pendingFailure = new IllegalStateException("startTls called on a connection already using TLS");
            }
            closeSocket(false);
            return;
        }
        tlsStarted = true;
        pendingTls = tls;
    }

    @Override
    public void close() {
        closeRequested = true;
        // Off the I/O thread, closing the socket is what wakes a blocked read; on it, the loop ends after the
        // callback, and the final close (with TLS close_notify) happens there.
        if (Thread.currentThread() != ioThread) {
            closeSocket(false);
        }
    }

    // ---- internals ----

    /** Arms the reply timer; from another thread the I/O thread may be blocked already, so the watchdog watches. */
    private void arm(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        replyTimeout = timeout;
        replyDeadline = deadline;
        if (Thread.currentThread() != ioThread) {
            SocketEngine.watch(() -> {
                if (replyDeadline == deadline) { // not disarmed or re-armed since
                    expire(Expiry.REPLY);
                }
            }, timeout.toNanos());
        }
    }

    /**
     * The running thread was interrupted (its caller gave up on the probe): closes the socket under whatever call
     * is blocked on it, as {@link #close()} from another thread does. The connection then ends with
     * {@code onClosed} and no failure: an interrupt says nothing about the network.
     */
    void closeIfInterrupted() {
        Thread t = ioThread;
        if (t != null && t.isInterrupted() && !closeRequested) {
            closeRequested = true;
            closeSocket(false);
        }
    }

    /** The watchdog's verdict: remembers why, and closes the socket under whatever call is blocked on it. */
    private void expire(Expiry why) {
        if (expired == null && !closeRequested) {
            expired = why;
            closeSocket(false);
        }
    }

    /** What an I/O exception means here: a watchdog's expiry, a close we asked for, or a socket error. */
    private Throwable failure(IOException e, boolean connecting) {
        Expiry why = expired;
        if (why == Expiry.LIFETIME) {
            return lifetimeExceeded(e);
        }
        if (why == Expiry.HANDSHAKE) {
            return handshakeTimedOut(e);
        }
        if (why == Expiry.REPLY) {
            return replyTimerFired(e);
        }
        if (pendingFailure != null) {
            return pendingFailure;
        }
        if (closeRequested) {
            return null; // closed by the dialogue or the transport: not a failure
        }
        return JdkSocketErrors.map(e, connecting, request.remote());
    }

    private Throwable handshakeFailure(IOException e) {
        if (expired != null || closeRequested || pendingFailure != null) {
            return failure(e, false);
        }
        if (e instanceof SSLException) {
            byte[] first = raw.recorded();
            if (first.length > 0 && !startsLikeTls(first)) {
                return JdkSocketErrors.withCause(new NotTlsException(first), e);
            }
            return e; // the JDK's TLS types with their causes (certificates, alerts), as on the Netty path
        }
        return JdkSocketErrors.map(e, false, request.remote());
    }

    /** A TLS record starts with a content type of 20 to 24 and major version 3 (RFC 8446 §5.1). */
    private static boolean startsLikeTls(byte[] b) {
        return b[0] >= 20 && b[0] <= 24 && (b.length < 2 || b[1] == 3);
    }

    private ReplyTimeoutException lifetimeExceeded(IOException e) {
        return JdkSocketErrors.withCause(new ReplyTimeoutException("connection exceeded its maximum lifetime of "
                + request.maxLifetime().toMillis() + " ms"), e);
    }

    private ReplyTimeoutException handshakeTimedOut(IOException e) {
        return JdkSocketErrors.withCause(
                new ReplyTimeoutException("TLS handshake timed out" + JdkSocketErrors.at(request.remote())), e);
    }

    private Exception replyTimerFired(IOException e) {
        Duration timeout = replyTimeout;
        ReplyTimeoutException timeoutException = JdkSocketErrors.withCause(new ReplyTimeoutException(
                "no reply within " + (timeout == null ? 0 : timeout.toMillis()) + " ms"), e);
        // Silence after a partial line that is clearly not SMTP says more than the timeout does.
        String other = decoder.describePartialInput();
        if (other != null) {
            SmtpProtocolException notSmtp = new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                    "peer speaks " + other + ", not SMTP (partial line, then silence)");
            notSmtp.addSuppressed(timeoutException);
            return notSmtp;
        }
        return timeoutException;
    }

    /** Closes the socket, then reports the failure, once; null means the end needs no failure. I/O thread only. */
    private void fail(Throwable cause) {
        closeSocket(false);
        if (cause == null) {
            return;
        }
        if (failureReported || closedReported) {
            Log.LOG.debug("dropping a failure after the first one on {}: {}", request.remote(), cause.toString());
            return;
        }
        failureReported = true;
        call(() -> dialogue.onFailure(cause));
    }

    private boolean healthy() {
        return !failureReported && !closeRequested && expired == null && pendingFailure == null && !raw.isClosed();
    }

    private boolean isOpen() {
        return connected && !closeRequested && expired == null && pendingFailure == null && !raw.isClosed()
                && !failureReported;
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

    /** Runs a dialogue callback; a dialogue that throws (a bug) ends the connection instead of hanging it. */
    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            Log.LOG.warn("the dialogue for {} threw; closing the connection", request.remote(), e);
            if (!failureReported && !closedReported) {
                fail(e);
            } else {
                closeSocket(false);
            }
        }
    }

    /** Nanoseconds as a socket timeout in milliseconds: rounded up, at least 1 (0 would mean forever). */
    private static int millis(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
