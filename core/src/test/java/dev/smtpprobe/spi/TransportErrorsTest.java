package dev.smtpprobe.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.spi.TransportException.Kind;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The one mapping of the JDK's socket and TLS exceptions to typed kinds, with the original kept as the cause. */
class TransportErrorsTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);

    @Test
    void theJdksConnectFailuresGetTheirKinds() {
        assertKind(new ConnectException("Connection refused"), true, Kind.REFUSED, "Connection refused");
        assertKind(new SocketTimeoutException("Connect timed out"), true, Kind.CONNECT_TIMEOUT, "Connect timed out");
        assertKind(new NoRouteToHostException("No route to host"), true, Kind.HOST_UNREACHABLE, "No route to host");
        // The JDK throws ENETUNREACH as a plain SocketException and EACCES as a BindException: the errno text decides.
        assertKind(new SocketException("Network is unreachable"), true, Kind.NETWORK_UNREACHABLE,
                "Network is unreachable");
        assertKind(new BindException("Permission denied"), true, Kind.ACCESS_DENIED, "Permission denied (EACCES)");
        assertKind(new SocketException("Operation not permitted"), true, Kind.NOT_PERMITTED,
                "Operation not permitted (EPERM)");
        assertKind(new BindException("Cannot assign requested address"), true, Kind.ADDRESS_UNAVAILABLE,
                "Cannot assign requested address (EADDRNOTAVAIL)");
        assertKind(new BindException("Address already in use"), true, Kind.ADDRESS_UNAVAILABLE,
                "Address already in use (EADDRINUSE)");
    }

    @Test
    void afterConnectingATimeoutIsALostConnectionAndAResetIsAReset() {
        assertKind(new SocketException("Connection timed out"), false, Kind.OTHER, "Connection timed out");
        assertKind(new SocketException("Connection reset"), false, Kind.RESET, "Connection reset");
        assertKind(new IOException("Broken pipe"), false, Kind.RESET, "Connection reset");
    }

    @Test
    void tlsFailuresKeepTheJdksExceptionAndNonTlsBytesTheirFirstBytes() {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
        TransportException tls = TransportErrors.classify(handshake, false, REMOTE);
        assertThat(tls.kind()).isEqualTo(Kind.TLS);
        assertThat(tls.getCause()).isSameAs(handshake);

        NotTlsException notTls = new NotTlsException("220 mx ESMTP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        TransportException mismatch = TransportErrors.classify(new SSLHandshakeException("x") {
            {
                initCause(notTls);
            }
        }, false, REMOTE);
        assertThat(mismatch.kind()).isEqualTo(Kind.NOT_TLS);
        assertThat(mismatch.getCause()).isSameAs(notTls);
    }

    @Test
    void theClassifiedFailureHasNoStackOfItsOwnAndTheCauseKeepsTheTransports() {
        ConnectException refused = new ConnectException("Connection refused");
        TransportException e = TransportErrors.classify(refused, true, REMOTE);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isSameAs(refused);
        assertThat(refused.getStackTrace()).isNotEmpty();
        assertThat(new TransportException(Kind.OTHER, false, "made by a transport", null).getStackTrace()).isEmpty();
    }

    @Test
    void anUnknownFailureIsOtherWithItsOwnTextNeverNull() {
        TransportException e = TransportErrors.classify(new SocketException(), true, REMOTE);
        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e).hasMessage("SocketException");
        assertThat(TransportErrors.classify(e, true, REMOTE)).isSameAs(e);
    }

    private static void assertKind(IOException jdk, boolean connecting, Kind kind, String text) {
        TransportException e = TransportErrors.classify(jdk, connecting, REMOTE);
        assertThat(e.kind()).as(jdk.toString()).isEqualTo(kind);
        assertThat(e.connecting()).isEqualTo(connecting);
        assertThat(e).hasMessage(text + ": " + REMOTE).hasCause(jdk);
    }
}
