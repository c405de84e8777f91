package dev.smtpprobe.spi;

import java.net.SocketTimeoutException;

/**
 * A reply, TLS handshake or connection lifetime timer set through the {@link Transport} SPI ran out before the
 * server answered.
 */
public class ReplyTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    /**
     * A reply or handshake that did not come in time.
     *
     * @param message what was awaited and for how long
     */
    public ReplyTimeoutException(String message) {
        super(message);
    }
}
