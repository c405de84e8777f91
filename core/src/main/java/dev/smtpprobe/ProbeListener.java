package dev.smtpprobe;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Callbacks for a probe's progress: the hook for logging, metrics and progress bars.
 *
 * <p>Order, for each attempt: {@code phaseStart(CONNECT)}, then for each phase reached either
 * {@code phaseEnd} or {@code phaseFailed} before the next phase's {@code phaseStart}; a {@code RESOLVE} pair
 * precedes the attempts when DNS is used; {@link #probeEnd} is called last, once. A probe that fails in a phase
 * reports {@code phaseFailed} for that phase and starts no later phase of that attempt.
 *
 * <p>Calls come from the transport's threads. An implementation must be threadsafe when one listener serves
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
