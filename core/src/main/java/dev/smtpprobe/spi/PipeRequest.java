package dev.smtpprobe.spi;

import dev.smtpprobe.internal.Arguments;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Pipe} connects.
 *
 * @param remote         the resolved address and port to connect to
 * @param localAddress   the local address to bind before connecting, or {@code null} for the kernel's choice
 * @param connectTimeout how long the TCP connect may take; when it passes the transport reports a
 *                       {@link TransportException.Kind#CONNECT_TIMEOUT}
 */
public record PipeRequest(InetSocketAddress remote, @Nullable InetAddress localAddress, Duration connectTimeout) {

    /**
     * Checks the components.
     *
     * @param remote the resolved address and port to connect to
     * @param localAddress the local address to bind before connecting, or {@code null} for the kernel's choice
     * @param connectTimeout how long the TCP connect may take; when it passes the transport reports a {@link
     *     TransportException.Kind#CONNECT_TIMEOUT}
     */
    public PipeRequest {
        Arguments.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote must be resolved: " + remote);
        }
        requirePositive(connectTimeout, "connectTimeout");
    }

    static void requirePositive(Duration d, String name) {
        Arguments.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
