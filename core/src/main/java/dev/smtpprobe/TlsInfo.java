package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The facts of an established TLS session, or of a failed handshake's offered chain when the certificate was the
 * problem.
 *
 * @param protocol         e.g. {@code "TLSv1.3"}; empty when the handshake did not complete
 * @param cipherSuite      e.g. {@code "TLS_AES_128_GCM_SHA256"}; empty when the handshake did not complete
 * @param peerCertificates the server's chain, leaf first; empty when the server presented none
 */
public record TlsInfo(String protocol, String cipherSuite, List<CertificateInfo> peerCertificates) {

    /**
     * Checks and copies the components.
     *
     * @param protocol e.g. {@code "TLSv1.3"}; empty when the handshake did not complete
     * @param cipherSuite e.g. {@code "TLS_AES_128_GCM_SHA256"}; empty when the handshake did not complete
     * @param peerCertificates the server's chain, leaf first; empty when the server presented none
     */
    public TlsInfo {
        Arguments.requireNonNull(protocol, "protocol");
        Arguments.requireNonNull(cipherSuite, "cipherSuite");
        peerCertificates = List.copyOf(Arguments.requireNonNull(peerCertificates, "peerCertificates"));
    }

    /** {@return the server's own certificate (first of the chain), or {@code null} when none was presented} */
    public @Nullable CertificateInfo leaf() {
        return peerCertificates.isEmpty() ? null : peerCertificates.get(0);
    }

    /**
     * The presented chain in PEM, leaf first, one certificate after the other (what {@code openssl s_client
     * -showcerts} prints, and what {@code openssl verify -untrusted} reads); empty when the server presented none.
     *
     * @return the chain in PEM, or an empty string
     */
    public String pemChain() {
        StringBuilder sb = new StringBuilder();
        peerCertificates.forEach(c -> sb.append(c.pem()));
        return sb.toString();
    }
}
