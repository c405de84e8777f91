package dev.smtpprobe.internal.connection;

import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TlsParameters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one SMTP connection connects, as core's {@link Connection} opens it on a transport's pipe.
 *
 * @param remote         the resolved address and port to connect to
 * @param localAddress   the local address to bind before connecting, or {@code null} for the kernel's choice
 * @param connectTimeout how long the TCP connect may take
 * @param implicitTls    TLS to start as soon as TCP is connected (SMTPS), or {@code null} for plain text
 * @param maxLifetime    a hard limit on the whole connection: when it passes, the connection is closed and
 *                       fails with a {@link ReplyTimeoutException}, whatever the dialogue is doing
 */
public record ConnectRequest(InetSocketAddress remote, InetAddress localAddress, Duration connectTimeout,
                             TlsParameters implicitTls, Duration maxLifetime) {

    public ConnectRequest {
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote must be resolved: " + remote);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(maxLifetime, "maxLifetime");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
