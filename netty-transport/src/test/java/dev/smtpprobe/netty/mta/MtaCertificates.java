package dev.smtpprobe.netty.mta;

import dev.smtpprobe.netty.faults.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A test CA and a server certificate it signed (for {@code localhost} and {@code 127.0.0.1}), made at test time
 * with the {@code openssl} command as PEM files, which is the form the mail servers read.
 *
 * @param caCert     the CA certificate (PEM): trust it to accept the server
 * @param serverCert the server certificate (PEM)
 * @param serverKey  the server's private key (PEM, readable by root only)
 */
public record MtaCertificates(Path caCert, Path serverCert, Path serverKey) {

    /** Makes the CA and the server certificate in {@code dir}. */
    public static MtaCertificates create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca-key.pem");
        Path caCert = dir.resolve("ca.pem");
        Path key = dir.resolve("server-key.pem");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Cmd.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2",
                "-subj", "/CN=smtp-probe test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        // RSA for the server: OpenSMTPD 6.8's privilege-separated key process fails ECDSA handshakes with OpenSSL 3.
        Cmd.run("openssl", "req", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
        Files.writeString(ext, "subjectAltName=DNS:localhost,DNS:mta.test,IP:127.0.0.1,IP:::1\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Cmd.run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile",
                ext.toString());
        // A private key is for root only; a server that drops privileges gets its own copy.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new MtaCertificates(caCert, cert, key);
    }
}
