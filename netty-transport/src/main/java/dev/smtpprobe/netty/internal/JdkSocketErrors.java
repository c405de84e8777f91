package dev.smtpprobe.netty.internal;

import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The part of {@link SocketErrors} that needs no Netty class: the JDK's socket exceptions, recognised by type and
 * message text, given the canonical JDK types and texts the event-loop path reports before
 * {@link dev.smtpprobe.spi.TransportErrors} types them; {@link SocketErrors} calls it after its Netty-specific
 * checks. The original exception is always kept as the cause.
 *
 * <p>Pure code: no socket, no I/O.
 */
final class JdkSocketErrors {

    /** Canonical message texts; core and users can rely on these words. */
    static final String REFUSED = "Connection refused";
    static final String NO_ROUTE = "No route to host";
    static final String NET_UNREACHABLE = "Network is unreachable";
    static final String RESET = "Connection reset";
    static final String CONNECT_TIMED_OUT = "Connect timed out";
    static final String PERMISSION_DENIED = "Permission denied (EACCES)";
    static final String NOT_PERMITTED = "Operation not permitted (EPERM)";
    static final String ADDRESS_NOT_AVAILABLE = "Cannot assign requested address (EADDRNOTAVAIL)";
    static final String ADDRESS_IN_USE = "Address already in use (EADDRINUSE)";

    private JdkSocketErrors() {
    }

    /**
     * Maps a JDK exception to the type the SPI promises, or returns it unchanged when it already is one or has no
     * fixed meaning.
     *
     * @param cause      what was thrown
     * @param connecting whether the TCP connect was still in progress (a timeout then is a connect timeout)
     * @param remote     the remote address for the message, or {@code null}
     */
    public static Throwable map(Throwable cause, boolean connecting, SocketAddress remote) {
        if (cause instanceof ReplyTimeoutException || cause instanceof SmtpProtocolException
                || cause instanceof NotTlsException || cause instanceof SSLException) {
            return cause; // already the SPI's vocabulary, or the JDK's TLS types with their causes kept
        }
        if (cause instanceof IOException) {
            Throwable byText = byText(cause, connecting, remote);
            if (byText != null) {
                return byText;
            }
        }
        return cause;
    }

    /** Maps by type and message text, or returns null when the text has no fixed meaning here. */
    static Throwable byText(Throwable t, boolean connecting, SocketAddress remote) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (t instanceof NoRouteToHostException) {
            // epoll reports both EHOSTUNREACH and ENETUNREACH as a message-less NoRouteToHostException: the errno
            // is lost there, so "No route to host" is the best that can be said.
            return m.contains("network is unreachable") ? netUnreachable(connecting, remote, t)
                    : withCause(new NoRouteToHostException(NO_ROUTE + at(remote)), t);
        }
        // The JDK throws EACCES on connect as a BindException and Netty's NIO transport re-wraps a BindException as
        // a plain SocketException: the errno's text is what survives every path, so it decides here.
        if (m.contains("permission denied")) {
            return forbidden(false, remote, t);
        }
        if (m.contains("operation not permitted")) {
            return forbidden(true, remote, t);
        }
        if (m.contains("cannot assign requested address")) {
            return addressUnusable(false, remote, t);
        }
        if (m.contains("address already in use")) {
            return addressUnusable(true, remote, t);
        }
        if (m.contains("connection refused")) {
            return withCause(new ConnectException(REFUSED + at(remote)), t);
        }
        if (m.contains("no route to host") || m.contains("host is unreachable")) {
            return withCause(new NoRouteToHostException(NO_ROUTE + at(remote)), t);
        }
        if (m.contains("network is unreachable")) {
            return netUnreachable(connecting, remote, t);
        }
        if (m.contains("connection reset") || m.contains("reset by peer") || m.contains("broken pipe")) {
            return withCause(new SocketException(RESET + at(remote)), t);
        }
        if (m.contains("timed out")) {
            return timedOut(connecting, remote, t);
        }
        return null;
    }

    /**
     * EACCES or EPERM: something forbade the operation. A plain {@link SocketException} with the errno named, never
     * the JDK's {@link BindException} for EACCES, so it cannot be read as a source-address problem; core tells a
     * local block from an ICMPv6 administratively-prohibited answer.
     */
    static Throwable forbidden(boolean eperm, SocketAddress remote, Throwable t) {
        return withCause(new SocketException((eperm ? NOT_PERMITTED : PERMISSION_DENIED) + at(remote)), t);
    }

    /** EADDRNOTAVAIL or EADDRINUSE: the local (source) address cannot be used; a {@link BindException}. */
    static Throwable addressUnusable(boolean inUse, SocketAddress remote, Throwable t) {
        return withCause(new BindException((inUse ? ADDRESS_IN_USE : ADDRESS_NOT_AVAILABLE) + at(remote)), t);
    }

    static Throwable netUnreachable(boolean connecting, SocketAddress remote, Throwable t) {
        // The SPI promises a ConnectException; the JDK throws a plain SocketException for ENETUNREACH.
        return withCause(connecting ? new ConnectException(NET_UNREACHABLE + at(remote))
                : new SocketException(NET_UNREACHABLE + at(remote)), t);
    }

    static Throwable timedOut(boolean connecting, SocketAddress remote, Throwable t) {
        // While connecting, ETIMEDOUT is the kernel giving up on SYN retries: a connect timeout. Once connected
        // it means the peer stopped acknowledging data: the connection is lost, not a reply timer.
        return withCause(connecting ? new SocketTimeoutException(CONNECT_TIMED_OUT + at(remote))
                : new SocketException("Connection timed out" + at(remote)), t);
    }

    /** {@code ": remote"}, or nothing without an address. */
    public static String at(SocketAddress remote) {
        return remote == null ? "" : ": " + remote;
    }

    /** {@code mapped} with {@code cause} as its cause. */
    public static <T extends Throwable> T withCause(T mapped, Throwable cause) {
        mapped.initCause(cause);
        return mapped;
    }
}
