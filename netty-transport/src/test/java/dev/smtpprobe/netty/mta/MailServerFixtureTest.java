package dev.smtpprobe.netty.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the mail server fixtures with plain JDK sockets, before any probe is pointed at them: each real server
 * greets, advertises STARTTLS, completes a TLS handshake with the test CA, and rejects when told to.
 */
class MailServerFixtureTest {

    @TempDir
    static Path tmp;
    static MtaCertificates certs;

    @BeforeAll
    static void certificates() throws IOException {
        // Before anything needs openssl or root: without the servers, each test skips itself with the reason.
        if (MtaSupport.anyServerCanRun()) {
            certs = MtaCertificates.create(tmp.resolve("certs"));
        }
    }

    @Test
    void postfixGreetsAndUpgradesToTls() throws Exception {
        PostfixServer.assumeAvailable();
        try (PostfixServer postfix = PostfixServer.start(certs)) {
            String said = postfix.rawSession();
            assertThat(said).startsWith("220 mta.test ESMTP Postfix").contains("250-STARTTLS", "221 ");
            assertThat(startTls(postfix)).startsWith("TLSv1.");
        }
    }

    @Test
    void postfixClientRejectIsReal() throws Exception {
        PostfixServer.assumeAvailable();
        try (PostfixServer postfix = PostfixServer.start(certs, "smtpd_client_restrictions = reject",
                "smtpd_delay_reject = no")) {
            String said = postfix.rawSession();
            // smtpd_delay_reject = no: the restriction runs at connect, so the 554 replaces the banner.
            assertThat(said).as(postfix.log()).startsWith("554 5.7.1 <localhost[127.0.0.1]>: Client host rejected");
        }
    }

    @Test
    void eximGreetsAndUpgradesToTls() throws Exception {
        EximServer.assumeAvailable();
        try (EximServer exim = EximServer.start(certs, false)) {
            String said = exim.rawSession();
            assertThat(said).startsWith("220 mta.test ESMTP Exim").contains("250-STARTTLS", "221 ");
            String tls = startTls(exim);
            assertThat(tls).as(exim.log()).startsWith("TLSv1.");
        }
    }

    @Test
    void eximClientRejectIsReal() throws Exception {
        EximServer.assumeAvailable();
        try (EximServer exim = EximServer.start(certs, true)) {
            assertThat(exim.rawSession()).startsWith("550 5.7.1 Client host rejected");
        }
    }

    /** EHLO, STARTTLS, and a JDK handshake trusting only the test CA; returns the protocol negotiated. */
    private static String startTls(MailServer server) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.host(), server.port()), 2000);
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readUntilLast(in);
            out.write("EHLO probe.test\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntilLast(in);
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = readUntilLast(in);
            if (!reply.startsWith("220")) {
                return reply;
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(certs.caCert())) {
                trust.setCertificateEntry("ca",
                        (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, "localhost", server.port(),
                    true)) {
                tls.startHandshake();
                return tls.getSession().getProtocol();
            }
        }
    }

    private static String readUntilLast(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return line.toString();
                }
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
