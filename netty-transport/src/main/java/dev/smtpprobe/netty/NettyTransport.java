package dev.smtpprobe.netty;

import dev.smtpprobe.netty.internal.ChannelPipe;
import dev.smtpprobe.netty.internal.EventLoops;
import dev.smtpprobe.netty.internal.NettyVersions;
import dev.smtpprobe.netty.internal.TlsHandlers;
import dev.smtpprobe.netty.internal.socket.SocketEngine;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The non-blocking {@link Transport} on Netty 4.1 or 4.2, found by core through {@link java.util.ServiceLoader} when
 * the {@code smtp-probe-netty} artifact is on the class path or module path.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();          // finds this transport itself
 * try (NettyTransport transport = NettyTransport.withOwnThreads(2)) {            // or one with its own threads
 *     SmtpProbe.to("mx.example.net").transport(transport).run();
 * }
 * }</pre>
 *
 * <h2>Netty versions</h2>
 * It runs on Netty 4.1 from {@value NettyVersions#MIN_41} (the line Spring Boot 3 manages) and on 4.2 from
 * {@value NettyVersions#MIN_42} (Spring Boot 4's), choosing at run time between 4.2's I/O-handler event loops and
 * 4.1's event loop classes. Made with an older Netty, or with the transport's Netty artifacts on different lines,
 * every constructor throws an {@link IllegalStateException} that names the versions found and needed, so an
 * application's first probe fails at once with that message.
 *
 * <h2>Threads</h2>
 * The no-arg constructor uses one event loop group shared by every such instance in the process, created on the
 * first connection. Its threads are daemons, so a probe in {@code main} never keeps the JVM alive, and
 * {@link #close()} does not stop them (other instances may be using them); {@link #shutdownDefault()} does.
 * {@link #withOwnThreads(int)} makes an instance with a group of its own, stopped by {@link #close()}.
 * {@link #NettyTransport(EventLoopGroup)} runs on a group of the caller (NIO or epoll), which is never shut down
 * here.
 *
 * <h2>One waiting caller: a JDK socket, no event loop</h2>
 * The shared default (the no-arg constructor, which {@code ServiceLoader} makes) runs a synchronous probe's
 * connections ({@code SmtpProbe.run()}, through {@link #runPipeOnCallingThread}) on a plain JDK socket on the
 * caller's own thread, with the same events, timers, TLS rules and error types as the event loops. An
 * application's first probe therefore neither loads Netty, nor starts an event loop, nor hands off to another
 * thread: it costs what a {@code java.net.Socket} costs, which is what a pre-flight check at start-up needs
 * (BENCHMARKS.md, cold start).
 * {@code runAsync()} and batches use the event loops, which is what thousands of concurrent probes need.
 * Transports with their own threads or a caller's group run everything on their event loops.
 *
 * <h2>NIO or epoll</h2>
 * Groups made here run Java NIO. Native epoll (Linux) is used only when asked for: the system property
 * {@code smtpprobe.netty.epoll=true} with {@code netty-transport-native-epoll} for the platform on the class path
 * (an optional dependency), or a caller's epoll group. NIO is the default even where epoll is available because
 * one diagnosis differs: Netty's epoll reports both EHOSTUNREACH and ENETUNREACH as a
 * {@link java.net.NoRouteToHostException} without the errno, so "network unreachable" reads as "no route to host"
 * there; NIO keeps the two apart. A probe makes too few connections for epoll to pay off.
 *
 * <h2>Pipes</h2>
 * On the event loops, a connection is a byte pipe ({@link #openPipe}): its pipeline holds one handler that hands
 * the bytes to core and, once TLS starts, an {@code SslHandler} (with a recorder of the peer's first bytes) in
 * front of it. Core runs everything SMTP on top: framing and decoding, the reply and lifetime timers (on the
 * channel's event loop), the order of events, the STARTTLS discard.
 *
 * <p>This class is threadsafe: one instance serves any number of concurrent connections.
 */
public final class NettyTransport implements Transport {

    private final EventLoopGroup group;        // null: the shared default, looked up per connection
    /**
     * The channel type for a caller's {@link #group}, decided once: asking a group (its {@code isIoType}) takes a
     * turn of its round-robin {@code next()}, so asking per connection would put every connection on the same
     * event loop. {@code null} for groups made here, whose type is known without asking them.
     */
    private final Class<? extends SocketChannel> channelType;
    private final boolean ownsGroup;
    /** The JDK-socket path for blocking callers: the shared default's only (see the class Javadoc). */
    private final SocketEngine sockets;
    /**
     * What event-loop connections share, made on the first one: a transport used only by blocking callers then
     * never loads Netty's channel or TLS classes (see the class Javadoc).
     */
    private volatile EventLoopParts parts;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A transport on the shared default event loop group (daemon threads, created on first use).
     *
     * @throws IllegalStateException when the Netty on the class path is not supported (see the class Javadoc)
     */
    public NettyTransport() {
        this(null, null, false);
    }

    /**
     * A transport on the caller's event loop group, which must run NIO or, when the optional epoll classes are
     * present, epoll: on Netty 4.2 a group running {@code NioIoHandler}
     * ({@code new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory())}) or {@code EpollIoHandler}, on Netty 4.1
     * a {@code NioEventLoopGroup} or {@code EpollEventLoopGroup}. {@link #close()} closes this transport's
     * connections but leaves the group running: it is the caller's to shut down.
     *
     * @param group the caller's NIO or epoll event loop group, shared with the caller and not shut down by this
     *     transport
     * @throws IllegalArgumentException when {@code group} is null or runs another kind of I/O
     * @throws IllegalStateException    when the Netty on the class path is not supported (see the class Javadoc)
     */
    public NettyTransport(EventLoopGroup group) {
        this(requireNonNull(group, "group"), channelTypeOf(group), false);
    }

    private NettyTransport(EventLoopGroup group, Class<? extends SocketChannel> channelType, boolean ownsGroup) {
        NettyVersions.requireSupported();
        this.group = group;
        this.channelType = channelType;
        this.ownsGroup = ownsGroup;
        this.sockets = group == null ? new SocketEngine() : null;
    }

    /**
     * A transport with its own group of {@code threads} daemon threads, stopped by {@link #close()}.
     *
     * @param threads the number of event loop threads, at least 1
     * @return a new transport that owns its event loop group and shuts it down on {@link #close()}
     * @throws IllegalArgumentException when {@code threads} is not positive
     * @throws IllegalStateException    when the Netty on the class path is not supported (see the class Javadoc)
     */
    public static NettyTransport withOwnThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        NettyVersions.requireSupported(); // before any event loop class is touched
        return new NettyTransport(EventLoops.newGroup(threads, "smtp-probe-netty-own"), null, true);
    }

    /**
     * Stops the shared default event loop group used by transports made with {@link #NettyTransport()}: closes
     * their open connections and waits (at most 5 s) for the threads to end. Optional, since the threads are
     * daemons; useful in containers that redeploy applications, and in tests. A later connection on such a
     * transport starts a new group.
     *
     * @return whether the threads ended in time (also {@code true} when there was no group)
     */
    public static boolean shutdownDefault() {
        return EventLoops.shutdownShared(5_000);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when this transport was closed
     */
    @Override
    public void openPipe(PipeRequest request, PipeHandler handler) {
        requireNonNull(request, "request");
        requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
        EventLoopGroup loops = group != null ? group : EventLoops.shared();
        EventLoopParts shared = parts();
        ChannelPipe pipe = new ChannelPipe(request, handler, shared.tlsHandlers());

        // No Bootstrap: per connection it copied its option and attribute maps and made the channel by reflection
        // (ReflectiveChannelFactory). What it did is done here directly: make the channel, set its options, add
        // the initializer, register.
        SocketChannel channel = null;
        try {
            channel = shared.channels().newChannel();
            channel.config().setConnectTimeoutMillis(connectTimeoutMillis(request));
            channel.config().setTcpNoDelay(true); // commands are single small writes; no need to wait
        } catch (RuntimeException e) {
            // E.g. no file descriptor left for the socket: an outcome for the handler, not for the caller.
            if (channel != null) {
                channel.unsafe().closeForcibly();
            }
            pipe.failUnregistered(e);
            return;
        }
        // The pipe goes straight into the pipeline (no ChannelInitializer, which added and removed a handler and kept
        // a concurrent set per connection); Netty calls its handlerAdded once the channel is registered.
        pipe.attach(channel);
        channel.pipeline().addLast("pipe", pipe); // TLS goes in front of it later (see ChannelPipe)
        // Register first, then connect with a promise whose listener is in place before the connect starts: a
        // refusal on loopback can fail the connect synchronously, and the pipe must hear of it before the
        // channel is closed and deregistered (which ends the pipe with onClosed).
        ChannelFuture registration;
        try {
            registration = loops.register(channel);
        } catch (RuntimeException e) {
            // E.g. the group was shut down concurrently: still an outcome for the handler, not for the caller.
            channel.unsafe().closeForcibly();
            pipe.failUnregistered(e);
            return;
        }
        if (registration.isDone() && !registration.isSuccess()) {
            // Failed at once (the group was shut down): its listeners would be notified on that dead event loop.
            channel.unsafe().closeForcibly();
            pipe.failUnregistered(registration.cause());
            return;
        }
        registration.addListener((ChannelFuture registered) -> {
            if (!registered.isSuccess()) {
                registered.channel().unsafe().closeForcibly();
                pipe.failUnregistered(registered.cause());
                return;
            }
            Channel ch = registered.channel();
            // Tracked once registered (a channel that failed to register is closed above and never tracked).
            open.add(ch);
            ch.closeFuture().addListener(f -> open.remove(ch));
            if (closed) {
                ch.close(); // raced with close(): do not leave a connection behind
            }
            ChannelPromise connected = ch.newPromise();
            connected.addListener((ChannelFuture f) -> pipe.connectDone(f));
            InetSocketAddress local = request.localAddress() == null ? null
                    : new InetSocketAddress(request.localAddress(), 0);
            ch.connect(request.remote(), local, connected);
        });
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code true}: {@link #openPipe} registers the channel and starts a non-blocking connect, and returns
     */
    @Override
    public boolean opensAtOnce() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The shared default ({@link #NettyTransport()}) runs the pipe on a plain JDK socket on the calling thread
     * (see the class Javadoc); the others open it on their event loops and wait.
     *
     * @throws IllegalStateException when this transport was closed
     */
    @Override
    public void runPipeOnCallingThread(PipeRequest request, PipeHandler handler) {
        if (sockets == null) {
            Transport.super.runPipeOnCallingThread(request, handler);
            return;
        }
        requireNonNull(request, "request");
        requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("transport is closed");
        }
        sockets.run(request, handler);
    }

    /**
     * Closes this transport's open connections (each pipe's handler gets its {@code onClosed}) and, for a transport
     * made with {@link #withOwnThreads(int)}, stops its threads. Further {@link #openPipe} calls throw. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel ch : open) {
            ch.close();
        }
        if (sockets != null) {
            sockets.close();
        }
        if (ownsGroup) {
            EventLoops.shutdown(group, 5_000);
        }
    }

    /** {@return how many connections of this transport are open now (for monitoring and tests)} */
    public int openConnections() {
        return open.size() + (sockets == null ? 0 : sockets.openConnections());
    }

    /** The channel type for a caller's group, asked once; the Netty version is checked before the group is. */
    private static Class<? extends SocketChannel> channelTypeOf(EventLoopGroup group) {
        NettyVersions.requireSupported();
        return EventLoops.socketChannelFor(group);
    }

    private EventLoopParts parts() {
        EventLoopParts p = parts;
        if (p == null) {
            synchronized (this) {
                p = parts;
                if (p == null) {
                    Class<? extends SocketChannel> type = channelType != null ? channelType
                            : EventLoops.socketChannelForNewGroups();
                    p = new EventLoopParts(EventLoops.channelFactory(type), new TlsHandlers());
                    parts = p;
                }
            }
        }
        return p;
    }

    /**
     * @param channels    makes the channels; for NIO its constructor, not reflection (a per-connection cost)
     * @param tlsHandlers the TLS handlers, with their contexts cached per trust manager
     */
    private record EventLoopParts(ChannelFactory<? extends SocketChannel> channels, TlsHandlers tlsHandlers) {
    }

    private static int connectTimeoutMillis(PipeRequest request) {
        long ms = Math.max(1, request.connectTimeout().toMillis());
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** The public API's one style of argument check: an {@link IllegalArgumentException} naming the argument. */
    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
