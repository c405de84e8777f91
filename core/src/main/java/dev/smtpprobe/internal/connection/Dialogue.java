package dev.smtpprobe.internal.connection;

import dev.smtpprobe.SmtpReply;
import javax.net.ssl.SSLSession;

/**
 * The SMTP side of one connection, driven by {@link Connection} (core's rules on a transport's pipe): it receives
 * {@link #onConnected} at most once, then any number of {@link #onReply} and {@link #onTlsEstablished}, at most
 * one {@link #onFailure}, and last, exactly once, {@link #onClosed}. Calls for one connection never overlap; they
 * come on the pipe's thread. An implementation never throws.
 */
public interface Dialogue {

    /** TCP is connected (before any implicit TLS handshake). {@code link} stays valid until {@link #onClosed}. */
    void onConnected(Link link);

    /** A TLS handshake (implicit, or after {@link Link#startTls}) completed. */
    void onTlsEstablished(SSLSession session);

    /** A complete reply arrived. */
    void onReply(SmtpReply reply);

    /** The connection failed: connect error, I/O error, TLS error, undecodable input or a missed timer. */
    void onFailure(Throwable cause);

    /** The connection is closed, by either side or after a failure. Always the last call, exactly once. */
    void onClosed();
}
