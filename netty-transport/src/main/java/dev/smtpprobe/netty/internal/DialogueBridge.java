package dev.smtpprobe.netty.internal;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.ConnectRequest;
import dev.smtpprobe.spi.Dialogue;
import dev.smtpprobe.spi.Link;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportErrors;
import dev.smtpprobe.spi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the pipeline: the {@link Link} handed to core and the only caller of the {@link Dialogue}.
 *
 * <p>Guarantees of the SPI, kept here in one place:
 * <ul>
 *   <li>every {@code Dialogue} call runs on the channel's event loop (so calls never overlap), except when the
 *       channel could not even be registered, where nothing else can run;</li>
 *   <li>at most one {@code onFailure}: on the first failure the channel is closed, then the failure reported;
 *       later errors (an {@code SslHandler} complaining while closing, a timer racing the close) are dropped;</li>
 *   <li>{@code onClosed} exactly once and last, from {@code channelUnregistered}, the final event of every
 *       channel that was registered, whether or not it ever connected, so it comes after the decoder's
 *       end-of-input check and after any failure.</li>
 * </ul>
 * {@code Link} methods may be called from any thread; they hop onto the event loop and are ignored once the
 * connection is closing. {@link #startTls} discards exactly the plain text that followed the {@code 220} when it
 * is called from within {@code onReply} (as core does): called later from another thread, replies decoded in
 * between have already been delivered.
 */
public final class DialogueBridge extends ChannelInboundHandlerAdapter implements Link {

    private static final Logger log = LoggerFactory.getLogger(DialogueBridge.class);
    private static final byte[] CRLF = {'\r', '\n'};

    static final String TLS = "tls";
    static final String TLS_FIRST_BYTES = "tls-first-bytes";

    private final ConnectRequest request;
    private final Dialogue dialogue;
    private final TlsHandlers tlsHandlers;
    private final ReplyFrameDecoder decoder;
    private final ReplyTimer timer;

    // Written on the event loop only (channel is set once, before registration completes).
    private volatile Channel channel;
    private boolean connected;
    private boolean tlsStarted;
    private TlsFirstBytes firstBytes;
    private volatile boolean failureReported;
    private boolean closedReported;

    public DialogueBridge(ConnectRequest request, Dialogue dialogue, TlsHandlers tlsHandlers,
                          ReplyFrameDecoder decoder, ReplyTimer timer) {
        this.request = request;
        this.dialogue = dialogue;
        this.tlsHandlers = tlsHandlers;
        this.decoder = decoder;
        this.timer = timer;
    }

    /** Called from the channel initializer, before any event of the channel. */
    public void attach(Channel channel) {
        this.channel = channel;
    }

    /**
     * Listener of the connect promise, added before the connect starts, so it runs before the failed channel is
     * closed: a failed connect is reported here, mapped as a connect error.
     */
    public void connectDone(ChannelFuture future) {
        if (!future.isSuccess()) {
            fail(typed(SocketErrors.map(future.cause(), true, request.remote(), this::firstBytes), true));
        }
    }

    /** Ends a dialogue whose channel never existed. */
    public void failUnregistered(Throwable cause) {
        synchronized (this) {
            if (closedReported) {
                return;
            }
            closedReported = true;
            failureReported = true;
        }
        call(() -> dialogue.onFailure(typed(SocketErrors.map(cause, true, request.remote(), this::firstBytes), true)));
        call(dialogue::onClosed);
    }

    // ---- pipeline events ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected = true;
        call(() -> dialogue.onConnected(this));
        if (request.implicitTls() != null && !failureReported && ctx.channel().isActive()) {
            beginTls(request.implicitTls(), false);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SmtpReply) {
            if (!failureReported) {
                call(() -> dialogue.onReply((SmtpReply) msg));
            }
        } else {
            ReferenceCountUtil.release(msg); // nothing else is expected here; never leak it
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                removeFirstBytes(ctx);
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (!failureReported && ssl != null) {
                    call(() -> dialogue.onTlsEstablished(ssl.engine().getSession()));
                }
            } else {
                fail(typed(SocketErrors.mapHandshakeFailure(done.cause(), request.remote(), this::firstBytes), false));
                removeFirstBytes(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt); // not ours: the pipeline's tail releases it
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReplyTimeoutException) {
            // Silence after a partial line that is clearly not SMTP says more than the timeout does.
            String other = decoder.describePartialInput();
            if (other != null) {
                SmtpProtocolException notSmtp = new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                        "peer speaks " + other + ", not SMTP (partial line, then silence)");
                notSmtp.addSuppressed(cause);
                fail(notSmtp);
                return;
            }
        }
        fail(map(cause));
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        if (!closedReported) {
            closedReported = true;
            call(dialogue::onClosed);
        }
        ctx.fireChannelUnregistered();
    }

    // ---- Link ----

    @Override
    public InetSocketAddress localAddress() {
        Channel ch = channel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Channel ch = channel;
        return ch == null ? request.remote() : (InetSocketAddress) ch.remoteAddress();
    }

    @Override
    public void expectReply(Duration timeout) {
        requirePositive(timeout, "timeout");
        onLoop(() -> {
            if (isOpen()) {
                timer.arm(timeout);
            }
        });
    }

    @Override
    public void send(String line, Duration replyTimeout) {
        Objects.requireNonNull(line, "line");
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            // Never echo the line: it may hold credentials.
            throw new IllegalArgumentException("line must not contain CR or LF");
        }
        requirePositive(replyTimeout, "replyTimeout");
        onLoop(() -> {
            if (!isOpen()) {
                return;
            }
            timer.arm(replyTimeout);
            Channel ch = channel;
            ByteBuf buf = ch.alloc().buffer(line.length() + 2);
            // UTF-8 is US-ASCII for every command but SMTPUTF8 addresses (RFC 6531), which need UTF-8.
            buf.writeCharSequence(line, StandardCharsets.UTF_8);
            buf.writeBytes(CRLF);
            ch.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    fail(map(f.cause()));
                }
            });
        });
    }

    @Override
    public void startTls(TlsParameters tls) {
        Objects.requireNonNull(tls, "tls");
        onLoop(() -> {
            if (!isOpen()) {
                return;
            }
            if (tlsStarted) {
                fail(new IllegalStateException("startTls called on a connection already using TLS"));
                return;
            }
            beginTls(tls, true);
        });
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- internals ----

    private void beginTls(TlsParameters tls, boolean discardPlainText) {
        tlsStarted = true;
        if (discardPlainText) {
            decoder.discardBuffered();
        }
        SslHandler ssl;
        try {
            ssl = tlsHandlers.newHandler(channel.alloc(), tls);
        } catch (Exception e) {
            fail(e);
            return;
        }
        // TLS sits at the head: it must see the raw bytes before the reply decoder sees plain text. The byte
        // recorder goes in front of it so it sees what the peer sent in answer to our ClientHello.
        firstBytes = new TlsFirstBytes();
        channel.pipeline().addFirst(TLS, ssl);
        channel.pipeline().addFirst(TLS_FIRST_BYTES, firstBytes);
    }

    private void removeFirstBytes(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(TLS_FIRST_BYTES) != null) {
            ctx.pipeline().remove(TLS_FIRST_BYTES);
        }
    }

    private byte[] firstBytes() {
        TlsFirstBytes recorder = firstBytes;
        return recorder == null ? new byte[0] : recorder.firstBytes();
    }

    private Throwable map(Throwable cause) {
        return typed(SocketErrors.map(cause, !connected, request.remote(), this::firstBytes), !connected);
    }

    /**
     * A socket or TLS failure as the typed {@link TransportException} core classifies; timers, undecodable input and
     * anything that is not an I/O failure stay as they are.
     */
    private Throwable typed(Throwable mapped, boolean connecting) {
        if (mapped instanceof ReplyTimeoutException || mapped instanceof SmtpProtocolException
                || !(mapped instanceof java.io.IOException)) {
            return mapped;
        }
        return TransportErrors.classify(mapped, connecting, request.remote());
    }

    /** Closes the channel, then reports the failure, once. Runs on the event loop. */
    private void fail(Throwable cause) {
        if (failureReported || closedReported) {
            log.debug("dropping a failure after the first one on {}: {}", request.remote(), cause.toString());
            if (channel != null) {
                channel.close();
            }
            return;
        }
        failureReported = true;
        if (channel != null) {
            channel.close(); // channelUnregistered, hence onClosed, always comes in a later event loop task
        }
        call(() -> dialogue.onFailure(cause));
    }

    private boolean isOpen() {
        Channel ch = channel;
        return ch != null && ch.isActive() && !failureReported && !closedReported;
    }

    /** Runs a dialogue callback; a dialogue that throws (a bug) ends the connection instead of hanging it. */
    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("the dialogue for {} threw; closing the connection", request.remote(), e);
            if (!failureReported && !closedReported) {
                fail(e);
            } else if (channel != null) {
                channel.close();
            }
        }
    }

    private void onLoop(Runnable task) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            task.run();
        } else {
            try {
                ch.eventLoop().execute(task);
            } catch (RejectedExecutionException e) {
                log.debug("event loop shut down; ignoring a call on the link to {}", request.remote());
            }
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
