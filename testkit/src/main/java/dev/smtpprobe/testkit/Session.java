package dev.smtpprobe.testkit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

/**
 * Runs one accepted connection on its own thread: performs the script's effects and records what the client
 * sends. The methods other than {@link #run} and {@link #forceClose} are called by {@link Effect}s on the same
 * thread.
 */
final class Session implements Runnable {

    /** How long a graceful close waits for the client's own FIN, so that the client gets a FIN and not a RST. */
    private static final int DRAIN_MILLIS = 1000;

    private final Socket raw;
    private final Script script;
    private final RecordedConnection record;
    private final MockSmtpServer server;
    private volatile Socket socket;
    private OutputStream out;
    private LineReader reader;
    private boolean tlsActive;
    private volatile boolean endedByServer;

    Session(Socket raw, Script script, RecordedConnection record, MockSmtpServer server) {
        this.raw = raw;
        this.script = script;
        this.record = record;
        this.server = server;
        this.socket = raw;
    }

    @Override
    public void run() {
        try {
            raw.setTcpNoDelay(true);
            out = new BufferedOutputStream(raw.getOutputStream(), 16384);
            reader = new LineReader(raw.getInputStream());
            if (script.tlsOnConnect() != null && !upgradeToTls(script.tlsOnConnect())) {
                return;
            }
            if (!perform(script.greetingEffects(), "")) {
                return;
            }
            while (true) {
                String command = readLine();
                if (command == null) {
                    record.recordClientClosed();
                    return;
                }
                if (!perform(script.effectsFor(command, tlsActive), command)) {
                    return;
                }
            }
        } catch (IOException e) {
            // A write or read failed: the client closed or reset while the server still had something to do.
            if (!endedByServer && !server.isClosing()) {
                record.recordClientClosed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(socket);
            closeQuietly(raw);
            record.markClosed();
            server.ended(this);
        }
    }

    /** Called by {@link MockSmtpServer#close()} from another thread: unblocks any read, write or sleep. */
    void forceClose() {
        endedByServer = true;
        closeQuietly(socket);
        closeQuietly(raw);
    }

    Script script() {
        return script;
    }

    private boolean perform(List<Effect> effects, String command) throws IOException, InterruptedException {
        for (Effect effect : effects) {
            if (!effect.perform(this, command)) {
                return false;
            }
        }
        return true;
    }

    String readLine() throws IOException {
        byte[] line = reader.readLine();
        if (line == null) {
            return null;
        }
        record.recordLine(line);
        return RecordedConnection.decode(line);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeUnflushed(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
    }

    void flush() throws IOException {
        out.flush();
    }

    void pause(Duration duration) throws InterruptedException {
        long nanos = duration.toNanos();
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    /** Reads and records until the client closes; the server is closed from elsewhere otherwise. */
    void stall() throws IOException {
        while (readLine() != null) {
            // Keep recording: a test may check what the client sent to a silent server.
        }
        record.recordClientClosed();
    }

    void closeGracefully() throws IOException {
        endedByServer = true;
        if (socket.isClosed()) {
            return;
        }
        out.flush();
        try {
            // Half-close first: a close() with unread bytes in the receive buffer would make the kernel send RST.
            socket.shutdownOutput();
            socket.setSoTimeout(DRAIN_MILLIS);
            while (readLine() != null) {
                // Record whatever the client still sends (e.g. QUIT) until its own FIN.
            }
            record.recordClientClosed();
        } catch (SocketTimeoutException | UnsupportedOperationException e) {
            // The client kept its side open; closing now is still a FIN from the client's point of view.
        } catch (IOException e) {
            // The client reset or is gone: nothing left to drain.
        } finally {
            closeQuietly(socket);
            closeQuietly(raw);
        }
    }

    void reset() throws IOException {
        endedByServer = true;
        raw.setSoLinger(true, 0);
        raw.close();
    }

    /** Upgrades this connection to TLS as server; false (failure recorded, socket closed) if the handshake fails. */
    boolean upgradeToTls(ServerTls tls) throws IOException {
        byte[] plaintext = reader.takeBuffered();
        if (plaintext.length > 0) {
            // Bytes pipelined after STARTTLS must not reach the TLS layer (RFC 3207, the CVE-2011-0411 class).
            record.recordPlaintextDiscarded(plaintext.length);
        }
        // The "consumed" variant makes a server-mode socket layered over the accepted one.
        SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(raw, null, true);
        tls.configure(ssl);
        // The JDK tells a server the client's SNI only through a matcher; this one accepts any name and keeps it.
        List<String> sni = new ArrayList<>();
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                sni.add(new SNIHostName(name.getEncoded()).getAsciiName());
                return true;
            }
        }));
        ssl.setSSLParameters(parameters);
        socket = ssl;
        try {
            ssl.startHandshake();
        } catch (IOException e) {
            record.recordTlsFailure(e);
            endedByServer = true;
            closeQuietly(ssl);
            return false;
        }
        SSLSession session = ssl.getSession();
        record.recordTls(session.getProtocol(), session.getCipherSuite(), sni);
        out = new BufferedOutputStream(ssl.getOutputStream(), 16384);
        reader = new LineReader(ssl.getInputStream());
        tlsActive = true;
        return true;
    }

    /** Reads the client's hello, sends half of the server's first flight, then closes with a FIN. */
    void abortTlsHandshake(ServerTls tls) throws IOException {
        byte[] flight = firstServerFlight(tls);
        if (flight.length > 0) {
            write(java.util.Arrays.copyOf(flight, Math.max(1, flight.length / 2)));
        }
        closeGracefully();
    }

    private byte[] firstServerFlight(ServerTls tls) throws IOException {
        SSLEngine engine = tls.context().createSSLEngine();
        tls.configure(engine);
        engine.beginHandshake();
        ByteBuffer application = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        ByteBuffer network = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteArrayOutputStream flight = new ByteArrayOutputStream();
        // A client hello may span a few records; never read more than a handful.
        for (int records = 0; records < 8 && flight.size() == 0; records++) {
            byte[] hello = readTlsRecord();
            if (hello == null) {
                return new byte[0];
            }
            ByteBuffer in = ByteBuffer.wrap(hello);
            try {
                engine.unwrap(in, application);
                for (int steps = 0; steps < 64; steps++) {
                    SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                    if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    } else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        network.clear();
                        engine.wrap(ByteBuffer.allocate(0), network);
                        network.flip();
                        flight.write(network.array(), 0, network.limit());
                    } else {
                        break;
                    }
                }
            } catch (SSLException e) {
                record.recordTlsFailure(e);
                return flight.toByteArray();
            }
        }
        return flight.toByteArray();
    }

    /**
     * Reads one TLS handshake record (header and body) from the client, or returns {@code null} (and ends the
     * connection) when the client sends something else or closes.
     */
    byte[] readTlsRecord() throws IOException {
        byte[] header;
        try {
            header = reader.readFully(5);
        } catch (java.io.EOFException e) {
            record.recordClientClosed();
            closeGracefully();
            return null;
        }
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        if (header[0] != 0x16 || length > 18432) {
            closeGracefully();
            return null;
        }
        byte[] body = reader.readFully(length);
        return ByteBuffer.allocate(5 + length).put(header).put(body).array();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort; the socket is unusable either way.
        }
    }
}
