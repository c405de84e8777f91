package dev.smtpprobe.spi;

import dev.smtpprobe.SmtpReply;
import javax.net.ssl.SSLSession;

/**
 * The SMTP side of one connection, implemented by core and driven by a {@link Transport}. See
 * {@link Transport} for the order of calls. Calls for one connection never overlap; they may come from any
 * thread. An implementation never throws.
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
