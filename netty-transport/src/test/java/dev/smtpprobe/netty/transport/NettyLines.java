package dev.smtpprobe.netty.transport;

import dev.smtpprobe.netty.internal.EventLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.local.LocalEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/**
 * Event loop groups made the way an application on the running Netty line makes them: on 4.2 with its I/O handler
 * API, on 4.1 with its group classes (which 4.2 deprecates); the line is the one the transport detected
 * ({@link EventLoops#ioHandlerApi()}, which {@link NettyLineTest} checks against the build's Netty). The suite runs
 * on both lines ({@code -Pnetty41}); each API is referenced only from a nested class, so a 4.1 class path never
 * loads a 4.2-only type.
 */
public final class NettyLines {

    private NettyLines() {
    }

    /** A NIO group of daemon threads. */
    public static EventLoopGroup nio(int threads, String name) {
        ThreadFactory factory = new DefaultThreadFactory(name, true);
        return EventLoops.ioHandlerApi() ? Api42.nio(threads, factory) : Api41.nio(threads, factory);
    }

    /** An epoll group of daemon threads (the native library must load). */
    public static EventLoopGroup epoll(int threads, String name) {
        ThreadFactory factory = new DefaultThreadFactory(name, true);
        return EventLoops.ioHandlerApi() ? Api42.epoll(threads, factory) : Api41.epoll(threads, factory);
    }

    /** An in-VM ("local") group: one that runs neither NIO nor epoll. */
    public static EventLoopGroup local(int threads) {
        return EventLoops.ioHandlerApi() ? Api42.local(threads) : Api41.local(threads);
    }

    private static final class Api42 {
        static EventLoopGroup nio(int threads, ThreadFactory factory) {
            return new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
        }

        static EventLoopGroup epoll(int threads, ThreadFactory factory) {
            return new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory());
        }

        static EventLoopGroup local(int threads) {
            return new MultiThreadIoEventLoopGroup(threads, LocalIoHandler.newFactory());
        }
    }

    @SuppressWarnings("deprecation")
    private static final class Api41 {
        static EventLoopGroup nio(int threads, ThreadFactory factory) {
            return new NioEventLoopGroup(threads, factory);
        }

        static EventLoopGroup epoll(int threads, ThreadFactory factory) {
            return new EpollEventLoopGroup(threads, factory);
        }

        static EventLoopGroup local(int threads) {
            return new LocalEventLoopGroup(threads);
        }
    }
}
