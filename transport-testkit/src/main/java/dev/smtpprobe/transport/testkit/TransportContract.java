package dev.smtpprobe.transport.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.spi.TransportException;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link Transport} contract as a JUnit 5 suite: extend it, make the transport under test in
 * {@link #newTransport()}, and every test runs against real loopback sockets, with plain JDK sockets (and JDK TLS,
 * with {@link TestCertificates}) as the peer. It checks the pipe SPI, what core relies on: the order of
 * {@link PipeHandler} events, bytes delivered as they arrive and written as given, typed
 * {@link TransportException}s (refused, reset, TLS, not TLS) with whether they happened while connecting,
 * {@link Pipe#close()} ending a pipe without an error, {@link Pipe#schedule} tasks on the pipe's thread, TLS
 * upgrades, the source address, and many connections at once.
 *
 * <pre>{@code
 * class MyTransportContractTest extends TransportContract {
 *     @Override
 *     protected Transport newTransport() {
 *         return new MyTransport();
 *     }
 * }
 * }</pre>
 *
 * <p>Pipes are opened with {@link Transport#openPipe} by default; a subclass overrides {@link #open} to test
 * another way in (such as {@link Transport#runPipeOnCallingThread} on a thread of its own). One transport serves
 * every test of a class, and is closed after the last one ({@link #stopTransport}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TransportContract {

    /** How long the tests let a connect take on loopback. */
    protected static final Duration CONNECT = Duration.ofSeconds(2);

    private Transport transport;

    /**
     * Makes the transport under test; called once per test class.
     *
     * @return a new transport, closed by {@link #stopTransport} after the class's last test
     */
    protected abstract Transport newTransport();

    /** {@return the transport under test} */
    protected final Transport transport() {
        return transport;
    }

    /**
     * Opens a pipe on the transport under test; by default with {@link Transport#openPipe}.
     *
     * @param request where to connect, from where, and the connect timeout
     * @param handler the handler of the pipe's events
     */
    protected void open(PipeRequest request, PipeHandler handler) {
        transport.openPipe(request, handler);
    }

    /**
     * Stops the transport under test after the last test; by default {@link Transport#close()}.
     *
     * @param transport the transport made by {@link #newTransport()}
     */
    protected void stopTransport(Transport transport) {
        transport.close();
    }

    /** Makes the transport under test with {@link #newTransport()}, once before the class's first test. */
    @BeforeAll
    public final void startTheTransport() {
        transport = newTransport();
    }

    /** Stops the transport under test with {@link #stopTransport}, once after the class's last test. */
    @AfterAll
    public final void stopTheTransport() {
        if (transport != null) {
            stopTransport(transport);
        }
    }

    /**
     * A request to {@code remote} with the kernel's choice of source address.
     *
     * @param remote the loopback address of the peer
     * @return a request to {@code remote} with the {@link #CONNECT} timeout
     */
    protected static PipeRequest request(InetSocketAddress remote) {
        return new PipeRequest(remote, null, CONNECT);
    }

    // ---- connecting, bytes in and out, closing ----

    /**
     * A pipe connects, delivers the peer's bytes in order, writes what it is given, and closes the connection.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void connectsDeliversWhatThePeerSendsAndWritesWhatItIsGiven() throws Exception {
        try (Peer peer = Peer.start(s -> {
            write(s, "220 hello\r\n");
            assertEquals("PING", readLine(s));
            write(s, "250 pong\r\n");
            assertTrue(readsEof(s), "the pipe closed the connection");
        })) {
            RecordingPipeHandler handler = new RecordingPipeHandler().whenText((pipe, text) -> {
                if (text.equals("220 hello\r\n")) {
                    pipe.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (text.endsWith("250 pong\r\n")) {
                    pipe.close();
                }
            });
            open(request(peer.address()), handler);
            handler.awaitClosed();
            peer.awaitDone();

            assertEquals(List.of("connected", "closed"), handler.eventsWithoutBytes());
            assertEquals("220 hello\r\n250 pong\r\n", handler.text());
            assertEquals(peer.address(), handler.pipe().remoteAddress());
            assertTrue(handler.pipe().localAddress().getAddress().isLoopbackAddress());
        }
    }

    /**
     * A large reply arrives complete and unchanged, however the transport splits it, and without an error.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void bytesArriveComplete() throws Exception {
        byte[] big = new byte[256 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        try (Peer peer = Peer.start(s -> {
            s.getOutputStream().write(big);
            s.getOutputStream().flush();
            readsEof(s);
        })) {
            RecordingPipeHandler handler = new RecordingPipeHandler().whenText((pipe, text) -> {
                if (text.length() >= big.length) {
                    pipe.close();
                }
            });
            open(request(peer.address()), handler);
            handler.awaitClosed();

            assertEquals(new String(big, StandardCharsets.ISO_8859_1), handler.text());
            assertTrue(handler.errors.isEmpty(), "no error: " + handler.errors);
        }
    }

    /**
     * A peer closing the connection ends the pipe with {@code onClosed} alone, no error.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void aPeerThatClosesGivesOnClosedAndNoError() throws Exception {
        try (Peer peer = Peer.start(s -> write(s, "221 bye\r\n"))) {
            RecordingPipeHandler handler = new RecordingPipeHandler();
            open(request(peer.address()), handler);
            handler.awaitClosed();

            assertEquals(List.of("connected", "closed"), handler.eventsWithoutBytes());
            assertEquals("221 bye\r\n", handler.text());
        }
    }

    /**
     * {@code Pipe.close()} ends the pipe without an error, and later writes and closes are ignored.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void closeEndsThePipeWithoutAnErrorAndLaterCallsAreIgnored() throws Exception {
        try (Peer peer = Peer.start(s -> assertTrue(readsEof(s), "the pipe closed the connection"))) {
            RecordingPipeHandler handler = new RecordingPipeHandler().whenConnected(Pipe::close);
            open(request(peer.address()), handler);
            handler.awaitClosed();
            peer.awaitDone();
            handler.pipe().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            handler.pipe().close();
            handler.pipe().schedule(() -> { }, Duration.ofMillis(1));
            Thread.sleep(50);

            assertEquals(List.of("connected", "closed"), handler.events);
        }
    }

    /**
     * A closed port gives a {@code REFUSED} error marked as while connecting, keeping the original exception as cause.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void aClosedPortIsRefusedWhileConnecting() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
        }
        RecordingPipeHandler handler = new RecordingPipeHandler();
        open(request(closed), handler);
        handler.awaitClosed();

        assertEquals(List.of("error REFUSED", "closed"), handler.events);
        assertTrue(handler.error().connecting());
        assertNotNull(handler.error().getCause(), "the original exception is kept as the cause");
    }

    /**
     * A reset after the connect is reported as {@code RESET} (or a close), never as an error while connecting.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void aResetAfterTheConnectIsAResetNotWhileConnecting() throws Exception {
        try (Peer peer = Peer.start(s -> {
            assertEquals("HELLO", readLine(s)); // the client is connected: what follows is not the connect's
            write(s, "220 hello\r\n");
            s.setSoLinger(true, 0); // close with RST
        })) {
            RecordingPipeHandler handler = new RecordingPipeHandler()
                    .whenConnected(pipe -> pipe.write("HELLO\r\n".getBytes(StandardCharsets.US_ASCII)));
            open(request(peer.address()), handler);
            handler.awaitClosed();

            // A peer that resets after sending may be seen as a reset or, when its data was read first and the
            // RST came with the FIN, as a close: never as any other error.
            if (!handler.errors.isEmpty()) {
                assertEquals(TransportException.Kind.RESET, handler.error().kind());
                assertFalse(handler.error().connecting(), () -> "not while connecting: " + stack(handler.error()));
            }
            assertEquals("connected", handler.events.get(0));
            peer.awaitDone();
        }
    }

    /**
     * A request's source address is bound: the peer sees the connection come from it.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void theSourceAddressIsBound() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (Peer peer = Peer.start(s -> {
            write(s, "220 " + s.getInetAddress().getHostAddress() + "\r\n");
            readsEof(s);
        })) {
            RecordingPipeHandler handler = new RecordingPipeHandler().whenText((pipe, text) -> {
                if (text.endsWith("\r\n")) {
                    pipe.close();
                }
            });
            open(new PipeRequest(peer.address(), loopback, CONNECT), handler);
            handler.awaitClosed();

            assertEquals(loopback, handler.pipe().localAddress().getAddress());
            assertEquals("220 " + loopback.getHostAddress() + "\r\n", handler.text());
        }
    }

    // ---- scheduled tasks ----

    /**
     * Scheduled tasks run on the pipe's thread, in order and not before they are due; cancelled ones never run.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void scheduledTasksRunOnThePipesThreadInOrderAndCancelledOnesNever() throws Exception {
        try (Peer peer = Peer.start(s -> readsEof(s))) {
            List<String> ran = new ArrayList<>();
            AtomicReference<Thread> connectedOn = new AtomicReference<>();
            AtomicReference<Thread> tasksOn = new AtomicReference<>();
            RecordingPipeHandler handler = new RecordingPipeHandler().whenConnected(pipe -> {
                connectedOn.set(Thread.currentThread());
                Runnable cancelled = pipe.schedule(() -> ran.add("cancelled"), Duration.ofMillis(20));
                pipe.schedule(() -> ran.add("first"), Duration.ofMillis(40));
                pipe.schedule(() -> {
                    ran.add("second");
                    tasksOn.set(Thread.currentThread());
                    pipe.close();
                }, Duration.ofMillis(80));
                cancelled.run();
                cancelled.run(); // idempotent
            });
            long start = System.nanoTime();
            open(request(peer.address()), handler);
            handler.awaitClosed();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(List.of("first", "second"), ran);
            assertEquals(connectedOn.get(), tasksOn.get(), "tasks run on the pipe's thread");
            assertTrue(tookMillis >= 75, "not before it was due: " + tookMillis + " ms");
            assertTrue(handler.errors.isEmpty(), "no error: " + handler.errors);
        }
    }

    /**
     * A task scheduled from another thread runs on time while the pipe waits for bytes that never come.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void aTaskScheduledFromAnotherThreadRunsOnTimeWhileThePipeWaitsForBytes() throws Exception {
        try (Peer peer = Peer.start(s -> readsEof(s))) {
            CountDownLatch connected = new CountDownLatch(1);
            RecordingPipeHandler handler = new RecordingPipeHandler().whenConnected(pipe -> connected.countDown());
            open(request(peer.address()), handler);
            assertTrue(connected.await(5, TimeUnit.SECONDS), "connected");
            long start = System.nanoTime();
            handler.pipe().schedule(() -> handler.pipe().close(), Duration.ofMillis(100));
            handler.awaitClosed();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(tookMillis >= 90 && tookMillis < 2_000, "at the 100 ms task: " + tookMillis + " ms");
            assertEquals(List.of("connected", "closed"), handler.events);
        }
    }

    // ---- TLS ----

    /**
     * {@code startTls} upgrades the pipe: the handshake completes, {@code onTlsEstablished} is called and bytes
     * flow through TLS both ways.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void startTlsUpgradesThePipeAndCarriesBytesThroughTls() throws Exception {
        TestCertificates certs = TestCertificates.shared();
        SSLContext server = certs.valid().sslContext();
        try (Peer peer = Peer.start(s -> {
            write(s, "220 ready\r\n");
            assertEquals("STARTTLS", readLine(s));
            write(s, "220 go ahead\r\n");
            SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(s, "localhost", s.getPort(), false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            write(tls, "250 secure\r\n");
            assertEquals("QUIT", readLine(tls));
            readsEof(tls);
        })) {
            TlsParameters tls = new TlsParameters("localhost", peer.address().getPort(), certs.trustManager(), true,
                    Duration.ofSeconds(5));
            RecordingPipeHandler handler = new RecordingPipeHandler()
                    .whenText((pipe, text) -> {
                        if (text.equals("220 ready\r\n")) {
                            pipe.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else if (text.equals("220 ready\r\n220 go ahead\r\n")) {
                            pipe.startTls(tls);
                        } else if (text.equals("250 secure\r\n")) {
                            pipe.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                            pipe.close();
                        }
                    });
            open(request(peer.address()), handler);
            handler.awaitClosed();
            peer.awaitDone();

            assertEquals(List.of("connected", "tls", "closed"), handler.eventsWithoutBytes());
            assertEquals("250 secure\r\n", handler.text());
            assertNotNull(handler.session());
            assertTrue(handler.session().getProtocol().startsWith("TLS"), handler.session().getProtocol());
        }
    }

    /**
     * Plain text in answer to the ClientHello is a {@code NOT_TLS} error that keeps the first bytes received.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void plainTextAnsweringTheHandshakeIsNotTlsWithTheFirstBytesKept() throws Exception {
        try (Peer peer = Peer.start(s -> {
            s.getInputStream().read(); // the ClientHello has begun
            write(s, "220 mx.test ESMTP plain\r\n");
            readsEof(s);
        })) {
            TlsParameters tls = new TlsParameters("localhost", peer.address().getPort(),
                    TestCertificates.shared().trustManager(), true, Duration.ofSeconds(5));
            RecordingPipeHandler handler = new RecordingPipeHandler().whenConnected(pipe -> pipe.startTls(tls));
            open(request(peer.address()), handler);
            handler.awaitClosed();

            assertEquals(List.of("connected", "error NOT_TLS", "closed"), handler.events);
            NotTlsException notTls = assertInstanceOf(NotTlsException.class, handler.error().getCause());
            assertTrue(new String(notTls.firstBytes(), StandardCharsets.US_ASCII).startsWith("220 mx.test"),
                    new String(notTls.firstBytes(), StandardCharsets.US_ASCII));
            assertFalse(handler.error().connecting());
        }
    }

    /**
     * A certificate the client does not trust fails the handshake as a {@code TLS} error with the
     * {@code SSLException} as cause.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void anUntrustedCertificateFailsTheHandshakeAsTls() throws Exception {
        SSLContext server = TestCertificates.shared().selfSigned().sslContext();
        try (Peer peer = Peer.start(s -> {
            SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(s, "localhost", s.getPort(), false);
            tls.setUseClientMode(false);
            try {
                tls.startHandshake();
            } catch (IOException expected) {
                // the client refuses the chain
            }
            readsEof(s);
        })) {
            TlsParameters tls = new TlsParameters("localhost", peer.address().getPort(),
                    TestCertificates.shared().trustManager(), true, Duration.ofSeconds(5));
            RecordingPipeHandler handler = new RecordingPipeHandler().whenConnected(pipe -> pipe.startTls(tls));
            open(request(peer.address()), handler);
            handler.awaitClosed();

            assertEquals(List.of("connected", "error TLS", "closed"), handler.events);
            assertInstanceOf(SSLException.class, handler.error().getCause());
            assertFalse(handler.error().connecting());
        }
    }

    // ---- load ----

    /**
     * One transport serves many concurrent connections, each with its own pipe and greeting.
     *
     * @throws Exception when the test fails
     */
    @Test
    public void oneTransportServesManyConnectionsAtOnce() throws Exception {
        int n = 40;
        try (ServerSocket ss = new ServerSocket(0, n, InetAddress.getLoopbackAddress())) {
            Set<Socket> accepted = ConcurrentHashMap.newKeySet();
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        Socket s = ss.accept();
                        accepted.add(s);
                        write(s, "220 " + i + "\r\n");
                    }
                } catch (IOException e) {
                    // the test's assertions say what went wrong
                }
            }, "contract-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            InetSocketAddress address = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
            List<RecordingPipeHandler> handlers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                RecordingPipeHandler handler = new RecordingPipeHandler().whenText((pipe, text) -> {
                    if (text.endsWith("\r\n")) {
                        pipe.close();
                    }
                });
                handlers.add(handler);
                open(request(address), handler);
            }
            Set<String> greetings = ConcurrentHashMap.newKeySet();
            for (RecordingPipeHandler handler : handlers) {
                handler.awaitClosed();
                assertEquals(List.of("connected", "closed"), handler.eventsWithoutBytes());
                greetings.add(handler.text());
            }
            assertEquals(n, greetings.size(), "each connection got its own greeting");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    // ---- the peer ----

    /** What a peer does with its one accepted connection. */
    @FunctionalInterface
    protected interface PeerScript {
        /**
         * Runs the peer's side of the test on the accepted connection.
         *
         * @param socket the accepted connection, with a 10 s read timeout; closed afterwards
         * @throws Exception any failure, rethrown by {@link Peer#awaitDone()}
         */
        void run(Socket socket) throws Exception;
    }

    /** A loopback server that accepts one connection and runs a script on it, on a thread of its own. */
    protected static final class Peer implements AutoCloseable {
        private final ServerSocket server;
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        private Peer(ServerSocket server) {
            this.server = server;
        }

        /**
         * Listens on loopback and runs {@code script} on the first connection.
         *
         * @param script what the peer does with its one connection
         * @return the listening peer; close it when done
         * @throws IOException when no loopback port can be bound
         */
        public static Peer start(PeerScript script) throws IOException {
            Peer peer = new Peer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread t = new Thread(() -> {
                try (Socket s = peer.server.accept()) {
                    s.setSoTimeout(10_000);
                    script.run(s);
                } catch (Throwable e) {
                    peer.failure.set(e);
                } finally {
                    peer.done.countDown();
                }
            }, "contract-peer");
            t.setDaemon(true);
            t.start();
            return peer;
        }

        /** {@return where it listens} */
        public InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        /**
         * Waits for the script to end (at most 10 s) and rethrows what it threw.
         *
         * @throws Exception what the script threw, or an {@link AssertionError} when it did not end within 10 s
         */
        public void awaitDone() throws Exception {
            if (!done.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the peer's script did not end within 10 s");
            }
            Throwable e = failure.get();
            if (e instanceof Error error) {
                throw error;
            }
            if (e instanceof Exception exception) {
                throw exception;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /**
     * The stack trace of {@code e}, for a failure's message.
     *
     * @param e the throwable to print
     * @return its printed stack trace, causes included
     */
    protected static String stack(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    /**
     * Writes {@code text} as US-ASCII and flushes.
     *
     * @param s the peer's socket
     * @param text the text to send, US-ASCII
     * @throws IOException when the write fails
     */
    protected static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Reads one line without its CRLF or LF; {@code null} at the end of the stream.
     *
     * @param s the peer's socket
     * @return the line read, or {@code null} at the end of the stream with nothing read
     * @throws IOException when the read fails or times out
     */
    protected static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    /**
     * Reads until the end of the stream; whether it came (rather than a reset or the 10 s timeout).
     *
     * @param s the peer's socket
     * @return {@code true} when the stream ended normally, {@code false} on a reset or the 10 s read timeout
     */
    protected static boolean readsEof(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) != -1) {
                // drain
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
