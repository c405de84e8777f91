package dev.smtpprobe.internal;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A real-socket transport for core's own tests: one blocking JDK socket per connection, read on a thread of its
 * own, with JDK TLS for STARTTLS and implicit TLS. Every dialogue callback comes from that thread, one at a time,
 * and {@link Dialogue#onClosed} comes exactly once, last. Core cannot use the Netty transport in its tests (that
 * module depends on core); this one is small because a test server on loopback is well behaved.
 */
final class BlockingTransport extends DialogueTransport {

    @Override
    public void open(ConnectRequest request, Dialogue dialogue) {
        Thread reader = new Thread(new Connection(request, dialogue)::run, "blocking-transport " + request.remote());
        reader.setDaemon(true);
        reader.start();
    }

    private static final class Connection implements Link {

        private final ConnectRequest request;
        private final Dialogue dialogue;
        private final ReplyDecoder decoder = new ReplyDecoder();
        private volatile Socket socket;
        private volatile boolean closed;
        private TlsParameters pendingTls;

        Connection(ConnectRequest request, Dialogue dialogue) {
            this.request = request;
            this.dialogue = dialogue;
        }

        void run() {
            try {
                Socket plain = new Socket();
                socket = plain;
                try {
                    plain.setSoTimeout((int) request.maxLifetime().toMillis());
                    plain.connect(request.remote(), (int) request.connectTimeout().toMillis());
                } catch (IOException e) {
                    dialogue.onFailure(e);
                    return;
                }
                dialogue.onConnected(this);
                if (request.implicitTls() != null && !closed && !handshake(request.implicitTls())) {
                    return;
                }
                readReplies();
            } finally {
                closeSocket();
                dialogue.onClosed();
            }
        }

        private void readReplies() {
            byte[] buffer = new byte[8192];
            while (!closed) {
                if (pendingTls != null) {
                    TlsParameters tls = pendingTls;
                    pendingTls = null;
                    if (!handshake(tls)) {
                        return;
                    }
                    continue;
                }
                int n;
                try {
                    InputStream in = socket.getInputStream();
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    fail(new ReplyTimeoutException("no reply in time"));
                    return;
                } catch (IOException e) {
                    fail(e);
                    return;
                }
                if (n < 0) {
                    return;
                }
                try {
                    for (SmtpReply reply : decoder.decode(ByteBuffer.wrap(buffer, 0, n))) {
                        if (closed) {
                            return;
                        }
                        dialogue.onReply(reply);
                    }
                } catch (SmtpProtocolException e) {
                    fail(e);
                    return;
                }
            }
        }

        private boolean handshake(TlsParameters tls) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {tls.trustManager()}, null);
                SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(socket, tls.peerHost(),
                        tls.peerPort(), true);
                secure.setUseClientMode(true);
                SSLParameters parameters = secure.getSSLParameters();
                if (tls.verifyHostname()) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                String[] protocols = tls.protocolsAmong(secure.getSupportedProtocols());
                if (protocols.length > 0) {
                    parameters.setProtocols(protocols);
                }
                secure.setSSLParameters(parameters);
                secure.setSoTimeout((int) tls.handshakeTimeout().toMillis());
                secure.startHandshake();
                socket = secure;
                dialogue.onTlsEstablished(secure.getSession());
                return true;
            } catch (IOException | java.security.GeneralSecurityException e) {
                fail(e);
                return false;
            }
        }

        private void fail(Exception cause) {
            if (!closed) {
                closed = true;
                dialogue.onFailure(cause);
            }
        }

        @Override
        public java.net.InetSocketAddress localAddress() {
            return (java.net.InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public java.net.InetSocketAddress remoteAddress() {
            return (java.net.InetSocketAddress) socket.getRemoteSocketAddress();
        }

        @Override
        public void expectReply(Duration timeout) {
            timer(timeout);
        }

        @Override
        public void send(String line, Duration replyTimeout) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                timer(replyTimeout);
            } catch (IOException e) {
                closeSocket(); // the reader sees the broken socket and reports it
            }
        }

        @Override
        public void startTls(TlsParameters tls) {
            pendingTls = tls;
        }

        @Override
        public void close() {
            closed = true;
            closeSocket();
        }

        private void timer(Duration timeout) {
            try {
                socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            } catch (IOException e) {
                closeSocket();
            }
        }

        private void closeSocket() {
            try {
                socket.close();
            } catch (IOException | RuntimeException e) {
                // closing: nothing more to report
            }
        }
    }
}
