package dev.smtpprobe.netty.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;

/**
 * A plain JDK server on 127.0.0.1 that accepts one connection and runs a script on it in a daemon thread: the
 * peer of the transport tests. Kept in this package (not the shared testkit) so the transport is tested
 * against a peer written without Netty.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with the accepted socket. */
    interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile Socket accepted;

    private LoopbackServer(ServerSocket server, Script script) {
        this.server = server;
        this.thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                accepted = s;
                s.setSoTimeout(3_000); // a script must never hang the suite
                script.run(s);
            } catch (Throwable t) {
                errors.add(t);
            } finally {
                done.countDown();
            }
        }, "loopback-server");
        thread.setDaemon(true);
        thread.start();
    }

    static LoopbackServer start(Script script) throws IOException {
        return start(ServerSocketFactory.getDefault(), script);
    }

    static LoopbackServer start(ServerSocketFactory factory, Script script) throws IOException {
        ServerSocket ss = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new LoopbackServer(ss, script);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Waits for the script to end; returns what it threw (empty when it ran through). */
    List<Throwable> awaitScript() throws InterruptedException {
        if (!done.await(3, TimeUnit.SECONDS)) {
            throw new AssertionError("server script did not finish");
        }
        return errors;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = accepted;
        if (s != null) {
            s.close();
        }
    }

    // ---- helpers for scripts ----

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one line up to LF (CRLF kept), or what came before end of stream. */
    static String readLine(Socket s) throws IOException {
        return readLine(s.getInputStream());
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n' || line.size() > 10_000) {
                break;
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Whether the client closed: end of stream (or a reset) within the socket's timeout. */
    static boolean readsEof(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
