package dev.smtpprobe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for tests that need nothing listening.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("127.0.0.1").port(Ports.closed()).run();   // CONNECTION_REFUSED
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns a loopback port with nothing listening: binds an ephemeral port on 127.0.0.1 and closes it, so a
     * connection to it is refused (RST). Another process could take the port in between; the kernel hands out
     * ephemeral ports round-robin, which makes that unlikely within a test.
     *
     * @return a closed port on 127.0.0.1
     */
    public static int closed() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(MockSmtpServer.ipv4Loopback(), 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral loopback port", e);
        }
    }

    /** @return 127.0.0.1 with a {@link #closed()} port */
    public static InetSocketAddress closedAddress() {
        return new InetSocketAddress(MockSmtpServer.ipv4Loopback(), closed());
    }

    /** @return whether a socket can be bound on ::1 here (containers often have no IPv6 loopback) */
    public static boolean ipv6LoopbackAvailable() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(MockSmtpServer.ipv6Loopback(), 0), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
