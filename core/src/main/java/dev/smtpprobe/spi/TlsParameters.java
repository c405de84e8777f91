package dev.smtpprobe.spi;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;
import java.util.List;
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
 * @param protocols        the protocol versions to offer (JDK names such as {@code "TLSv1.2"}), those of them the
 *                         engine supports; empty for the engine's defaults. Core offers TLS 1.0 to 1.3 where the
 *                         JVM's security policy allows, to see and report a server that speaks only old versions.
 */
public record TlsParameters(String peerHost, int peerPort, X509TrustManager trustManager, boolean verifyHostname,
                            Duration handshakeTimeout, List<String> protocols) {

    /**
     * Checks and copies the components.
     *
     * @param peerHost the server's name as the user gave it (SNI and hostname verification)
     * @param peerPort the server's port
     * @param trustManager validates the server's chain; core passes one that also records the chain it saw
     * @param verifyHostname whether the certificate must match {@code peerHost}
     * @param handshakeTimeout how long the handshake may take; when it passes the transport reports a {@link
     *     ReplyTimeoutException}
     * @param protocols the protocol versions to offer (JDK names such as {@code "TLSv1.2"}), those of them the engine
     *     supports; empty for the engine's defaults. Core offers TLS 1.0 to 1.3 where the JVM's security policy allows,
     *     to see and report a server that speaks only old versions.
     */
    public TlsParameters {
        Arguments.requireNonNull(peerHost, "peerHost");
        Arguments.requireNonNull(trustManager, "trustManager");
        PipeRequest.requirePositive(handshakeTimeout, "handshakeTimeout");
        protocols = List.copyOf(Arguments.requireNonNull(protocols, "protocols"));
    }

    /**
     * Parameters offering the engine's default protocol versions.
     *
     * @param peerHost the server's name as the user gave it (SNI and hostname verification)
     * @param peerPort the server's port
     * @param trustManager validates the server's chain
     * @param verifyHostname whether the certificate must match {@code peerHost}
     * @param handshakeTimeout how long the handshake may take
     */
    public TlsParameters(String peerHost, int peerPort, X509TrustManager trustManager, boolean verifyHostname,
                         Duration handshakeTimeout) {
        this(peerHost, peerPort, trustManager, verifyHostname, handshakeTimeout, List.of());
    }

    /**
     * {@link #protocols()} that are among {@code supported} (an engine's), in order; empty when none asked.
     *
     * @param supported the protocol versions an engine supports
     * @return the requested versions that the engine supports, in requested order; empty when none were requested
     */
    public String[] protocolsAmong(String[] supported) {
        List<String> engine = List.of(supported);
        return protocols.stream().filter(engine::contains).toArray(String[]::new);
    }
}
