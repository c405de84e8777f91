package dev.smtpprobe.netty.internal;

import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportErrors;
import dev.smtpprobe.spi.TransportException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Pipe} on a Netty channel, and the only handler of its pipeline until TLS starts: it hands the bytes
 * it reads to the {@link PipeHandler} and knows nothing of SMTP. Once {@link #startTls} is called, the pipeline is,
 * head (socket) to tail: TLS first-bytes recorder, {@code SslHandler}, this handler: TLS sits in front because
 * every byte must be decrypted before the handler sees it, and the recorder in front of TLS keeps what the peer
 * sent in answer to the ClientHello, for {@link dev.smtpprobe.spi.NotTlsException}.
 *
 * <p>What it guarantees the handler: every call on the channel's event loop (so calls never overlap, and timers of
 * {@link #schedule} run there too), except for a channel that could not even be registered, where nothing else can
 * run; {@code onConnected} at most once; at most one {@code onError}, after which the channel is closed (later
 * errors, such as an {@code SslHandler} complaining while closing, are dropped), none after {@link #close};
 * {@code onClosed} exactly once and last, from {@code channelUnregistered}, the final event of every channel that
 * was registered, whether or not it ever connected. Bytes are handed over as a {@link ByteBuffer} view of Netty's
 * buffer, valid during the call only; the buffer is released right after, whatever the handler does.
 */
public final class ChannelPipe extends ChannelInboundHandlerAdapter implements Pipe {

    private static final Logger log = LoggerFactory.getLogger(ChannelPipe.class);
    private static final Runnable NOTHING = () -> { };

    static final String TLS = "tls";
    static final String TLS_FIRST_BYTES = "tls-first-bytes";

    private final PipeRequest request;
    private final PipeHandler handler;
    private final TlsHandlers tlsHandlers;

    private volatile Channel channel;
    private volatile boolean closeRequested;
    // The event loop's only.
    private boolean connected;
    private boolean tlsStarted;
    private boolean errorReported;
    private boolean closedReported;
    private TlsFirstBytes firstBytes;

    public ChannelPipe(PipeRequest request, PipeHandler handler, TlsHandlers tlsHandlers) {
        this.request = request;
        this.handler = handler;
        this.tlsHandlers = tlsHandlers;
    }

    /** Called from the channel initializer, before any event of the channel. */
    public void attach(Channel channel) {
        this.channel = channel;
    }

    /**
     * Listener of the connect promise, added before the connect starts, so it runs before the failed channel is
     * closed: a failed connect is reported here, as a connect error.
     */
    public void connectDone(ChannelFuture future) {
        if (!future.isSuccess() && !closeRequested) {
            report(classify(future.cause(), true));
        }
    }

    /** Ends a pipe whose channel never existed: an error, then {@code onClosed}, on the calling thread. */
    public void failUnregistered(Throwable cause) {
        if (closedReported) {
            return;
        }
        closedReported = true;
        errorReported = true;
        safely(() -> handler.onError(classify(cause, true)));
        safely(handler::onClosed);
    }

    // ---- pipeline events (the event loop) ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected = true;
        safely(() -> handler.onConnected(this));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf && !errorReported && !closeRequested && buf.isReadable()) {
                deliver(buf);
            }
        } finally {
            ReferenceCountUtil.release(msg); // whatever the handler did with the view, the buffer is ours to free
        }
    }

    /** Hands the readable bytes over as views of the buffer, one component at a time (most buffers have one). */
    private void deliver(ByteBuf buf) {
        boolean plain = !tlsStarted;
        for (ByteBuffer part : buf.nioBuffers(buf.readerIndex(), buf.readableBytes())) {
            safely(() -> handler.onBytes(part));
            if (errorReported || closeRequested || plain && tlsStarted) {
                return; // startTls during the call: the rest of this plain text is dropped (RFC 3207 §4.2)
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            removeFirstBytes(ctx);
            if (done.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (!errorReported && !closeRequested && ssl != null) {
                    safely(() -> handler.onTlsEstablished(ssl.engine().getSession()));
                }
            } else if (!closeRequested) {
                report(TransportErrors.classify(
                        SocketErrors.mapHandshakeFailure(done.cause(), request.remote(), this::firstBytes), false,
                        request.remote()));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt); // not ours: the pipeline's tail releases it
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closeRequested) {
            report(classify(cause, !connected));
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        if (!closedReported) {
            closedReported = true;
            safely(handler::onClosed);
        }
        ctx.fireChannelUnregistered();
    }

    // ---- Pipe (any thread) ----

    @Override
    public InetSocketAddress localAddress() {
        Channel ch = channel;
        return ch == null ? null : (InetSocketAddress) ch.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        Channel ch = channel;
        InetSocketAddress r = ch == null ? null : (InetSocketAddress) ch.remoteAddress();
        return r != null ? r : request.remote();
    }

    @Override
    public void write(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Channel ch = channel;
        if (ch == null || closeRequested || !ch.isActive()) {
            return;
        }
        // Copied: the caller may reuse its array, and the write may complete later on the event loop.
        ch.writeAndFlush(Unpooled.copiedBuffer(bytes)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && !closeRequested) {
                report(classify(f.cause(), false));
            }
        });
    }

    @Override
    public void startTls(TlsParameters tls) {
        Objects.requireNonNull(tls, "tls");
        onLoop(() -> {
            if (closeRequested || errorReported || tlsStarted || !channel.isActive()) {
                return;
            }
            SslHandler ssl;
            try {
                ssl = tlsHandlers.newHandler(channel.alloc(), tls);
            } catch (Exception e) {
                report(TransportErrors.classify(e, false, request.remote()));
                return;
            }
            tlsStarted = true;
            // At the head: TLS must see the raw bytes before the handler does; the recorder in front of it sees
            // what the peer sent in answer to our ClientHello.
            firstBytes = new TlsFirstBytes();
            channel.pipeline().addFirst(TLS, ssl);
            channel.pipeline().addFirst(TLS_FIRST_BYTES, firstBytes);
        });
    }

    @Override
    public Runnable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Channel ch = channel;
        if (ch == null) {
            return NOTHING;
        }
        ScheduledFuture<?> future;
        try {
            future = ch.eventLoop().schedule(() -> {
                if (!closedReported) {
                    safely(task);
                }
            }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down: it closes the channel, and the handler hears onClosed.
            log.debug("event loop shut down; not scheduling a task on the pipe to {}", request.remote());
            return NOTHING;
        }
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        closeRequested = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- internals ----

    private void removeFirstBytes(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(TLS_FIRST_BYTES) != null) {
            ctx.pipeline().remove(TLS_FIRST_BYTES);
        }
    }

    private byte[] firstBytes() {
        TlsFirstBytes recorder = firstBytes;
        return recorder == null ? new byte[0] : recorder.firstBytes();
    }

    /** Netty's, NIO's or epoll's exception as the SPI's typed error; the original is kept as the cause. */
    private TransportException classify(Throwable cause, boolean connecting) {
        return TransportErrors.classify(SocketErrors.map(cause, connecting, request.remote(), this::firstBytes),
                connecting, request.remote());
    }

    /** Closes the channel, then reports the error, once. The event loop only. */
    private void report(TransportException error) {
        Channel ch = channel;
        if (ch != null) {
            ch.close(); // channelUnregistered, hence onClosed, comes in a later event loop task
        }
        if (errorReported || closedReported) {
            log.debug("dropping an error after the first one on {}: {}", request.remote(), error.toString());
            return;
        }
        errorReported = true;
        safely(() -> handler.onError(error));
    }

    /** A handler must not throw; one that does (a bug) ends the connection instead of hanging it. */
    private void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("the handler of the pipe to {} threw; closing the connection", request.remote(), e);
            Channel ch = channel;
            if (ch != null) {
                ch.close();
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
                log.debug("event loop shut down; ignoring startTls on the pipe to {}", request.remote());
            }
        }
    }
}
