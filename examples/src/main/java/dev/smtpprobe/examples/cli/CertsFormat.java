package dev.smtpprobe.examples.cli;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.PrintableText;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsInfo;
import java.util.List;

/**
 * {@code --show-certs}: the chain the server presented, in PEM, leaf first, each certificate after a comment line
 * with its subject and issuer (the layout of {@code openssl s_client -showcerts}), so it can be saved and read by
 * {@code openssl x509} or {@code openssl verify}.
 */
final class CertsFormat {

    private CertsFormat() {
    }

    /** The chain section, ending with a newline; says so when no certificate was presented. */
    static String render(ProbeResult result) {
        TlsInfo tls = result.tls();
        List<CertificateInfo> chain = tls == null ? List.of() : tls.peerCertificates();
        if (chain.isEmpty()) {
            return "certificates: (none presented)\n";
        }
        StringBuilder out = new StringBuilder("certificates (" + chain.size() + ", leaf first):\n");
        for (int i = 0; i < chain.size(); i++) {
            CertificateInfo c = chain.get(i);
            // Subject and issuer come from the server: escaped, so no control character reaches the terminal.
            out.append("# ").append(i).append(" s:").append(PrintableText.escape(c.subject())).append('\n');
            out.append("#   i:").append(PrintableText.escape(c.issuer())).append('\n');
            out.append(c.pem().isEmpty() ? "# (no encoding available)\n" : c.pem());
        }
        return out.toString();
    }
}
