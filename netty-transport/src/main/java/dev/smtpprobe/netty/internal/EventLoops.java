package dev.smtpprobe.netty.internal;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Event loop groups for the transport: the lazily created process-wide default, and dedicated ones.
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

    private static final Object LOCK = new Object();
    private static EventLoopGroup shared;

    private EventLoops() {
    }

    /** Whether new groups use native epoll. */
    public static boolean nativeEpoll() {
        return NativeEpoll.AVAILABLE;
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
        IoHandlerFactory io = NativeEpoll.AVAILABLE ? NativeEpoll.factory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
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
     * The socket channel type that runs on {@code group}. Costs a turn of the group's round-robin {@code next()}
     * (Netty's {@code IoEventLoopGroup.isIoType} asks one of its loops): call it once per group, not per
     * connection.
     *
     * @throws IllegalArgumentException when the group is not one this transport can use
     */
    public static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup) {
            IoEventLoopGroup io = (IoEventLoopGroup) group;
            if (io.isIoType(NioIoHandler.class)) {
                return NioSocketChannel.class;
            }
            if (NativeEpoll.CLASSES_PRESENT && NativeEpoll.isEpoll(io)) {
                return NativeEpoll.channel();
            }
        }
        throw new IllegalArgumentException("group must run NioIoHandler or EpollIoHandler (a "
                + "MultiThreadIoEventLoopGroup with NioIoHandler.newFactory()): " + group.getClass().getName());
    }

    /**
     * Every reference to the optional epoll classes, in a class of its own that is only touched after checking
     * they are on the class path, so the transport runs without them.
     */
    private static final class NativeEpoll {
        static final boolean CLASSES_PRESENT = classesPresent();
        static final boolean AVAILABLE = Boolean.getBoolean(EPOLL_PROPERTY) && CLASSES_PRESENT && loads();

        private static boolean classesPresent() {
            try {
                Class.forName("io.netty.channel.epoll.Epoll", false, EventLoops.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        private static boolean loads() {
            try {
                return Epoll.isAvailable(); // false without the native library for this platform
            } catch (LinkageError e) {
                return false;
            }
        }

        static IoHandlerFactory factory() {
            return EpollIoHandler.newFactory();
        }

        static boolean isEpoll(IoEventLoopGroup group) {
            return group.isIoType(EpollIoHandler.class);
        }

        static Class<? extends SocketChannel> channel() {
            return EpollSocketChannel.class;
        }
    }
}
