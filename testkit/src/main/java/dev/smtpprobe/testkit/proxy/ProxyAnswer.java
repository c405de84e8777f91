package dev.smtpprobe.testkit.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a {@link MockProxyServer} answers a request for a tunnel: relay it to the target (the default), or fail in a
 * scripted way. Immutable.
 *
 * <pre>{@code
 * MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.reply(0x05)).start();  // "connection refused"
 * }</pre>
 */
public final class ProxyAnswer {

    /** What the server does. */
    public enum Kind {
        /** Connects to the target and relays; a failed connect is answered as the protocol reports it. */
        RELAY,
        /** Answers the tunnel request with a failure code: SOCKS5 REP, SOCKS4 CD, or HTTP status. */
        REPLY,
        /** Sends these bytes instead of its first answer, then closes. */
        SEND,
        /** Answers everything before the tunnel request (SOCKS5 method and authentication), then nothing. */
        STALL,
        /** Reads, and never answers anything. */
        SILENT,
        /** Closes the connection once the client's first bytes arrived. */
        CLOSE
    }

    private static final ProxyAnswer RELAY = new ProxyAnswer(Kind.RELAY, 0, null, new byte[0]);

    private final Kind kind;
    private final int code;
    private final String reason;
    private final byte[] bytes;

    private ProxyAnswer(Kind kind, int code, String reason, byte[] bytes) {
        this.kind = kind;
        this.code = code;
        this.reason = reason;
        this.bytes = bytes;
    }

    /**
     * Relay to the requested target (or the server's {@link MockProxyServer#redirectTo redirect}).
     *
     * @return the shared relaying answer, the server's default
     */
    public static ProxyAnswer relay() {
        return RELAY;
    }

    /**
     * Answer the tunnel request with this code: a SOCKS5 reply (0x01 to 0x08, or any other octet), a SOCKS4 reply
     * (90 to 93, or any other octet), or an HTTP status with a standard reason phrase.
     *
     * @param code the SOCKS reply octet or HTTP status code
     * @return an answer sending {@code code} (with the standard reason phrase over HTTP)
     * @throws IllegalArgumentException when {@code code} is not 0..255 and not an HTTP status 100..599
     */
    public static ProxyAnswer reply(int code) {
        return reply(code, reasonOf(code));
    }

    /**
     * An HTTP status with this reason phrase (sent as is: it may hold any character).
     *
     * @param code the status code, 0 to 599
     * @param reason the reason phrase, sent as is
     * @return an answer sending {@code code} and {@code reason}
     * @throws IllegalArgumentException when {@code code} is out of 0..599 or {@code reason} is null
     */
    public static ProxyAnswer reply(int code, String reason) {
        if (code < 0 || code > 599) {
            throw new IllegalArgumentException("code must be 0..599: " + code);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
        return new ProxyAnswer(Kind.REPLY, code, reason, new byte[0]);
    }

    /**
     * Sends {@code bytes} instead of the first answer, then closes: a peer that is not a proxy of this type.
     *
     * @param bytes the bytes sent instead of a proxy answer; copied
     * @return an answer that sends {@code bytes} and closes
     * @throws IllegalArgumentException when null
     */
    public static ProxyAnswer send(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes must not be null");
        }
        return new ProxyAnswer(Kind.SEND, 0, null, bytes.clone());
    }

    /**
     * {@link #send(byte[])} of this text in ISO-8859-1.
     *
     * @param text the text sent, encoded as ISO-8859-1
     * @return an answer that sends {@code text} and closes
     */
    public static ProxyAnswer send(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Goes silent at the tunnel request (SOCKS5 answers the greeting and authentication first).
     *
     * @return an answer that stalls at the tunnel request
     */
    public static ProxyAnswer stall() {
        return new ProxyAnswer(Kind.STALL, 0, null, new byte[0]);
    }

    /**
     * Never answers anything.
     *
     * @return an answer that never sends a byte
     */
    public static ProxyAnswer silent() {
        return new ProxyAnswer(Kind.SILENT, 0, null, new byte[0]);
    }

    /**
     * Closes as soon as the client's first bytes arrive.
     *
     * @return an answer that closes on the client's first bytes
     */
    public static ProxyAnswer close() {
        return new ProxyAnswer(Kind.CLOSE, 0, null, new byte[0]);
    }

    /** {@return the kind of answer} */
    public Kind kind() {
        return kind;
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    private static String reasonOf(int code) {
        return switch (code) {
            case 200 -> "Connection established";
            case 403 -> "Forbidden";
            case 407 -> "Proxy Authentication Required";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public String toString() {
        return "ProxyAnswer[" + kind + (kind == Kind.REPLY ? " " + code : "")
                + (kind == Kind.SEND ? " " + Arrays.toString(bytes) : "") + "]";
    }
}
