package dev.smtpprobe.netty.internal;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Event loop groups for the transport: the lazily created process-wide default, and dedicated ones.
 *
 * <p>Netty 4.2 and 4.1 make groups differently: 4.2 has one group class that runs an I/O handler
 * ({@code MultiThreadIoEventLoopGroup} with {@code NioIoHandler}), 4.1 has a group class per transport
 * ({@code NioEventLoopGroup}). Which API is used is decided once, by whether 4.2's {@code IoHandlerFactory} is on
 * the class path; each API is referenced only from a nested class of its own ({@link Io42}, {@link Loops41}), so
 * the JVM never loads a type of the other version (an application on Netty 4.1 has no {@code NioIoHandler}).
 *
 * <p>Groups made here run Java NIO unless the system property {@value #EPOLL_PROPERTY}{@code =true} is set and
 * {@code netty-transport-native-epoll} (with its platform classifier) is on the class path and loads. NIO is the
 * default on purpose, even where epoll is available: Netty's epoll reports EHOSTUNREACH and ENETUNREACH alike as a
 * {@code NoRouteToHostException} without the errno, so "network unreachable" could not be told from "no route to
 * host"; NIO keeps them apart, and a probe makes too few connections for epoll to pay off.
 *
 * <p>Every thread is a daemon: a probe run from {@code main} must never keep the JVM alive after {@code main}
 * returns, and a probe library has nothing to flush at exit. Threadsafe.
 */
public final class EventLoops {

    /** System property that turns native epoll on (when its library is present). */
    public static final String EPOLL_PROPERTY = "smtpprobe.netty.epoll";

    /** Probes are I/O bound and short; TLS handshakes are the only CPU work. A few threads are plenty. */
    static final int DEFAULT_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /** Whether Netty 4.2's I/O handler API is present; Netty 4.1's event loop classes are used otherwise. */
    private static final boolean IO_HANDLERS = present("io.netty.channel.IoHandlerFactory");

    private static final Object LOCK = new Object();
    private static EventLoopGroup shared;

    private EventLoops() {
    }

    /** Whether new groups use native epoll. */
    public static boolean nativeEpoll() {
        return NativeEpoll.AVAILABLE;
    }

    /** Whether groups are made with Netty 4.2's I/O handler API ({@code false}: Netty 4.1's group classes). */
    public static boolean ioHandlerApi() {
        return IO_HANDLERS;
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

    /** A new group of {@code threads} daemon threads named {@code name-N-M}: NIO, or epoll when turned on. */
    public static EventLoopGroup newGroup(int threads, String name) {
        ThreadFactory factory = new DefaultThreadFactory(name, true);
        boolean epoll = NativeEpoll.AVAILABLE;
        return IO_HANDLERS ? Io42.newGroup(threads, factory, epoll) : Loops41.newGroup(threads, factory, epoll);
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
     * What makes {@code type}'s channels: for NIO its constructor, not reflection (a per-connection cost). Here,
     * not in the transport, so verifying the transport's class loads none of these types: a transport used only
     * by blocking callers never loads Netty's channel classes.
     */
    public static ChannelFactory<? extends SocketChannel> channelFactory(Class<? extends SocketChannel> type) {
        return type == NioSocketChannel.class ? NioSocketChannel::new : new ReflectiveChannelFactory<>(type);
    }

    /** The socket channel type that runs on the groups {@link #newGroup} makes: NIO, or epoll when turned on. */
    public static Class<? extends SocketChannel> socketChannelForNewGroups() {
        return NativeEpoll.AVAILABLE ? NativeEpoll.channel() : NioSocketChannel.class;
    }

    /**
     * The socket channel type that runs on {@code group}. On Netty 4.2 this costs a turn of the group's round-robin
     * {@code next()} (Netty's {@code IoEventLoopGroup.isIoType} asks one of its loops): call it once per group, not
     * per connection.
     *
     * @throws IllegalArgumentException when the group is not one this transport can use
     */
    public static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
        Class<? extends SocketChannel> type = IO_HANDLERS ? Io42.socketChannelFor(group)
                : Loops41.socketChannelFor(group);
        if (type == null) {
            throw new IllegalArgumentException("group must run NIO or epoll (on Netty 4.2 a "
                    + "MultiThreadIoEventLoopGroup with NioIoHandler.newFactory(), on Netty 4.1 a NioEventLoopGroup): "
                    + group.getClass().getName());
        }
        return type;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, EventLoops.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Netty 4.2's groups: one group class running an I/O handler. Only touched when that API is present. */
    private static final class Io42 {

        static EventLoopGroup newGroup(int threads, ThreadFactory factory, boolean epoll) {
            return new MultiThreadIoEventLoopGroup(threads, factory,
                    epoll ? NativeEpoll.Io42.factory() : NioIoHandler.newFactory());
        }

        /** The channel type for {@code group}, or {@code null}. */
        static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
            if (group instanceof IoEventLoopGroup) {
                IoEventLoopGroup io = (IoEventLoopGroup) group;
                if (io.isIoType(NioIoHandler.class)) {
                    return NioSocketChannel.class;
                }
                if (NativeEpoll.CLASSES_PRESENT && NativeEpoll.Io42.isEpoll(io)) {
                    return NativeEpoll.channel();
                }
            }
            return null;
        }
    }

    /**
     * Netty 4.1's groups: a group class per transport. Deprecated in 4.2 (which this module is compiled against),
     * where {@link Io42} is used instead.
     */
    @SuppressWarnings("deprecation")
    private static final class Loops41 {

        static EventLoopGroup newGroup(int threads, ThreadFactory factory, boolean epoll) {
            return epoll ? NativeEpoll.Loops41.newGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
        }

        /** The channel type for {@code group}, or {@code null}. */
        static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
            if (group instanceof NioEventLoopGroup) {
                return NioSocketChannel.class;
            }
            if (NativeEpoll.CLASSES_PRESENT && NativeEpoll.Loops41.isEpoll(group)) {
                return NativeEpoll.channel();
            }
            return null;
        }
    }

    /**
     * Every reference to the optional epoll classes, in classes of their own that are only touched after checking
     * they are on the class path, so the transport runs without them.
     */
    private static final class NativeEpoll {
        static final boolean CLASSES_PRESENT = present("io.netty.channel.epoll.Epoll");
        static final boolean AVAILABLE = Boolean.getBoolean(EPOLL_PROPERTY) && CLASSES_PRESENT && loads();

        private static boolean loads() {
            try {
                return Epoll.isAvailable(); // false without the native library for this platform
            } catch (LinkageError e) {
                return false;
            }
        }

        static Class<? extends SocketChannel> channel() {
            return EpollSocketChannel.class;
        }

        /** Epoll on Netty 4.2. */
        static final class Io42 {
            static io.netty.channel.IoHandlerFactory factory() {
                return EpollIoHandler.newFactory();
            }

            static boolean isEpoll(IoEventLoopGroup group) {
                return group.isIoType(EpollIoHandler.class);
            }
        }

        /** Epoll on Netty 4.1. */
        @SuppressWarnings("deprecation")
        static final class Loops41 {
            static EventLoopGroup newGroup(int threads, ThreadFactory factory) {
                return new EpollEventLoopGroup(threads, factory);
            }

            static boolean isEpoll(EventLoopGroup group) {
                return group instanceof EpollEventLoopGroup;
            }
        }
    }
}
