package dev.smtpprobe;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Callbacks for a probe's progress: the hook for logging, metrics and progress bars.
 *
 * <p>Order: {@link #probeStart} first, once; then a {@code RESOLVE} pair ({@code phaseStart(RESOLVE)}, then
 * {@code phaseEnd} or {@code phaseFailed}) when the target is a name, none for an address literal; then for each
 * attempt {@code phaseStart(CONNECT)}, and for each phase reached, in {@link Phase} order, {@code phaseStart}
 * followed by exactly one {@code phaseEnd} or {@code phaseFailed} before the next phase's {@code phaseStart};
 * {@link #probeEnd} is called last, once. The EHLO that follows a TLS upgrade belongs to {@code STARTTLS}. An attempt
 * that reached the server ends with a {@code QUIT} pair, also after a failure: a server that rejected a command is
 * still talking, and the probe says goodbye. So after {@code phaseFailed} the only phase an attempt may still start
 * is {@code QUIT}; an attempt that failed at {@code CONNECT} (no connection) starts none. For example, a 550 at EHLO:
 *
 * <pre>{@code
 * probeStart, phaseStart(CONNECT), phaseEnd(CONNECT), phaseStart(GREETING), phaseEnd(GREETING),
 * phaseStart(EHLO), phaseFailed(EHLO), phaseStart(QUIT), phaseEnd(QUIT), probeEnd
 * }</pre>
 *
 * <p>Calls come from the transport's threads ({@code runAsync()}, batches, port sweeps) or from the thread that
 * called {@code run()}. An implementation must be threadsafe when one listener serves
 * several probes, or one probe sweeping several ports (the ports are probed concurrently, so calls for attempts on
 * different ports may overlap), and must return quickly. A listener that throws is logged and ignored: it never breaks a
 * probe. No argument ever contains a secret.
 */
public interface ProbeListener {

    /** A listener that does nothing. */
    ProbeListener NONE = new ProbeListener() {
    };

    /** The probe of {@code target} started. */
    default void probeStart(String target) {
    }

    /**
     * A phase started.
     *
     * @param phase  the phase
     * @param host   the host of the attempt (the target itself for {@link Phase#RESOLVE})
     * @param remote the address of the attempt, or {@code null} for {@link Phase#RESOLVE}
     */
    default void phaseStart(Phase phase, String host, InetSocketAddress remote) {
    }

    /** A phase ended successfully after {@code duration}. */
    default void phaseEnd(Phase phase, String host, Duration duration) {
    }

    /** A phase failed with {@code verdict} after {@code duration}. */
    default void phaseFailed(Phase phase, String host, Verdict verdict, Duration duration) {
    }

    /** The probe ended; called exactly once, last. */
    default void probeEnd(ProbeResult result) {
    }
}
