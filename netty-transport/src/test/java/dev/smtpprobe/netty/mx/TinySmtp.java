package dev.smtpprobe.netty.mx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A tiny SMTP server on a chosen loopback address and port (MockSmtpServer listens on 127.0.0.1 only, and MX
 * failover needs several hosts on one port): 220 banner, 250 to EHLO (no STARTTLS), 221 to QUIT, 250 otherwise.
 * Daemon threads; {@link #close()} stops everything.
 */
final class TinySmtp implements AutoCloseable {

    private final ServerSocket listener;
    private final String name;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private TinySmtp(ServerSocket listener, String name) {
        this.listener = listener;
        this.name = name;
        this.acceptor = new Thread(this::acceptLoop, "tiny-smtp-" + listener.getLocalSocketAddress());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code address:port} with implicit TLS (SMTPS, like port 465): the TLS handshake comes first, then
     * the same dialogue.
     */
    static TinySmtp startImplicitTls(InetAddress address, int port, String name, SSLContext context) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(address, port), 50);
        return new TinySmtp(ss, name);
    }

    /** Listens on {@code address:port} (port 0 for an ephemeral one), greeting as {@code name}. */
    static TinySmtp start(InetAddress address, int port, String name) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(address, port), 50);
        return new TinySmtp(ss, name);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many connections were accepted. */
    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "tiny-smtp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            write(out, "220 " + name + " ESMTP ready\r\n");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.trim().split(" ")[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> write(out, "250-" + name + " greets you\r\n250 PIPELINING\r\n");
                    case "QUIT" -> {
                        write(out, "221 2.0.0 bye\r\n");
                        return;
                    }
                    default -> write(out, "250 2.0.0 OK\r\n");
                }
            }
        } catch (IOException e) {
            // client gone or closing
        } finally {
            sockets.remove(s);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
