package dev.smtpprobe.spi;

import dev.smtpprobe.internal.Arguments;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A network failure of a {@link Pipe}, already classified: what happened ({@link #kind()}) and whether it happened
 * while the TCP connection was being made ({@link #connecting()}). A transport reports every socket and TLS error as
 * one of these (see {@link TransportErrors} for the JDK's exceptions), keeping the original exception as the cause;
 * core decides verdicts from the kind alone, never from message text.
 *
 * <p>It carries no stack trace of its own: where the failure happened is the cause's stack trace, and the kind and
 * the message say what it was. Filling one in walked the whole probe's stack on every refused or timed-out connect
 * (BENCHMARKS.md, issue 18).
 */
public class TransportException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The TCP connect did not complete within the connect timeout (or the kernel gave up on SYN retries). */
        CONNECT_TIMEOUT,
        /** The peer refused the connection (RST, or ICMP port unreachable). */
        REFUSED,
        /** EHOSTUNREACH: no route to the host. */
        HOST_UNREACHABLE,
        /** ENETUNREACH: no route to the network. */
        NETWORK_UNREACHABLE,
        /** EACCES: the connect was forbidden (a local rule, or an ICMPv6 administratively-prohibited answer). */
        ACCESS_DENIED,
        /** EPERM: the connect was forbidden on this host (a cgroup/eBPF hook, a security module). */
        NOT_PERMITTED,
        /** EADDRNOTAVAIL or EADDRINUSE: the local (source) address cannot be used. */
        ADDRESS_UNAVAILABLE,
        /** The connection was reset (RST, broken pipe) after it was established. */
        RESET,
        /** The TLS handshake or TLS record layer failed; the cause is the JDK's {@link javax.net.ssl.SSLException}. */
        TLS,
        /** The peer answered the TLS handshake with bytes that are not TLS; the cause is a {@link NotTlsException}. */
        NOT_TLS,
        /** Anything else; the message carries the errno's text. */
        OTHER
    }

    /** What kind of failure it is. */
    private final Kind kind;
    /** Whether it happened while the TCP connect was in progress. */
    private final boolean connecting;

    /**
     * @param kind       what went wrong
     * @param connecting whether the TCP connect was still in progress
     * @param message    the canonical text of the failure (for example {@code "Connection refused: /192.0.2.1:25"})
     * @param cause      the exception the transport saw, or {@code null}
     */
    public TransportException(Kind kind, boolean connecting, String message, @Nullable Throwable cause) {
        super(Arguments.requireNonNull(message, "message"), cause);
        this.kind = Arguments.requireNonNull(kind, "kind");
        this.connecting = connecting;
    }

    /** No stack trace of this wrapper's own (see the class comment); the cause keeps the transport's. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** {@return what went wrong} */
    public Kind kind() {
        return kind;
    }

    /** {@return whether the failure happened while the TCP connection was being made} */
    public boolean connecting() {
        return connecting;
    }
}
