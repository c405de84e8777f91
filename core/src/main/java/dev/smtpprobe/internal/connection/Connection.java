package dev.smtpprobe.internal.connection;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.internal.LazyLogger;
import dev.smtpprobe.internal.Ticker;
import dev.smtpprobe.internal.proxy.ProxyHandshake;
import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportErrors;
import dev.smtpprobe.spi.TransportException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * The rules of one SMTP connection, on top of any transport's {@link Pipe}: the {@link PipeHandler} a transport
 * drives and the {@link Link} the {@link Dialogue} drives. A transport only moves bytes; everything below is here,
 * once:
 * <ul>
 *   <li>the dialogue receives {@code onConnected} at most once, replies, TLS events, at most one
 *       {@code onFailure} (the first failure wins, later ones are dropped), and last, exactly once,
 *       {@code onClosed};</li>
 *   <li>bytes are framed into replies with core's bounded {@link ReplyDecoder} one line at a time, each reply
 *       delivered before the next line is looked at, so plain text that followed the {@code 220} to STARTTLS in
 *       the same read is discarded (RFC 3207 §4.2), never delivered;</li>
 *   <li>the reply timer (each reply disarms it), the TLS handshake's and the maximum lifetime run as one task on the
 *       pipe's scheduler ({@link ConnectionTimer}); a reply
 *       timer that expires after a partial line that is clearly another protocol, or a peer that closes in the
 *       middle of such a line, is reported as {@link SmtpProtocolException.Kind#NOT_SMTP};</li>
 *   <li>a command with CR or LF is refused without echoing it (it may hold credentials);</li>
 *   <li>implicit TLS starts right after TCP connects (after the proxy exchange, when there is one).</li>
 * </ul>
 *
 * <p>With a {@link ProxyHandshake}, the exchange with the proxy runs first, bounded by the reply timer the dialogue
 * arms in {@code onConnected}; a proxy's {@link ProxyHandshake.Failed} is the connection's failure.
 *
 * <p>Handler calls come on the pipe's thread. {@link Link} methods may be called from any thread; the pipe's
 * methods they use are threadsafe, and the reply timer is kept under a lock never held while calling out.
 */
public final class Connection implements PipeHandler, Link {

    private static final LazyLogger log = new LazyLogger(Connection.class);

    private final ConnectRequest request;
    private final Dialogue dialogue;
    private final ReplyDecoder decoder = new ReplyDecoder();
    // The pipe's scheduler runs on the system's monotonic clock, so the lifetime is measured on the same one.
    private final long startNanos = Ticker.SYSTEM.read();
    private final boolean lifetimeBoundsConnect;
    private ProxyHandshake proxy;

    private volatile Pipe pipe;
    private volatile Thread callbackThread;
    private volatile boolean closeRequested;
    private volatile boolean failureReported;
    private volatile boolean closedReported;
    private volatile boolean tlsStarted;
    /** Set by startTls during a reply: the rest of the current input is plain text to drop. */
    private boolean discardRest;
    /** Guards the first failure's report. Never held while calling out. */
    private final Object failureLock = new Object();
    /** The reply, handshake and lifetime timeouts, on one task of the pipe's; set on connect. */
    private volatile ConnectionTimer timer;
    private volatile Duration replyTimeout;
    private volatile Duration handshakeTimeout;

    /**
     * @param request  where and how to connect
     * @param dialogue receives every event of the connection
     * @param proxy    the exchange with a proxy to run before SMTP, or {@code null} for a direct connection
     */
    public Connection(ConnectRequest request, Dialogue dialogue, ProxyHandshake proxy) {
        this.request = Objects.requireNonNull(request, "request");
        this.dialogue = Objects.requireNonNull(dialogue, "dialogue");
        this.proxy = proxy;
        this.lifetimeBoundsConnect = request.maxLifetime().compareTo(request.connectTimeout()) < 0;
    }

    /** Where and how this connection connects. */
    public ConnectRequest request() {
        return request;
    }

    /** The dialogue this connection drives. */
    public Dialogue dialogue() {
        return dialogue;
    }

    /** What the pipe connects to: the connect waits no longer than the maximum lifetime either. */
    public PipeRequest pipeRequest() {
        Duration connect = lifetimeBoundsConnect ? request.maxLifetime() : request.connectTimeout();
        return new PipeRequest(request.remote(), request.localAddress(), connect);
    }

    // ---- PipeHandler (the pipe's thread) ----

    @Override
    public void onConnected(Pipe pipe) {
        enter();
        try {
            this.pipe = pipe;
            ConnectionTimer t = new ConnectionTimer(pipe, () -> Thread.currentThread() == callbackThread,
                    this::expired, task -> inCallback(task).run());
            timer = t;
            Duration left = Duration.ofNanos(Math.max(1,
                    request.maxLifetime().toNanos() - (Ticker.SYSTEM.read() - startNanos)));
            // The lifetime and the greeting's timer the dialogue arms now become one task on the pipe.
            t.hold(() -> {
                t.arm(ConnectionTimer.Kind.LIFETIME, left);
                call(() -> dialogue.onConnected(this));
            });
            if (!isOpen()) {
                return;
            }
            if (proxy != null) {
                pipe.write(proxy.start());
            } else if (request.implicitTls() != null) {
                beginTls(request.implicitTls());
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        enter();
        try {
            if (proxy != null && !proxyStep(bytes)) {
                return;
            }
            decode(bytes);
        } finally {
            leave();
        }
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        enter();
        try {
            timer.disarm(ConnectionTimer.Kind.HANDSHAKE);
            decoder.reset();
            if (!failureReported) {
                call(() -> dialogue.onTlsEstablished(session));
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onError(TransportException error) {
        enter();
        try {
            if (closeRequested) {
                return; // closed by the dialogue: what the socket says next is not a failure
            }
            if (error.kind() == TransportException.Kind.CONNECT_TIMEOUT && lifetimeBoundsConnect) {
                fail(lifetimeExceeded(error)); // the connect waited the whole lifetime
            } else {
                fail(error);
            }
        } finally {
            leave();
        }
    }

    @Override
    public void onClosed() {
        enter();
        try {
            if (closedReported) {
                return;
            }
            // A peer that closes mid-line with text that is recognisably another protocol is not an SMTP server
            // that closed before its greeting.
            String other = failureReported || closeRequested || proxy != null ? null : decoder.describePartialInput();
            if (other != null) {
                fail(new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                        "peer speaks " + other + ", not SMTP (closed mid-line)"));
            }
            ConnectionTimer t = timer;
            if (t != null) {
                t.stop();
            }
            closedReported = true;
            call(dialogue::onClosed);
        } finally {
            leave();
        }
    }

    // ---- Link (any thread) ----

    @Override
    public InetSocketAddress localAddress() {
        Pipe p = pipe;
        return p == null ? null : p.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Pipe p = pipe;
        InetSocketAddress r = p == null ? null : p.remoteAddress();
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
        // UTF-8 is US-ASCII for every command but SMTPUTF8 addresses (RFC 6531), which need UTF-8.
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(text, text.length + 2);
        bytes[text.length] = '\r';
        bytes[text.length + 1] = '\n';
        if (isOpen()) {
            arm(replyTimeout);
            pipe.write(bytes);
        }
    }

    @Override
    public void startTls(TlsParameters tls) {
        Objects.requireNonNull(tls, "tls");
        if (!isOpen()) {
            return;
        }
        if (tlsStarted) {
            fail(new IllegalStateException("startTls called on a connection already using TLS"));
            return;
        }
        discardRest = true;
        beginTls(tls);
    }

    @Override
    public void close() {
        closeRequested = true;
        Pipe p = pipe;
        if (p != null) {
            p.close();
        }
    }

    /** Bytes of a partial line held by the decoder now (for tests of its bounds). */
    int bufferedBytes() {
        return decoder.bufferedBytes();
    }

    // ---- internals (the pipe's thread) ----

    /** Runs the proxy exchange on {@code bytes}; true when the tunnel is open and bytes are left for SMTP. */
    private boolean proxyStep(ByteBuffer bytes) {
        while (isOpen()) {
            ProxyHandshake.Step step = proxy.onBytes(bytes);
            if (step instanceof ProxyHandshake.Send send) {
                pipe.write(send.bytes());
                if (bytes.hasRemaining()) {
                    continue; // the proxy's next answer may already be here
                }
            } else if (step instanceof ProxyHandshake.Failed failed) {
                fail(failed.failure());
            } else if (step instanceof ProxyHandshake.Done) {
                proxy = null;
                if (request.implicitTls() != null) {
                    beginTls(request.implicitTls()); // nothing the target sent can precede our ClientHello
                    return false;
                }
                return bytes.hasRemaining();
            }
            return false;
        }
        return false;
    }

    /** Hands the bytes to the decoder a line at a time and delivers each reply before looking at the next line. */
    private void decode(ByteBuffer bytes) {
        discardRest = false;
        List<SmtpReply> replies = new ArrayList<>(1);
        while (bytes.hasRemaining() && !failureReported && !closeRequested && !discardRest) {
            ByteBuffer line = bytes.slice();
            int lf = 0;
            while (lf < line.remaining() && line.get(lf) != '\n') {
                lf++;
            }
            int length = Math.min(line.remaining(), lf + 1);
            line.limit(length);
            bytes.position(bytes.position() + length);
            replies.clear();
            try {
                decoder.decode(line, replies::add);
            } catch (SmtpProtocolException e) {
                fail(e);
                return;
            }
            for (SmtpReply reply : replies) { // one line in gives at most one reply out
                disarm(); // each reply disarms the timer; the dialogue re-arms it
                call(() -> dialogue.onReply(reply));
            }
        }
    }

    private void beginTls(TlsParameters tls) {
        tlsStarted = true;
        if (Thread.currentThread() == callbackThread) {
            // Plain text received before the handshake is dropped (RFC 3207 §4.2). From another thread the decoder
            // is the pipe thread's until the pipe stops delivering plain text: it is reset once TLS is up.
            decoder.reset();
        }
        handshakeTimeout = tls.handshakeTimeout();
        timer.arm(ConnectionTimer.Kind.HANDSHAKE, tls.handshakeTimeout());
        pipe.startTls(tls);
    }

    /** Arms the reply timer; any thread. */
    private void arm(Duration timeout) {
        replyTimeout = timeout;
        timer.arm(ConnectionTimer.Kind.REPLY, timeout);
    }

    private void disarm() {
        ConnectionTimer t = timer;
        if (t != null) {
            t.disarm(ConnectionTimer.Kind.REPLY);
        }
    }

    /** What the one timer found due, on the pipe's thread. */
    private void expired(ConnectionTimer.Kind kind) {
        switch (kind) {
            case LIFETIME -> fail(lifetimeExceeded(null));
            case HANDSHAKE -> fail(handshakeTimedOut(handshakeTimeout));
            case REPLY -> replyTimerFired();
        }
    }

    private void replyTimerFired() {
        ReplyTimeoutException timeout = new ReplyTimeoutException("no reply within "
                + (replyTimeout == null ? 0 : replyTimeout.toMillis()) + " ms");
        // Silence after a partial line that is clearly not SMTP says more than the timeout does.
        String other = proxy == null ? decoder.describePartialInput() : null;
        if (other != null) {
            SmtpProtocolException notSmtp = new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                    "peer speaks " + other + ", not SMTP (partial line, then silence)");
            notSmtp.addSuppressed(timeout);
            fail(notSmtp);
        } else {
            fail(timeout);
        }
    }

    /** A handshake cut short by its timer: a timeout, caused by the handshake that did not complete. */
    private ReplyTimeoutException handshakeTimedOut(Duration timeout) {
        ReplyTimeoutException e = new ReplyTimeoutException("TLS handshake timed out"
                + TransportErrors.at(request.remote()));
        e.initCause(new SSLHandshakeException("handshake not completed within " + timeout.toMillis() + " ms"));
        return e;
    }

    private ReplyTimeoutException lifetimeExceeded(Throwable cause) {
        ReplyTimeoutException e = new ReplyTimeoutException("connection exceeded its maximum lifetime of "
                + request.maxLifetime().toMillis() + " ms");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** Closes the pipe, then reports the failure, once: the first failure wins. */
    private void fail(Throwable cause) {
        Pipe p = pipe;
        if (p != null) {
            p.close();
        }
        synchronized (failureLock) {
            if (failureReported || closedReported) {
                log.get().debug("dropping a failure after the first one on {}: {}", request.remote(), cause.toString());
                return;
            }
            failureReported = true;
        }
        call(() -> dialogue.onFailure(cause));
    }

    private boolean isOpen() {
        return pipe != null && !closeRequested && !failureReported && !closedReported;
    }

    /** Runs a dialogue callback; a dialogue that throws (a bug) ends the connection instead of hanging it. */
    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.get().warn("the dialogue for {} threw; closing the connection", request.remote(), e);
            if (!failureReported && !closedReported) {
                fail(e);
            } else if (pipe != null) {
                pipe.close();
            }
        }
    }

    private Runnable inCallback(Runnable task) {
        return () -> {
            enter();
            try {
                task.run();
            } finally {
                leave();
            }
        };
    }

    private void enter() {
        callbackThread = Thread.currentThread();
    }

    private void leave() {
        callbackThread = null;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
