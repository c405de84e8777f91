package dev.smtpprobe.netty.internal;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.ReplyTimeoutException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The connection's two timers: the reply timer ({@link #arm}, set by {@code Link.expectReply}/{@code send},
 * disarmed by each reply passing through) and the {@code maxLifetime} hard limit, started when the handler is
 * added (before the connect, so it bounds the connect as well).
 *
 * <p>When a timer fires it raises a {@link ReplyTimeoutException} through the pipeline; the dialogue bridge
 * behind this handler closes the channel and reports it. Both timers are cancelled when the channel goes
 * inactive or the handler is removed, so none outlives the connection. All methods run on the channel's event
 * loop.
 */
public final class ReplyTimer extends ChannelInboundHandlerAdapter {

    private final Duration maxLifetime;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> replyTimer;
    private ScheduledFuture<?> lifetimeTimer;
    private boolean stopped;

    public ReplyTimer(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lifetimeTimer = ctx.executor().schedule(
                () -> fire(new ReplyTimeoutException("connection exceeded its maximum lifetime of "
                        + maxLifetime.toMillis() + " ms")),
                maxLifetime.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts (or restarts) the reply timer. */
    public void arm(Duration timeout) {
        if (stopped) {
            return;
        }
        disarm();
        replyTimer = ctx.executor().schedule(
                () -> fire(new ReplyTimeoutException("no reply within " + timeout.toMillis() + " ms")),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the reply timer is running. */
    public boolean isArmed() {
        return replyTimer != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SmtpReply) {
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void fire(ReplyTimeoutException timeout) {
        if (stopped) {
            return;
        }
        stop();
        ctx.fireExceptionCaught(timeout);
    }

    private void disarm() {
        if (replyTimer != null) {
            replyTimer.cancel(false);
            replyTimer = null;
        }
    }

    private void stop() {
        stopped = true;
        disarm();
        if (lifetimeTimer != null) {
            lifetimeTimer.cancel(false);
            lifetimeTimer = null;
        }
    }
}
