package dev.smtpprobe.spi;

import dev.smtpprobe.spi.TransportException.Kind;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies the JDK's socket and TLS exceptions as {@link TransportException}s, for any transport: by type
 * first, then by the errno text the JDK puts in the message (the only place some of them survive: EACCES arrives as
 * a {@link BindException}, ENETUNREACH as a plain {@link java.net.SocketException}). A transport with its own error
 * types (a native errno) maps those first and hands the rest here. Pure code.
 */
public final class TransportErrors {

    private TransportErrors() {
    }

    /**
     * Classifies {@code cause}.
     *
     * @param cause      what the transport saw; returned as it is when it already is a {@link TransportException}
     * @param connecting whether the TCP connect was still in progress (a timeout then is a connect timeout)
     * @param remote     the remote address for the message, or {@code null}
     * @return {@code cause} itself when it is a transport exception, otherwise one of the matching kind wrapping it
     */
    public static TransportException classify(Throwable cause, boolean connecting, @Nullable SocketAddress remote) {
        if (cause instanceof TransportException te) {
            return te;
        }
        if (cause instanceof NotTlsException) {
            return new TransportException(Kind.NOT_TLS, connecting, cause.getMessage(), cause);
        }
        if (cause instanceof SSLException) {
            NotTlsException notTls = find(cause, NotTlsException.class);
            if (notTls != null) {
                return new TransportException(Kind.NOT_TLS, connecting, notTls.getMessage(), notTls);
            }
            return new TransportException(Kind.TLS, connecting, String.valueOf(cause.getMessage()), cause);
        }
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause instanceof NoRouteToHostException && !m.contains("network is unreachable")) {
            return of(Kind.HOST_UNREACHABLE, connecting, "No route to host", remote, cause);
        }
        if (m.contains("permission denied")) {
            return of(Kind.ACCESS_DENIED, connecting, "Permission denied (EACCES)", remote, cause);
        }
        if (m.contains("operation not permitted")) {
            return of(Kind.NOT_PERMITTED, connecting, "Operation not permitted (EPERM)", remote, cause);
        }
        if (m.contains("cannot assign requested address")) {
            return of(Kind.ADDRESS_UNAVAILABLE, connecting, "Cannot assign requested address (EADDRNOTAVAIL)", remote,
                    cause);
        }
        if (m.contains("address already in use")) {
            return of(Kind.ADDRESS_UNAVAILABLE, connecting, "Address already in use (EADDRINUSE)", remote, cause);
        }
        if (m.contains("connection refused")) {
            return of(Kind.REFUSED, connecting, "Connection refused", remote, cause);
        }
        if (m.contains("no route to host") || m.contains("host is unreachable")) {
            return of(Kind.HOST_UNREACHABLE, connecting, "No route to host", remote, cause);
        }
        if (m.contains("network is unreachable")) {
            return of(Kind.NETWORK_UNREACHABLE, connecting, "Network is unreachable", remote, cause);
        }
        if (m.contains("connection reset") || m.contains("reset by peer") || m.contains("broken pipe")) {
            return of(Kind.RESET, connecting, "Connection reset", remote, cause);
        }
        if (connecting && (cause instanceof SocketTimeoutException || m.contains("timed out"))) {
            // While connecting, ETIMEDOUT is the kernel giving up on SYN retries: a connect timeout too.
            return of(Kind.CONNECT_TIMEOUT, true, "Connect timed out", remote, cause);
        }
        if (m.contains("timed out")) {
            // Once connected, ETIMEDOUT means the peer stopped acknowledging data: the connection is lost.
            return of(Kind.OTHER, false, "Connection timed out", remote, cause);
        }
        if (cause instanceof ConnectException) {
            return of(Kind.REFUSED, connecting, "Connection refused", remote, cause);
        }
        String text = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName() : cause.getMessage();
        return new TransportException(Kind.OTHER, connecting, text, cause);
    }

    /**
     * {@code ": remote"}, or nothing without an address.
     *
     * @param remote the remote address, or {@code null}
     * @return {@code ": "} and the address, or an empty string when {@code remote} is null
     */
    public static String at(SocketAddress remote) {
        return remote == null ? "" : ": " + remote;
    }

    private static TransportException of(Kind kind, boolean connecting, String text, SocketAddress remote,
                                         Throwable cause) {
        return new TransportException(kind, connecting, text + at(remote), cause);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
