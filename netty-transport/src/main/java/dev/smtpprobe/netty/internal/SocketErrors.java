package dev.smtpprobe.netty.internal;

import static dev.smtpprobe.netty.internal.JdkSocketErrors.at;
import static dev.smtpprobe.netty.internal.JdkSocketErrors.withCause;

import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns whatever Netty, the JDK's NIO or a native transport threw into the JDK types the
 * {@link dev.smtpprobe.spi.Transport} contract promises, so core can match on type and never on Netty's classes
 * or on a transport's wording. The original exception is always kept as the cause.
 *
 * <p>Pure code: no channel, no I/O, so every branch is unit-tested with constructed exceptions.
 *
 * <p>Checks run most specific first: Netty's {@code ConnectTimeoutException} is a {@link ConnectException} and
 * {@code SslHandshakeTimeoutException} is an {@link javax.net.ssl.SSLHandshakeException}, so both must be tested
 * before their JDK parents. Then the errno of an epoll/kqueue {@code NativeIoException}, then the message texts
 * of NIO and of the native transports (they differ: NIO says "Connection reset", epoll
 * "recvAddress(..) failed with error(-104): Connection reset by peer").
 */
final class SocketErrors {

    // Linux errno values (epoll is Linux only). macOS/BSD (kqueue) values differ; those are matched by text.
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;
    static final int ENETUNREACH = 101;
    static final int ECONNRESET = 104;
    static final int EPIPE = 32;
    static final int ETIMEDOUT = 110;
    static final int EACCES = 13;
    static final int EPERM = 1;
    static final int EADDRNOTAVAIL = 99;
    static final int EADDRINUSE = 98;

    /** Canonical message texts; core and users can rely on these words. */
    static final String REFUSED = JdkSocketErrors.REFUSED;
    static final String NO_ROUTE = JdkSocketErrors.NO_ROUTE;
    static final String NET_UNREACHABLE = JdkSocketErrors.NET_UNREACHABLE;
    static final String RESET = JdkSocketErrors.RESET;
    static final String CONNECT_TIMED_OUT = JdkSocketErrors.CONNECT_TIMED_OUT;

    private SocketErrors() {
    }

    /**
     * Maps {@code cause} to the type the SPI promises.
     *
     * @param cause      what was thrown or reported
     * @param connecting whether the TCP connect was still in progress (a timeout then is a connect timeout)
     * @param remote     the remote address for the message, or {@code null}
     * @param firstBytes supplies the first bytes received since a TLS handshake began, for {@link NotTlsException};
     *                   may return an empty array
     */
    public static Throwable map(Throwable cause, boolean connecting, SocketAddress remote,
                                Supplier<byte[]> firstBytes) {
        Throwable t = unwrap(cause);
        // Already in the SPI's vocabulary.
        if (t instanceof ReplyTimeoutException || t instanceof SmtpProtocolException
                || t instanceof NotTlsException) {
            return t;
        }
        // Netty subtypes before their JDK parents.
        if (t instanceof SslHandshakeTimeoutException) {
            return withCause(new ReplyTimeoutException("TLS handshake timed out" + at(remote)), t);
        }
        if (t instanceof NotSslRecordException) {
            return withCause(new NotTlsException(firstBytes.get()), t);
        }
        if (t instanceof ConnectTimeoutException) {
            return withCause(new SocketTimeoutException(CONNECT_TIMED_OUT + at(remote)), t);
        }
        if (t instanceof SSLException) {
            return t; // JDK types with the JDK's causes (certificate problems, alerts) kept as they are
        }
        if (t instanceof Errors.NativeIoException) {
            Throwable byErrno = byErrno(Math.abs(((Errors.NativeIoException) t).expectedErr()), t, connecting,
                    remote);
            if (byErrno != null) {
                return byErrno;
            }
        }
        return JdkSocketErrors.map(t, connecting, remote);
    }

    /**
     * Maps the cause of a failed TLS handshake: like {@link #map}, except that the peer closing the connection
     * mid-handshake (Netty: {@code ClosedChannelException}) becomes the {@link SSLHandshakeException} the JDK
     * itself throws for it, so it reads as a handshake failure rather than as a connection closed at random.
     */
    public static Throwable mapHandshakeFailure(Throwable cause, SocketAddress remote, Supplier<byte[]> firstBytes) {
        Throwable t = unwrap(cause);
        if (t instanceof ClosedChannelException) {
            return withCause(new SSLHandshakeException("Remote host terminated the handshake" + at(remote)), t);
        }
        return map(t, false, remote, firstBytes);
    }

    /** Maps a Linux errno, or returns null when it is not one with a fixed meaning here. */
    static Throwable byErrno(int errno, Throwable t, boolean connecting, SocketAddress remote) {
        switch (errno) {
            case ECONNREFUSED:
                return withCause(new ConnectException(REFUSED + at(remote)), t);
            case EHOSTUNREACH:
                return withCause(new NoRouteToHostException(NO_ROUTE + at(remote)), t);
            case ENETUNREACH:
                return JdkSocketErrors.netUnreachable(connecting, remote, t);
            case ECONNRESET:
            case EPIPE:
                return withCause(new SocketException(RESET + at(remote)), t);
            case ETIMEDOUT:
                return JdkSocketErrors.timedOut(connecting, remote, t);
            case EACCES:
            case EPERM:
                return JdkSocketErrors.forbidden(errno == EPERM, remote, t);
            case EADDRNOTAVAIL:
            case EADDRINUSE:
                return JdkSocketErrors.addressUnusable(errno == EADDRINUSE, remote, t);
            default:
                return null;
        }
    }

    /** Netty wraps exceptions from decoders (ours, SslHandler's) in DecoderException; the cause is the news. */
    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while (cur instanceof DecoderException && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
