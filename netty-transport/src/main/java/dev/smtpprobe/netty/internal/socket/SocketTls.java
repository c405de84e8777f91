package dev.smtpprobe.netty.internal.socket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS on a connected plain socket, driven by a client {@link SSLEngine} (see {@link ClientEngines}): the handshake,
 * then the application data as a pair of streams. The socket stays what it is, a plain socket that reports its
 * real addresses to whoever asks (the JDK's own socket events among them); the engine, made without a peer port,
 * is what keeps every handshake a full one.
 *
 * <p>Blocking, on the socket's own streams: each read waits at most the socket's read timeout and throws its
 * {@link java.net.SocketTimeoutException} unchanged; a record cut by a timeout is kept and completed by the next
 * read. Socket errors pass through unchanged, TLS errors are the engine's {@link SSLException}s with their causes.
 *
 * <p>Threads: the handshake, the reads and {@link #closeOutbound()} belong to one thread (the connection's I/O
 * thread). Writes may come from any thread; every record the engine produces is written under one lock, so records
 * reach the socket in the order the engine made them.
 */
final class SocketTls {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** At most this many wraps to say close_notify or a failure's alert: they are courtesies, never waited on. */
    private static final int COURTESY_WRAPS = 4;

    private final SSLEngine engine;
    private final InputStream netIn;
    private final OutputStream netOut;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    /** Records received and not yet unwrapped (read mode). I/O thread only. */
    private ByteBuffer inNet;
    /** Application data unwrapped and not yet read (read mode). I/O thread only. */
    private ByteBuffer inApp;
    /** The record being written. Under {@link #writeLock}. */
    private ByteBuffer outNet;
    /** The peer said close_notify, or closed the connection after the handshake. I/O thread only. */
    private boolean inboundDone;

    /**
     * A TLS layer on {@code plain}, which must be connected; nothing is sent until {@link #handshake()}.
     *
     * @param engine a client engine, its handshake not begun
     * @param plain  the connected socket; its streams carry the records
     */
    SocketTls(SSLEngine engine, Socket plain) throws IOException {
        this.engine = engine;
        this.netIn = plain.getInputStream();
        this.netOut = plain.getOutputStream();
        SSLSession sizes = engine.getSession();
        inNet = ByteBuffer.allocate(sizes.getPacketBufferSize()).flip();
        inApp = ByteBuffer.allocate(sizes.getApplicationBufferSize()).flip();
        outNet = ByteBuffer.allocate(sizes.getPacketBufferSize());
    }

    /**
     * Runs the whole handshake on the calling thread. On a TLS failure the engine's alert is sent to the peer
     * (best effort) before the {@link SSLException} is thrown; a peer that closes mid-handshake gives an
     * {@link SSLHandshakeException}, as the JDK's own TLS sockets do.
     */
    void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        try {
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                switch (status) {
                    case NEED_WRAP:
                        status = wrapAndWrite(EMPTY);
                        break;
                    case NEED_TASK:
                        runTasks();
                        status = engine.getHandshakeStatus();
                        break;
                    default: // NEED_UNWRAP (NEED_UNWRAP_AGAIN is DTLS only)
                        status = unwrapForHandshake();
                        break;
                }
            }
        } catch (SSLException e) {
            sayQuietly(); // the engine has queued the alert that tells the peer why
            throw e;
        }
    }

    /** The negotiated session, once {@link #handshake()} returned. */
    SSLSession session() {
        return engine.getSession();
    }

    /** The application data received; {@code -1} once the peer said close_notify or closed the connection. */
    InputStream in() {
        return in;
    }

    /** Sends application data as TLS records; any thread. */
    OutputStream out() {
        return out;
    }

    /** Says close_notify to the peer, bounded by the socket write; the peer's answer is not awaited. */
    void closeOutbound() {
        engine.closeOutbound();
        sayQuietly();
    }

    // ---- internals ----

    private HandshakeStatus unwrapForHandshake() throws IOException {
        SSLEngineResult result = unwrap();
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW:
                if (!fill()) {
                    throw eofDuringHandshake();
                }
                return engine.getHandshakeStatus();
            case CLOSED:
                throw eofDuringHandshake();
            default:
                return result.getHandshakeStatus();
        }
    }

    private static SSLHandshakeException eofDuringHandshake() {
        SSLHandshakeException e = new SSLHandshakeException("Remote host terminated the handshake");
        e.initCause(new EOFException("SSL peer shut down incorrectly"));
        return e;
    }

    /** Reads application data into {@code b}, waiting for a record when none is unwrapped yet. */
    private int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!inApp.hasRemaining()) {
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult result = unwrap();
            serviceHandshake(result.getHandshakeStatus()); // e.g. a TLS 1.3 KeyUpdate to answer
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW:
                    if (!fill()) {
                        inboundDone = true; // closed without close_notify: the end of the stream all the same
                    }
                    break;
                case CLOSED:
                    inboundDone = true;
                    break;
                default:
                    break; // OK: data, or a post-handshake message (a session ticket) with none
            }
        }
        int n = Math.min(len, inApp.remaining());
        inApp.get(b, off, n);
        return n;
    }

    /** Runs the engine's tasks and wraps it asks for after a read, until it wants to read again or is done. */
    private void serviceHandshake(HandshakeStatus status) throws IOException {
        HandshakeStatus s = status;
        while (true) {
            if (s == HandshakeStatus.NEED_TASK) {
                runTasks();
                s = engine.getHandshakeStatus();
            } else if (s == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                s = wrapAndWrite(EMPTY);
            } else {
                return;
            }
        }
    }

    /** Unwraps what {@link #inNet} holds into {@link #inApp}, keeping what was not read yet. */
    private SSLEngineResult unwrap() throws SSLException {
        while (true) {
            inApp.compact();
            SSLEngineResult result;
            try {
                result = engine.unwrap(inNet, inApp);
            } finally {
                inApp.flip();
            }
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return result;
            }
            inApp = enlarged(inApp, engine.getSession().getApplicationBufferSize());
        }
    }

    /** Reads more records from the socket into {@link #inNet}; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (inNet.remaining() == inNet.capacity()) { // a record larger than the buffer: only if the session grew
            inNet = enlarged(inNet, engine.getSession().getPacketBufferSize());
        }
        inNet.compact();
        try {
            int n = netIn.read(inNet.array(), inNet.arrayOffset() + inNet.position(), inNet.remaining());
            if (n < 0) {
                return false;
            }
            inNet.position(inNet.position() + n);
            return true;
        } finally {
            inNet.flip();
        }
    }

    /**
     * Wraps all of {@code src} (nothing, for handshake and closing records) and writes the records to the socket.
     *
     * @return the engine's handshake status after the last wrap
     */
    private HandshakeStatus wrapAndWrite(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            while (true) {
                outNet.clear();
                SSLEngineResult result = engine.wrap(src, outNet);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    outNet = ByteBuffer.allocate(Math.max(outNet.capacity() * 2,
                            engine.getSession().getPacketBufferSize()));
                    continue;
                }
                outNet.flip();
                if (outNet.hasRemaining()) {
                    netOut.write(outNet.array(), outNet.arrayOffset(), outNet.limit());
                }
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    if (src.hasRemaining()) {
                        throw new SSLException("TLS connection closed: cannot send");
                    }
                    return result.getHandshakeStatus();
                }
                if (!src.hasRemaining()) {
                    return result.getHandshakeStatus();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends what the engine has queued for the peer (an alert, close_notify); failures are ignored. */
    private void sayQuietly() {
        try {
            for (int i = 0; i < COURTESY_WRAPS && !engine.isOutboundDone(); i++) {
                wrapAndWrite(EMPTY);
            }
        } catch (IOException | RuntimeException e) {
            // A courtesy: the peer may be gone already, and what failed is reported by the caller.
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // on this thread: the probe's thread waits for the handshake anyway
        }
    }

    /** A buffer in read mode holding {@code b}'s unread bytes, with room for at least {@code room} more. */
    private static ByteBuffer enlarged(ByteBuffer b, int room) {
        ByteBuffer bigger = ByteBuffer.allocate(b.remaining() + Math.max(room, b.capacity()));
        bigger.put(b);
        return bigger.flip();
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return SocketTls.this.read(b, off, len);
        }

        @Override
        public int available() {
            return inApp.remaining();
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            wrapAndWrite(ByteBuffer.wrap(b, off, len));
        }
    }
}
