package dev.smtpprobe.netty.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that misbehaves on purpose: each accepted connection runs a {@link Behaviour} on its own
 * thread. It records how many bytes the behaviour managed to write and whether the client went away first, which
 * is how the tests see that the probe stopped reading instead of buffering.
 */
public final class HostilePeer implements AutoCloseable {

    /** What the server does with one connection. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Connection connection) throws IOException, InterruptedException;
    }

    /** One accepted connection, with helpers that count what was written. */
    public static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final AtomicLong written;

        Connection(Socket socket, AtomicLong written) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.written = written;
        }

        /** Writes and flushes bytes. */
        public void write(byte[] bytes) throws IOException {
            write(bytes, 0, bytes.length);
        }

        /** Writes and flushes part of an array. */
        public void write(byte[] bytes, int off, int len) throws IOException {
            out.write(bytes, off, len);
            out.flush();
            written.addAndGet(len);
        }

        /** Writes and flushes ASCII text. */
        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Reads one command line (without CRLF), or null at the end of the stream. */
        public String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    return sb.toString().strip();
                }
                if (sb.length() < 4096) {
                    sb.append((char) b);
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        /** Reads exactly up to {@code n} bytes (fewer at the end of the stream). */
        public byte[] read(int n) throws IOException {
            return in.readNBytes(n);
        }

        /** The underlying socket (for options such as a small send buffer). */
        public Socket socket() {
            return socket;
        }
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final List<Throwable> endings = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** Starts listening on an ephemeral loopback port. */
    public HostilePeer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        acceptor = new Thread(this::acceptLoop, "hostile-peer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> run(s), "hostile-peer-conn");
                t.setDaemon(true);
                threads.add(t);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void run(Socket s) {
        try (s) {
            behaviour.serve(new Connection(s, written));
        } catch (IOException e) {
            // Typically the client closing on us (broken pipe, reset): recorded, that is what tests look at.
            endings.add(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(s);
            threads.remove(Thread.currentThread());
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Bytes written by all behaviours so far. */
    public long bytesWritten() {
        return written.get();
    }

    /** Write errors seen (the client going away while the server still talked). */
    public List<Throwable> endings() {
        return new ArrayList<>(endings);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
