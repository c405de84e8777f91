package dev.smtpprobe.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The socket error mapper, a pure seam, with exceptions constructed as NIO, epoll and Netty throw them. Mockito
 * stands in only for epoll's NativeIoException, which cannot be constructed without the native library.
 */
class SocketErrorsTest {

    static final SocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 25);

    static Throwable connecting(Throwable t) {
        return SocketErrors.map(t, true, REMOTE, () -> new byte[0]);
    }

    static Throwable connected(Throwable t) {
        return SocketErrors.map(t, false, REMOTE, () -> new byte[0]);
    }

    static Errors.NativeIoException epoll(int errno, String message) {
        Errors.NativeIoException e = mock(Errors.NativeIoException.class);
        when(e.expectedErr()).thenReturn(-errno);
        when(e.getMessage()).thenReturn(message);
        return e;
    }

    @Test
    void nettysConnectTimeoutIsASocketTimeoutNotAConnectException() {
        ConnectTimeoutException netty = new ConnectTimeoutException("connection timed out after 300 ms: /127.0.0.1:25");
        Throwable mapped = connecting(netty);
        assertThat(mapped).isExactlyInstanceOf(SocketTimeoutException.class).hasMessageContaining("timed out")
                .hasCause(netty);
    }

    @Test
    void forbiddenConnectFromTheJdkNioAndEpoll() {
        // The JDK throws EACCES on connect as a BindException; Netty's NIO transport re-wraps it as a plain
        // SocketException with the address appended; epoll has the errno. None may read as a source-address problem.
        java.net.BindException jdk = new java.net.BindException("Permission denied");
        SocketException nio = new SocketException("Permission denied: /127.0.0.1:25");
        for (Throwable t : new Throwable[] {jdk, nio, epoll(13, "connect(..) failed: Permission denied")}) {
            assertThat(connecting(t)).isExactlyInstanceOf(SocketException.class)
                    .hasMessageStartingWith("Permission denied (EACCES)").hasCause(t);
        }
        SocketException eperm = new SocketException("Operation not permitted");
        for (Throwable t : new Throwable[] {eperm, epoll(1, "connect(..) failed: Operation not permitted")}) {
            assertThat(connecting(t)).isExactlyInstanceOf(SocketException.class)
                    .hasMessageStartingWith("Operation not permitted (EPERM)").hasCause(t);
        }
    }

    @Test
    void sourceAddressNotOnThisHostIsABindExceptionOnEveryPath() {
        SocketException nio = new SocketException("Cannot assign requested address: /127.0.0.1:25");
        Errors.NativeIoException native99 = epoll(99, "bind(..) failed: Cannot assign requested address");
        for (Throwable t : new Throwable[] {new java.net.BindException("Cannot assign requested address"), nio,
                native99}) {
            assertThat(connecting(t)).isExactlyInstanceOf(java.net.BindException.class)
                    .hasMessageStartingWith("Cannot assign requested address (EADDRNOTAVAIL)").hasCause(t);
        }
        assertThat(connecting(epoll(98, "bind(..) failed: Address already in use")))
                .isExactlyInstanceOf(java.net.BindException.class).hasMessageStartingWith("Address already in use");
    }

    @Test
    void refusedFromNioAndFromEpoll() {
        ConnectException nio = new ConnectException("Connection refused");
        assertThat(connecting(nio)).isExactlyInstanceOf(ConnectException.class)
                .hasMessage("Connection refused: /127.0.0.1:25").hasCause(nio);
        ConnectException epollConnect = new ConnectException("connect(..) failed with error(-111): Connection refused");
        assertThat(connecting(epollConnect)).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Connection refused");
        Errors.NativeIoException byErrno = epoll(111, "anything");
        assertThat(connecting(byErrno)).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Connection refused").hasCause(byErrno);
    }

    @Test
    void hostUnreachable() {
        NoRouteToHostException nio = new NoRouteToHostException("No route to host");
        assertThat(connecting(nio)).isExactlyInstanceOf(NoRouteToHostException.class)
                .hasMessageStartingWith("No route to host").hasCause(nio);
        // epoll throws it without a message (and for ENETUNREACH too: the errno is lost there)
        assertThat(connecting(new NoRouteToHostException())).isExactlyInstanceOf(NoRouteToHostException.class)
                .hasMessageStartingWith("No route to host");
        assertThat(connecting(epoll(113, null))).isExactlyInstanceOf(NoRouteToHostException.class);
        assertThat(connecting(new ConnectException("connect(..) failed with error(-113): No route to host")))
                .isExactlyInstanceOf(NoRouteToHostException.class);
    }

    @Test
    void networkUnreachableIsAConnectExceptionSayingSo() {
        SocketException nio = new SocketException("Network is unreachable"); // NIO's type for ENETUNREACH
        assertThat(connecting(nio)).isExactlyInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Network is unreachable").hasCause(nio);
        assertThat(connecting(epoll(101, null))).isExactlyInstanceOf(ConnectException.class)
                .hasMessageContaining("Network is unreachable");
    }

    @Test
    void resetFromNioAndEpollReadsAndWrites() {
        for (IOException e : new IOException[] {new SocketException("Connection reset"),
                new IOException("Connection reset by peer"), new IOException("Broken pipe"),
                new IOException("recvAddress(..) failed with error(-104): Connection reset by peer")}) {
            assertThat(connected(e)).as(e.getMessage()).isExactlyInstanceOf(SocketException.class)
                    .hasMessageStartingWith("Connection reset").hasCause(e);
        }
        assertThat(connected(epoll(104, null))).isExactlyInstanceOf(SocketException.class)
                .hasMessageStartingWith("Connection reset");
        assertThat(connected(epoll(32, null))).isExactlyInstanceOf(SocketException.class)
                .hasMessageStartingWith("Connection reset");
    }

    @Test
    void etimedoutIsAConnectTimeoutOnlyWhileConnecting() {
        ConnectException kernel = new ConnectException("Connection timed out");
        assertThat(connecting(kernel)).isExactlyInstanceOf(SocketTimeoutException.class);
        assertThat(connecting(epoll(110, null))).isExactlyInstanceOf(SocketTimeoutException.class);
        assertThat(connected(epoll(110, null))).isExactlyInstanceOf(SocketException.class)
                .hasMessageStartingWith("Connection timed out");
    }

    @Test
    void tlsHandshakeTimeoutIsAReplyTimeout() {
        SslHandshakeTimeoutException netty = new SslHandshakeTimeoutException("handshake timed out after 150ms");
        assertThat(connected(netty)).isExactlyInstanceOf(ReplyTimeoutException.class)
                .hasMessageContaining("TLS handshake timed out").hasCause(netty);
    }

    @Test
    void nonTlsBytesBecomeNotTlsWithTheRecordedBytes() {
        NotSslRecordException netty = new NotSslRecordException("not an SSL/TLS record: 3232302068690d0a");
        byte[] bytes = "220 hi\r\n".getBytes(StandardCharsets.US_ASCII);
        Throwable mapped = SocketErrors.map(new DecoderException(netty), false, REMOTE, () -> bytes);
        assertThat(mapped).isExactlyInstanceOf(NotTlsException.class).hasCause(netty);
        assertThat(((NotTlsException) mapped).looksLikeSmtpReply()).isTrue();
    }

    @Test
    void theSpisOwnTypesAndJdkTlsErrorsPassThrough() {
        SmtpProtocolException protocol = new SmtpProtocolException(SmtpProtocolException.Kind.MALFORMED, "x");
        assertThat(connected(new DecoderException(protocol))).isSameAs(protocol);
        ReplyTimeoutException timeout = new ReplyTimeoutException("no reply");
        assertThat(connected(timeout)).isSameAs(timeout);
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        assertThat(connected(new DecoderException(handshake))).isSameAs(handshake);
        IOException other = new IOException("something else");
        assertThat(connected(other)).isSameAs(other);
        assertThat(connected(epoll(9999, "odd"))).isInstanceOf(Errors.NativeIoException.class);
    }
}
