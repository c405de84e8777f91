package dev.smtpprobe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted SMTP server on loopback for tests, in the spirit of OkHttp's MockWebServer: <em>script</em> how it
 * behaves, <em>exercise</em> the client against {@link #port()}, <em>verify</em> what the client sent.
 *
 * <pre>{@code
 * try (MockSmtpServer server = new MockSmtpServer().start(
 *         Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "SIZE 1000"))) {
 *     ProbeResult result = SmtpProbe.to("127.0.0.1").port(server.port()).run();   // exercise
 *     assertThat(server.takeCommand(Duration.ofSeconds(1))).startsWith("EHLO ");  // verify
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 (and, after {@link #alsoOnIpv6()}, on ::1 with the same port) on an ephemeral port.
 * Each accepted connection gets its own daemon thread and follows the script: the first connection the first
 * script given to {@link #start(Script, Script...)}, the second the second, and so on, the last script serving all
 * the rest (so a client that connects twice, e.g. to confirm a TLS mode, meets the same behaviour by default).
 * Everything each connection receives is recorded ({@link #connections()}, {@link #takeConnection},
 * {@link #takeCommand}).
 *
 * <p>{@link #close()} closes every socket and stops every thread it started; it is idempotent. This class is
 * threadsafe.
 */
public final class MockSmtpServer implements AutoCloseable {

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);
    private static final int BIND_ATTEMPTS = 20;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<RecordedConnection> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedConnection> unclaimed = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    private volatile boolean ipv6;
    private volatile boolean recording = true;
    private volatile List<Script> scripts = List.of();
    private volatile int port = -1;

    /** Creates a server that is not listening yet; call {@link #start(Script, Script...)}. */
    public MockSmtpServer() {
    }

    /**
     * Also listens on ::1, on the same port as 127.0.0.1. Call before {@link #start}; {@code start} fails if the
     * IPv6 loopback is not available (check {@link Ports#ipv6LoopbackAvailable()} first).
     *
     * @return this server
     */
    public MockSmtpServer alsoOnIpv6() {
        if (started.get()) {
            throw new IllegalStateException("alsoOnIpv6() must be called before start()");
        }
        ipv6 = true;
        return this;
    }

    /**
     * Keeps no record of connections or lines (for soak tests and long-running demos, where the records would
     * grow without bound): {@link #connections()} stays empty and {@link #takeConnection}/{@link #takeCommand}
     * return nothing. Call before {@link #start}.
     *
     * @return this server
     */
    public MockSmtpServer withoutRecording() {
        if (started.get()) {
            throw new IllegalStateException("withoutRecording() must be called before start()");
        }
        recording = false;
        return this;
    }

    /**
     * Starts listening and serving connections with these scripts (connection {@code i} follows script
     * {@code i}, the last one all further connections).
     *
     * @param script    the first connection's script (and every connection's if no more are given)
     * @param following the scripts of the following connections
     * @return this server, listening
     * @throws UncheckedIOException if the port cannot be bound
     */
    public MockSmtpServer start(Script script, Script... following) {
        if (script == null) {
            throw new IllegalArgumentException("script must not be null");
        }
        List<Script> all = new ArrayList<>();
        all.add(script);
        for (Script next : following) {
            if (next == null) {
                throw new IllegalArgumentException("following must not contain null");
            }
            all.add(next);
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        scripts = List.copyOf(all);
        try {
            bind();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot bind the mock SMTP server on loopback", e);
        }
        for (ServerSocket listener : listeners) {
            Thread thread = new Thread(() -> acceptLoop(listener),
                    "mock-smtp-accept-" + listener.getLocalSocketAddress());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** @return the port the server listens on */
    public int port() {
        requireStarted();
        return port;
    }

    /** @return 127.0.0.1 and {@link #port()} */
    public InetSocketAddress address() {
        requireStarted();
        return new InetSocketAddress(ipv4Loopback(), port);
    }

    /**
     * @return ::1 and {@link #port()}
     * @throws IllegalStateException unless started after {@link #alsoOnIpv6()}
     */
    public InetSocketAddress ipv6Address() {
        requireStarted();
        if (!ipv6) {
            throw new IllegalStateException("not listening on ::1; call alsoOnIpv6() before start()");
        }
        return new InetSocketAddress(ipv6Loopback(), port);
    }

    /** @return every connection accepted so far, in order */
    public List<RecordedConnection> connections() {
        return List.copyOf(connections);
    }

    /** @return how many connections were accepted so far */
    public int connectionCount() {
        return accepted.get();
    }

    /**
     * @return how many accepted connections are still open (their threads running); a client that closes what it
     *     opens brings this back to 0
     */
    public int openConnectionCount() {
        return sessions.size();
    }

    /**
     * Returns the next accepted connection no earlier call has returned, waiting for it.
     *
     * @param timeout how long to wait
     * @return the connection, or {@code null} if none was accepted in time
     */
    public RecordedConnection takeConnection(Duration timeout) {
        try {
            return unclaimed.poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Returns the next line received on any connection that no earlier call of this method has returned, waiting
     * for it. Lines come in the order they arrived (across connections, by arrival).
     *
     * @param timeout how long to wait
     * @return the line without its terminator, or {@code null} if none arrived in time
     */
    public String takeCommand(Duration timeout) {
        return RecordedConnection.poll(commands, timeout);
    }

    /**
     * Closes the listening sockets and every connection (an abrupt close), and waits briefly for every thread
     * this server started to end. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // Nothing more to do for a listener that cannot be closed.
            }
        }
        for (Session session : sessions) {
            session.forceClose();
        }
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closing.get();
    }

    boolean isClosing() {
        return closing.get();
    }

    /** Called by a session's thread as it ends: a long-lived server must not hold every finished connection. */
    void ended(Session session) {
        sessions.remove(session);
        threads.remove(Thread.currentThread());
    }

    private void acceptLoop(ServerSocket listener) {
        while (!closing.get()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed by close()
            }
            int index = accepted.getAndIncrement();
            List<Script> all = scripts;
            Script script = all.get(Math.min(index, all.size() - 1));
            RecordedConnection record = new RecordedConnection(index,
                    (InetSocketAddress) socket.getRemoteSocketAddress(),
                    (InetSocketAddress) socket.getLocalSocketAddress(), recording ? commands : null);
            Session session = new Session(socket, script, record, this);
            Thread thread = new Thread(session, "mock-smtp-" + port + "-connection-" + index);
            thread.setDaemon(true);
            sessions.add(session);
            threads.add(thread);
            if (recording) {
                connections.add(record);
            }
            if (closing.get()) {
                session.forceClose();
            }
            thread.start();
            if (recording) {
                unclaimed.add(record);
            }
        }
    }

    private void bind() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            ServerSocket v4 = new ServerSocket();
            v4.bind(new InetSocketAddress(ipv4Loopback(), 0), 50);
            if (!ipv6) {
                listeners.add(v4);
                port = v4.getLocalPort();
                return;
            }
            ServerSocket v6 = new ServerSocket();
            try {
                v6.bind(new InetSocketAddress(ipv6Loopback(), v4.getLocalPort()), 50);
            } catch (SocketException e) {
                // The same port may be taken on ::1 by someone else; try another ephemeral port.
                last = e;
                v4.close();
                v6.close();
                continue;
            }
            listeners.add(v4);
            listeners.add(v6);
            port = v4.getLocalPort();
            return;
        }
        throw last;
    }

    private void requireStarted() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
    }

    static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "MockSmtpServer{port=" + port + (ipv6 ? ", ipv6" : "") + ", connections=" + accepted.get()
                + (closing.get() ? ", closed" : "") + "}";
    }
}
