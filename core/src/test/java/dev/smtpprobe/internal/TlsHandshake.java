package dev.smtpprobe.internal;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Real TLS handshakes without a socket: a client {@link SSLEngine} and a server {@link SSLEngine} feeding each
 * other's output, with certificates made at test time. What the client's trust manager sees and throws is exactly
 * what it would see and throw over a socket.
 */
final class TlsHandshake {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private TlsHandshake() {
    }

    /** A root CA valid around now. */
    static X509Bundle ca(String cn) throws Exception {
        return new CertificateBuilder().subject("CN=" + cn).ecp256().setIsCertificateAuthority(true)
                .notBefore(NOW.minus(30, ChronoUnit.DAYS)).notAfter(NOW.plus(3650, ChronoUnit.DAYS))
                .buildSelfSigned();
    }

    /**
     * A server certificate with subject alternative names {@code names}: IP entries for IP literals, DNS entries
     * for the rest (written as given, wildcards included).
     */
    static CertificateBuilder server(String cn, Instant notBefore, Instant notAfter, String... names) {
        CertificateBuilder b = new CertificateBuilder().subject("CN=" + cn).ecp256()
                .notBefore(notBefore).notAfter(notAfter).addExtendedKeyUsageServerAuth();
        if (names.length > 0) {
            b.addExtensionOctetString("2.5.29.17", false, subjectAltName(names));
        }
        return b;
    }

    /**
     * The DER of a subjectAltName extension (RFC 5280 §4.2.1.6), encoded here because the builder's own
     * {@code addSanDnsName} parses names as URI hosts and so cannot write a wildcard such as {@code *.example.net}.
     */
    static byte[] subjectAltName(String... names) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            var ip = Addresses.parseLiteral(n);
            byte[] value = ip.isPresent() ? ip.get().getAddress() : n.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            body.writeBytes(tlv(ip.isPresent() ? 0x87 : 0x82, value)); // [7] iPAddress, [2] dNSName
        }
        return tlv(0x30, body.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static CertificateBuilder validServer(String cn, String... names) {
        return server(cn, NOW.minus(10, ChronoUnit.DAYS), NOW.plus(80, ChronoUnit.DAYS), names);
    }

    /** A trust manager that trusts exactly {@code roots}: the JDK's PKIX one (an X509ExtendedTrustManager). */
    static X509TrustManager trusting(X509Certificate... roots) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < roots.length; i++) {
            ks.setCertificateEntry("root-" + i, roots[i]);
        }
        return TrustMaterial.fromKeyStore(ks);
    }

    /** The same validation behind the plain X509TrustManager interface, as a user's own trust manager may be. */
    static X509TrustManager plain(X509TrustManager jdk) {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                jdk.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        };
    }

    /** What a handshake ended with: the client's session, or the client's failure. */
    record Outcome(SSLSession session, Throwable clientFailure, Throwable serverFailure) {
        boolean succeeded() {
            return session != null;
        }
    }

    /**
     * Runs one handshake: the server presents {@code serverBundle}'s chain (without the root, as servers do); the
     * client validates with {@code clientTrust}, asks for {@code host} (SNI when a name) and, when
     * {@code verifyHostname}, checks it with endpoint identification "HTTPS".
     */
    static Outcome run(X509Bundle serverBundle, TrustManager clientTrust, String host, boolean verifyHostname)
            throws Exception {
        return run(serverBundle, clientTrust, host, verifyHostname, "TLSv1.3");
    }

    static Outcome run(X509Bundle serverBundle, TrustManager clientTrust, String host, boolean verifyHostname,
                       String protocol) throws Exception {
        KeyManagerFactory kmf = serverBundle.toKeyManagerFactory();
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, new SecureRandom());
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(new String[] {protocol});

        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, new TrustManager[] {clientTrust}, new SecureRandom());
        SSLEngine client = clientContext.createSSLEngine(host, 25);
        client.setUseClientMode(true);
        SSLParameters params = client.getSSLParameters();
        params.setProtocols(new String[] {protocol});
        if (Addresses.parseLiteral(host).isEmpty()) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        if (verifyHostname) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        client.setSSLParameters(params);
        return pump(client, server);
    }

    /** Runs a handshake between engines a test configured itself. */
    static Outcome pumpForTest(SSLEngine client, SSLEngine server) throws SSLException {
        return pump(client, server);
    }

    private static Outcome pump(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        client.beginHandshake();
        server.beginHandshake();
        Throwable serverFailure = null;
        for (int round = 0; round < 100; round++) {
            try {
                step(client, toServer, toClient, app);
            } catch (SSLException e) {
                return new Outcome(null, e, serverFailure);
            }
            try {
                step(server, toClient, toServer, app);
            } catch (SSLException e) {
                if (serverFailure == null) {
                    serverFailure = e; // the server goes on to write its alert; the client then fails reading it
                }
            }
            if (done(client) && done(server) && serverFailure == null) {
                return new Outcome(client.getSession(), null, null);
            }
        }
        throw new AssertionError("handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus() + ", server failure " + serverFailure);
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    /** Lets one engine do all it can: run tasks, write to {@code out}, read from {@code in}. */
    private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        for (int i = 0; i < 50; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(empty, out);
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r;
                    try {
                        r = engine.unwrap(in, app);
                    } finally {
                        in.compact();
                        app.clear();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || (r.bytesConsumed() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP)) {
                        return;
                    }
                }
                default -> {
                    // Read what is left (TLS 1.3 session tickets) so a finished engine does not strand bytes.
                    if (in.position() > 0) {
                        in.flip();
                        try {
                            engine.unwrap(in, app);
                        } finally {
                            in.compact();
                            app.clear();
                        }
                    }
                    return;
                }
            }
        }
    }
}
