package dev.smtpprobe;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Callbacks for a probe's progress: the hook for logging, metrics and progress bars. Every method has an empty
 * default, so a listener overrides only what it needs; {@link #NONE} does nothing.
 *
 * <pre>{@code
 * ProbeListener slowPhases = new ProbeListener() {
 *     public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
 *         if (duration.toMillis() > 1000) {
 *             log.warn("{}: {} took {} ms ({})", probe.target(), phase, duration.toMillis(), attempt);
 *         }
 *     }
 * };
 * SmtpProbe.to("mx.example.net").listener(slowPhases).listener(metrics).run();
 * }</pre>
 *
 * <h2>Identity</h2>
 * Every event names the run it belongs to ({@link ProbeRun}, equal for all events of one run, distinct between
 * runs), and every event of a connection attempt names that attempt ({@link AttemptId}, which carries the run, the
 * attempt's number within it, host, address, port and TLS mode). A listener shared by concurrent probes, or by
 * the concurrent ports of one sweep, correlates events by these values. {@code RESOLVE} belongs to the run, not to
 * an attempt: its events carry a {@code null} attempt, and only its events do.
 *
 * <h2>Order</h2>
 * For one run: {@link #probeStart} first, once; then a {@code RESOLVE} pair ({@code phaseStart(RESOLVE)}, then
 * {@code phaseEnd} or {@code phaseFailed}) when the target is a name, none for an address literal; then for each
 * attempt {@code phaseStart(CONNECT)}, and for each phase reached, in {@link Phase} order, {@code phaseStart}
 * followed by exactly one {@code phaseEnd} or {@code phaseFailed} before that attempt's next {@code phaseStart};
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
 * <p>The attempts of one port follow each other (the next starts after the previous one's last event); the ports
 * of a sweep are probed concurrently, so the events of attempts on different ports may interleave, each attempt's
 * own events still in the order above.
 *
 * <h2>Several listeners</h2>
 * A probe calls its listeners ({@link SmtpProbe.Builder#listener}, once per listener) for each event in the order
 * they were added, one after the other on the same thread. A listener that throws is logged and skipped: the
 * following listeners still receive that event, the listener receives later events, and the probe is never
 * broken.
 *
 * <h2>Threads</h2>
 * Calls come from the transport's threads ({@code runAsync()}, batches, port sweeps) or from the thread that
 * called {@code run()}. An implementation must be threadsafe when one listener serves several probes or a sweep of
 * several ports, and must return quickly. No argument ever contains a secret.
 */
public interface ProbeListener {

    /** A listener that does nothing. */
    ProbeListener NONE = new ProbeListener() {
    };

    /**
     * The run {@code probe} started.
     *
     * @param probe the run, which identifies the probe in every later event
     */
    default void probeStart(ProbeRun probe) {
    }

    /**
     * A phase started.
     *
     * @param probe   the run
     * @param phase   the phase
     * @param attempt the attempt, or {@code null} exactly for {@link Phase#RESOLVE}
     */
    default void phaseStart(ProbeRun probe, Phase phase, @Nullable AttemptId attempt) {
    }

    /**
     * A phase ended successfully.
     *
     * @param probe    the run
     * @param phase    the phase
     * @param attempt  the attempt, or {@code null} exactly for {@link Phase#RESOLVE}
     * @param duration how long the phase took
     */
    default void phaseEnd(ProbeRun probe, Phase phase, @Nullable AttemptId attempt, Duration duration) {
    }

    /**
     * A phase failed.
     *
     * @param probe    the run
     * @param phase    the phase
     * @param attempt  the attempt, or {@code null} exactly for {@link Phase#RESOLVE}
     * @param verdict  the verdict it failed with
     * @param duration how long the phase took
     */
    default void phaseFailed(ProbeRun probe, Phase phase, @Nullable AttemptId attempt, Verdict verdict,
            Duration duration) {
    }

    /**
     * The run {@code probe} ended with {@code result}; called exactly once, last.
     *
     * @param probe the run that ended
     * @param result its result
     */
    default void probeEnd(ProbeRun probe, ProbeResult result) {
    }
}
