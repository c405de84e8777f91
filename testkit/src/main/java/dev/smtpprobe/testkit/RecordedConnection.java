package dev.smtpprobe.testkit;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What one client connection to a {@link MockSmtpServer} did: every line it sent, the TLS it negotiated, and
 * how it ended. Filled by the connection's thread while the test reads it.
 *
 * <pre>{@code
 * RecordedConnection connection = server.takeConnection(Duration.ofSeconds(1));
 * assertThat(connection.takeCommand(Duration.ofSeconds(1))).startsWith("EHLO ");
 * assertThat(connection.awaitClosed(Duration.ofSeconds(1))).isTrue();
 * }</pre>
 *
 * <p>Lines are decoded as ISO-8859-1 (one char per byte, nothing lost) without their CRLF/LF; the exact bytes,
 * terminator included, are in {@link #rawLines()}. A line cut short by the client closing is recorded too.
 *
 * <p>This class is threadsafe.
 */
public final class RecordedConnection {

    /** Recording stops after this many lines so that a client flooding the fixture cannot exhaust the heap. */
    static final int MAX_RECORDED_LINES = 100_000;

    private final int index;
    private final InetSocketAddress clientAddress;
    private final InetSocketAddress serverAddress;
    private final List<byte[]> rawLines = new ArrayList<>();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final BlockingQueue<String> serverQueue;
    private volatile String tlsProtocol;
    private volatile String tlsCipherSuite;
    private volatile List<String> sniHostNames = List.of();
    private volatile Throwable tlsFailure;
    private volatile boolean clientClosed;
    private volatile int plaintextDiscardedAtTls;

    RecordedConnection(int index, InetSocketAddress clientAddress, InetSocketAddress serverAddress,
            BlockingQueue<String> serverQueue) {
        this.index = index;
        this.clientAddress = clientAddress;
        this.serverAddress = serverAddress;
        this.serverQueue = serverQueue;
    }

    /** @return the position of this connection among those the server accepted, from 0 */
    public int index() {
        return index;
    }

    /** @return the client's address and port (the probe's local source address) */
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /** @return the server side's address and port of this connection */
    public InetSocketAddress serverAddress() {
        return serverAddress;
    }

    /** @return every line received so far, without terminators, in order */
    public List<String> commands() {
        List<String> commands = new ArrayList<>();
        for (byte[] line : rawLines()) {
            commands.add(decode(line));
        }
        return commands;
    }

    /** @return every line received so far, exactly as received (terminator included) */
    public List<byte[]> rawLines() {
        synchronized (rawLines) {
            List<byte[]> copy = new ArrayList<>(rawLines.size());
            for (byte[] line : rawLines) {
                copy.add(line.clone());
            }
            return copy;
        }
    }

    /**
     * Returns the next line this connection received that no earlier call has returned, waiting for it.
     *
     * @param timeout how long to wait
     * @return the line without its terminator, or {@code null} if none arrived in time
     */
    public String takeCommand(Duration timeout) {
        return poll(unread, timeout);
    }

    /**
     * The TLS facts are recorded when the server's side of the handshake completes, before it reads the next
     * command: a client that got a reply over TLS (or closed the connection) can rely on them being here.
     *
     * @return the negotiated TLS protocol (e.g. {@code TLSv1.3}) once a handshake completed
     */
    public Optional<String> tlsProtocol() {
        return Optional.ofNullable(tlsProtocol);
    }

    /** @return the negotiated cipher suite once a handshake completed */
    public Optional<String> tlsCipherSuite() {
        return Optional.ofNullable(tlsCipherSuite);
    }

    /** @return the host names the client sent as SNI in its TLS hello (empty without TLS or SNI) */
    public List<String> sniHostNames() {
        return sniHostNames;
    }

    /** @return why the server-side TLS handshake failed (e.g. the client rejected the certificate), if it did */
    public Optional<Throwable> tlsFailure() {
        return Optional.ofNullable(tlsFailure);
    }

    /**
     * @return the number of plaintext bytes the client sent after STARTTLS but before its TLS hello; a correct
     *     client sends none (the server discards them, as RFC 3207 servers must)
     */
    public int plaintextDiscardedAtTls() {
        return plaintextDiscardedAtTls;
    }

    /** @return whether the client closed (or reset) its side while the server was still reading */
    public boolean clientClosed() {
        return clientClosed;
    }

    /** @return whether the connection is over and its socket closed */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits until the connection is over and its socket closed, by either side.
     *
     * @param timeout how long to wait
     * @return whether it closed in time
     */
    public boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void recordLine(byte[] line) {
        if (serverQueue == null) {
            return; // the server keeps no records
        }
        synchronized (rawLines) {
            if (rawLines.size() >= MAX_RECORDED_LINES) {
                return;
            }
            rawLines.add(line);
        }
        String command = decode(line);
        unread.add(command);
        serverQueue.add(command);
    }

    void recordTls(String protocol, String cipherSuite, List<String> sni) {
        this.tlsProtocol = protocol;
        this.tlsCipherSuite = cipherSuite;
        this.sniHostNames = List.copyOf(sni);
    }

    void recordTlsFailure(Throwable failure) {
        this.tlsFailure = failure;
    }

    void recordPlaintextDiscarded(int count) {
        this.plaintextDiscardedAtTls += count;
    }

    void recordClientClosed() {
        this.clientClosed = true;
    }

    void markClosed() {
        closed.countDown();
    }

    static String poll(BlockingQueue<String> queue, Duration timeout) {
        try {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String decode(byte[] line) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
        }
        return new String(line, 0, end, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return "RecordedConnection{#" + index + " from " + clientAddress + ", lines=" + commands()
                + (tlsProtocol != null ? ", tls=" + tlsProtocol : "") + (isClosed() ? ", closed" : "") + "}";
    }
}
