package dev.smtpprobe.internal;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.spi.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one connection attempt needs: where, in which TLS mode, with which configuration, and the probe-wide
 * clocks.
 *
 * @param host            the host name the attempt is for (SNI, hostname verification, results)
 * @param remote          the resolved address and port
 * @param tlsMode         the TLS mode of this attempt
 * @param probe           the probe's configuration
 * @param greetingTimeout the greeting timeout of this attempt (shorter for a confirmation attempt)
 * @param deadline        the probe-wide deadline
 * @param probeStartNanos the probe's start on the monotonic clock (transcript offsets)
 * @param transport       the transport to connect with
 * @param listener        the probe's listeners, guarded
 * @param index           the attempt's number within its run, in the order attempts start ({@link AttemptId#index()})
 * @param route           directly or through the probe's proxy
 * @param confirmation    a confirmation attempt ({@link Confirmations}): evidence only, it sends no credentials and
 *                        no envelope, whatever the probe's configuration
 */
record AttemptPlan(String host, InetSocketAddress remote, TlsMode tlsMode, ProbeConfig probe, Duration greetingTimeout,
                   Deadline deadline, long probeStartNanos, Transport transport, SafeListener listener, int index,
                   ProxyRoute route, boolean confirmation) {

    AttemptPlan {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(greetingTimeout, "greetingTimeout");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(route, "route");
    }

    /** An attempt of the probe's own (not a confirmation). */
    AttemptPlan(String host, InetSocketAddress remote, TlsMode tlsMode, ProbeConfig probe, Duration greetingTimeout,
                Deadline deadline, long probeStartNanos, Transport transport, SafeListener listener, int index,
                ProxyRoute route) {
        this(host, remote, tlsMode, probe, greetingTimeout, deadline, probeStartNanos, transport, listener, index,
                route, false);
    }

    /** A direct attempt. */
    AttemptPlan(String host, InetSocketAddress remote, TlsMode tlsMode, ProbeConfig probe, Duration greetingTimeout,
                Deadline deadline, long probeStartNanos, Transport transport, SafeListener listener, int index) {
        this(host, remote, tlsMode, probe, greetingTimeout, deadline, probeStartNanos, transport, listener, index,
                ProxyRoute.DIRECT);
    }

    /** The class name of the transport that makes the connection, for a transport's failure. */
    String transportName() {
        Transport t = transport instanceof Prober.OnCaller onCaller ? onCaller.transport() : transport;
        return t.getClass().getName();
    }

    Instant now() {
        return probe.clock().instant();
    }

    /** What listener events of this attempt carry. */
    AttemptId attemptId() {
        return new AttemptId(listener.probe(), index, host, remote, tlsMode);
    }

    /** The same attempt again, numbered {@code index}: the retry of a greylisted attempt ({@link Greylisting}). */
    AttemptPlan again(int index) {
        return new AttemptPlan(host, remote, tlsMode, probe, greetingTimeout, deadline, probeStartNanos, transport,
                listener, index, route, confirmation);
    }

    /**
     * The plan of a confirmation attempt to the same address, in {@code mode}, numbered {@code index}: it ends by
     * {@code deadline} (this attempt's, or a shorter one) and sends no credentials and no envelope.
     */
    AttemptPlan confirmationIn(TlsMode mode, Duration greeting, Deadline deadline, int index) {
        return new AttemptPlan(host, remote, mode, probe, greeting, deadline, probeStartNanos, transport, listener,
                index, route, true);
    }
}
