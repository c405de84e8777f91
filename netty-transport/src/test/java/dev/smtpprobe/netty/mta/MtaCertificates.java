package dev.smtpprobe.netty.mta;

import dev.smtpprobe.netty.faults.Cmd;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The testkit's test CA and one of its server certificates (for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}), written as the PEM files mail servers read.
 *
 * @param caCert     the CA certificate (PEM): trust it to accept the server
 * @param serverCert the server's certificate chain (PEM)
 * @param serverKey  the server's private key (SEC1 PEM, readable by root only)
 */
public record MtaCertificates(Path caCert, Path serverCert, Path serverKey) {

    /** Writes the testkit's valid server certificate and its CA into {@code dir}. */
    public static MtaCertificates create(Path dir) throws IOException {
        TestCertificates certs = TestCertificates.shared();
        return write(dir, certs, certs.valid());
    }

    /** Writes {@code server} (one of {@code certs}' certificates) and the CA into {@code dir}. */
    public static MtaCertificates write(Path dir, TestCertificates certs, ServerCertificate server)
            throws IOException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.pem");
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server-key.pem");
        Files.writeString(ca, certs.caPem(), StandardCharsets.US_ASCII);
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : server.chain()) {
            chain.append(pem("CERTIFICATE", encoded(c)));
        }
        Files.writeString(cert, chain, StandardCharsets.US_ASCII);
        Path pkcs8 = dir.resolve("server-key.pkcs8.pem");
        Files.writeString(pkcs8, pem("PRIVATE KEY", server.privateKey().getEncoded()), StandardCharsets.US_ASCII);
        // The JDK's PKCS #8 EC key carries neither the curve nor the public key in its inner structure, which
        // GnuTLS (Exim) cannot read: "openssl ec" rewrites it as a complete SEC1 "EC PRIVATE KEY".
        Cmd.run("openssl", "ec", "-in", pkcs8.toString(), "-out", key.toString());
        Files.delete(pkcs8);
        // A private key is for root only; a server that drops privileges gets its own copy.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new MtaCertificates(ca, cert, key);
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
