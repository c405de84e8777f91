package dev.smtpprobe.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Event loop groups for the transport: the lazily created process-wide default, and dedicated ones.
 *
 * <p>Every thread is a daemon: a probe run from {@code main} must never keep the JVM alive after {@code main}
 * returns, and a probe library has nothing to flush at exit. Threadsafe.
 */
public final class EventLoops {

    /** Probes are I/O bound and short; TLS handshakes are the only CPU work. A few threads are plenty. */
    static final int DEFAULT_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final Object LOCK = new Object();
    private static EventLoopGroup shared;

    private EventLoops() {
    }

    /** The shared default group, created on first use and again after {@link #shutdownShared}. */
    public static EventLoopGroup shared() {
        synchronized (LOCK) {
            if (shared == null || shared.isShuttingDown()) {
                shared = newGroup(DEFAULT_THREADS, "smtp-probe-netty");
            }
            return shared;
        }
    }

    /**
     * Shuts the shared default group down (closing its connections) and waits up to {@code waitMillis} for its
     * threads to end. Returns whether they ended. A no-op when the group was never created.
     */
    public static boolean shutdownShared(long waitMillis) {
        EventLoopGroup group;
        synchronized (LOCK) {
            group = shared;
            shared = null;
        }
        return group == null || shutdown(group, waitMillis);
    }

    /** A new group of {@code threads} daemon threads named {@code name-N-M}. */
    public static EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                NioIoHandler.newFactory());
    }

    /** Shuts {@code group} down at once (no quiet period) and waits up to {@code waitMillis}, unless on it. */
    public static boolean shutdown(EventLoopGroup group, long waitMillis) {
        group.shutdownGracefully(0, waitMillis, TimeUnit.MILLISECONDS);
        for (var executor : group) {
            if (executor.inEventLoop()) {
                return false; // waiting for our own thread to end would wait forever
            }
        }
        return group.terminationFuture().awaitUninterruptibly(waitMillis);
    }

    /**
     * The socket channel type that runs on {@code group}.
     *
     * @throws IllegalArgumentException when the group is not one this transport can use
     */
    public static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup && ((IoEventLoopGroup) group).isIoType(NioIoHandler.class)) {
            return NioSocketChannel.class;
        }
        throw new IllegalArgumentException("group must run NioIoHandler (MultiThreadIoEventLoopGroup with "
                + "NioIoHandler.newFactory()): " + group.getClass().getName());
    }
}
