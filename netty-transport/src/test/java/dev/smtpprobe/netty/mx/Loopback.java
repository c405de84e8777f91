package dev.smtpprobe.netty.mx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback addresses and ports for MX tests: Linux answers on all of 127.0.0.0/8, so each test gets its own. */
final class Loopback {

    private Loopback() {
    }

    /**
     * A random address in 127.64.0.0/10 (never 127.0.0.1), so that concurrent test runs on this machine do not
     * collide on fixed ports like 25 and 587.
     */
    static InetAddress randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] b = {127, (byte) (64 + r.nextInt(128)), (byte) r.nextInt(256), (byte) (2 + r.nextInt(250))};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port that is free on every given address (bound, then released). */
    static int freePortOn(InetAddress... addresses) throws IOException {
        for (int tries = 0; tries < 50; tries++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, addresses[0])) {
                port = probe.getLocalPort();
            }
            boolean free = true;
            for (InetAddress a : addresses) {
                try (ServerSocket ss = new ServerSocket(port, 1, a)) {
                    ss.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IOException("no port free on all of " + List.of(addresses));
    }

    /**
     * A port on which connections time out: a listener that never accepts, whose accept queue is filled, so the
     * kernel drops further SYNs (Linux, tcp_abort_on_overflow = 0) and a client's connect meets silence until its
     * timeout, exactly as behind a DROP rule. Close the result to release the listener and the filler sockets.
     */
    static Blackhole blackholePort(InetAddress address, int port) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(address, port), 1);
        List<Socket> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(ss.getLocalSocketAddress(), 200);
                } catch (SocketTimeoutException full) {
                    return new Blackhole(ss, fillers);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(ss, fillers);
            throw e;
        }
        closeAll(ss, fillers);
        throw new IOException("the accept queue of " + ss.getLocalSocketAddress() + " never filled up");
    }

    /** A listener that drops SYNs; see {@link #blackholePort}. */
    record Blackhole(ServerSocket listener, List<Socket> fillers) implements AutoCloseable {
        @Override
        public void close() {
            closeAll(listener, fillers);
        }
    }

    private static void closeAll(ServerSocket ss, List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            ss.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Whether this process may listen on a port below 1024 (root, or a lowered ip_unprivileged_port_start). */
    static boolean canBindPort25(InetAddress address) {
        try (ServerSocket ss = new ServerSocket(25, 1, address)) {
            return ss.getLocalPort() == 25;
        } catch (IOException e) {
            return false;
        }
    }
}
