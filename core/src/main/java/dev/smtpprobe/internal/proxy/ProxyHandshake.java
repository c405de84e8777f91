package dev.smtpprobe.internal.proxy;

import java.nio.ByteBuffer;

/**
 * The exchange with a proxy (SOCKS5, SOCKS4a, HTTP CONNECT) that runs on a connected byte pipe to the proxy, before
 * the SMTP dialogue or an implicit TLS handshake starts. Pure: it never touches a socket, so the same code serves
 * every transport. One instance per connection, called on that connection's thread only.
 *
 * <p>The connection calls {@link #start()} once TCP to the proxy is up and writes what it returns, then hands every
 * received chunk to {@link #onBytes} until the answer is {@link Done} or {@link Failed}. Bytes the proxy relayed
 * after its final answer (a fast server's greeting can share a segment with it) are left in the buffer for the
 * SMTP decoder.
 */
public interface ProxyHandshake {

    /** @return the bytes to send as soon as TCP to the proxy is connected */
    byte[] start();

    /**
     * Consumes what the proxy sent.
     *
     * @param in received bytes; on {@link Done} its position is at the first byte after the proxy's answer
     * @return what the connection does next
     */
    Step onBytes(ByteBuffer in);

    /** The next move of the connection. */
    sealed interface Step permits NeedMore, Send, Done, Failed {
    }

    /** Keep reading: the proxy's answer is not complete. */
    record NeedMore() implements Step {
    }

    /** Write these bytes to the proxy (for example the username/password sub-negotiation), then keep reading. */
    record Send(byte[] bytes) implements Step {
    }

    /** The tunnel to the target is open: the SMTP dialogue (or implicit TLS) starts now. */
    record Done() implements Step {
    }

    /** The proxy refused, failed or was not a proxy of the configured type. */
    record Failed(ProxyFailure failure) implements Step {
    }
}
