package dev.smtpprobe.spi;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;
import javax.net.ssl.X509TrustManager;

/**
 * How a {@link Transport} runs a client TLS handshake.
 *
 * <p>The transport sends SNI for {@code peerHost} when it is a host name (not an address literal) and, when
 * {@code verifyHostname} is set, checks the certificate against {@code peerHost} with the endpoint identification
 * algorithm {@code "HTTPS"} (RFC 6125 rules). Chain validation is the trust manager's.
 *
 * @param peerHost         the server's name as the user gave it (SNI and hostname verification)
 * @param peerPort         the server's port
 * @param trustManager     validates the server's chain; core passes one that also records the chain it saw
 * @param verifyHostname   whether the certificate must match {@code peerHost}
 * @param handshakeTimeout how long the handshake may take; when it passes the transport reports a
 *                         {@link ReplyTimeoutException}
 */
public record TlsParameters(String peerHost, int peerPort, X509TrustManager trustManager, boolean verifyHostname,
                            Duration handshakeTimeout) {

    public TlsParameters {
        Arguments.requireNonNull(peerHost, "peerHost");
        Arguments.requireNonNull(trustManager, "trustManager");
        PipeRequest.requirePositive(handshakeTimeout, "handshakeTimeout");
    }
}
