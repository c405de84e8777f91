package dev.smtpprobe.spi;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLSession;

/**
 * Core's side of one {@link Pipe}: receives its events. Implemented by core; a transport only calls it.
 *
 * <p>Order: {@link #onConnected} at most once, then any number of {@link #onBytes} and {@link #onTlsEstablished},
 * at most one {@link #onError}, and last, exactly once, {@link #onClosed}. Calls for one pipe never overlap, and
 * they run on the pipe's own thread, the same thread that runs the tasks of {@link Pipe#schedule}. An
 * implementation never throws.
 */
public interface PipeHandler {

    /**
     * TCP is connected. {@code pipe} stays usable until {@link #onClosed}.
     *
     * @param pipe the connected pipe, to write to and to close
     */
    void onConnected(Pipe pipe);

    /**
     * Bytes arrived (decrypted, once TLS is up). The buffer is valid only during the call; what is left unread in
     * it is dropped.
     *
     * @param bytes the bytes received, readable from position to limit
     */
    void onBytes(ByteBuffer bytes);

    /**
     * The handshake started with {@link Pipe#startTls} completed.
     *
     * @param session the negotiated session (protocol, cipher suite, peer certificates)
     */
    void onTlsEstablished(SSLSession session);

    /**
     * The pipe failed; it is closed (or closing) and {@link #onClosed} follows.
     *
     * @param error what failed, its kind and whether it was while connecting
     */
    void onError(TransportException error);

    /** The pipe is closed, by either side, after an error or never having connected. The last call. */
    void onClosed();
}
