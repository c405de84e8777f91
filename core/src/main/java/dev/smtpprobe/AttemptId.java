package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.net.InetSocketAddress;

/**
 * Which connection attempt a {@link ProbeListener} event belongs to: every event of one attempt carries an equal
 * {@code AttemptId}, and no two attempts of any runs share one (the {@link #probe()} tells runs apart, the
 * {@link #index()} attempts within a run).
 *
 * <pre>{@code
 * // How long each attempt waited for its banner, per address, from one listener serving many probes.
 * public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
 *     if (phase == Phase.GREETING) {
 *         bannerWait.record(attempt.remote().getAddress().getHostAddress(), duration);
 *     }
 * }
 * }</pre>
 *
 * @param probe   the run the attempt belongs to
 * @param index   the attempt's number within its run, from 0, in the order attempts started. Attempts on the ports
 *                of a sweep start concurrently, so this number is not a position in {@link ProbeResult#attempts()};
 *                the host, address, port and TLS mode find the attempt there.
 * @param host    the host name the attempt is for ({@link Attempt#host()})
 * @param remote  the address and port connected to ({@link Attempt#remote()})
 * @param tlsMode the TLS mode of the attempt ({@link Attempt#tlsMode()}); a TLS-mode confirmation is an attempt
 *                of its own, in {@link TlsMode#IMPLICIT}
 */
public record AttemptId(ProbeRun probe, int index, String host, InetSocketAddress remote, TlsMode tlsMode) {

    /**
     * Checks the components.
     *
     * @param probe the run the attempt belongs to
     * @param index the attempt's number within its run, from 0, in the order attempts started. Attempts on the ports
     *     of a sweep start concurrently, so this number is not a position in {@link ProbeResult#attempts()}; the host,
     *     address, port and TLS mode find the attempt there.
     * @param host the host name the attempt is for ({@link Attempt#host()})
     * @param remote the address and port connected to ({@link Attempt#remote()})
     * @param tlsMode the TLS mode of the attempt ({@link Attempt#tlsMode()}); a TLS-mode confirmation is an attempt of
     *     its own, in {@link TlsMode#IMPLICIT}
     */
    public AttemptId {
        Arguments.requireNonNull(probe, "probe");
        Arguments.requireArgument(index >= 0, "index must not be negative: %d", index);
        Arguments.requireNonNull(host, "host");
        Arguments.requireNonNull(remote, "remote");
        Arguments.requireNonNull(tlsMode, "tlsMode");
    }

    /** {@return the port connected to} */
    public int port() {
        return remote.getPort();
    }

    /** {@code "probe #12 mx.example.net attempt 0 mx1.example.net [192.0.2.1]:25 STARTTLS"}. */
    @Override
    public String toString() {
        String address = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
        return probe + " attempt " + index + " " + host + " [" + address + "]:" + remote.getPort() + " " + tlsMode;
    }
}
