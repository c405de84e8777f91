package dev.smtpprobe.internal.connection;

import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TlsParameters;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One open connection as the {@link Dialogue} drives it ({@link Connection}), handed to
 * {@link Dialogue#onConnected}. Threadsafe; calls after the connection closed are ignored.
 */
public interface Link {

    /** The local address and port of the connection. */
    InetSocketAddress localAddress();

    /** The remote address and port of the connection. */
    InetSocketAddress remoteAddress();

    /**
     * Arms the reply timer: when no complete reply arrives within {@code timeout}, the dialogue gets a
     * {@link ReplyTimeoutException}. Each received reply disarms it. Used for the greeting.
     */
    void expectReply(Duration timeout);

    /**
     * Writes {@code line} followed by CRLF, then arms the reply timer as {@link #expectReply} does. The line is
     * never logged: it may hold credentials.
     */
    void send(String line, Duration replyTimeout);

    /**
     * Starts a client TLS handshake on this connection (after the server's 220 to STARTTLS). Bytes received
     * before the handshake and not yet decoded are discarded (RFC 3207 §4.2). The outcome arrives as
     * {@link Dialogue#onTlsEstablished} or {@link Dialogue#onFailure}.
     */
    void startTls(TlsParameters tls);

    /** Closes the connection; {@link Dialogue#onClosed} follows. Idempotent. */
    void close();
}
