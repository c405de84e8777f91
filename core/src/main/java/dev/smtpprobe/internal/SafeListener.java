package dev.smtpprobe.internal;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Calls a run's {@link ProbeListener}s, each in the order added, with the run's identity: whatever one throws is
 * logged and swallowed, so a listener never breaks a probe nor keeps the listeners after it from an event.
 */
final class SafeListener {

    private static final LazyLogger log = new LazyLogger(SafeListener.class);

    private final ProbeRun probe;
    private final List<ProbeListener> listeners;

    SafeListener(ProbeRun probe, List<ProbeListener> listeners) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.listeners = List.copyOf(listeners);
    }

    /** The run every event is reported for. */
    ProbeRun probe() {
        return probe;
    }

    /** Whether any listener is registered; when none is, callers need not make the events' arguments. */
    boolean active() {
        return !listeners.isEmpty();
    }

    void probeStart() {
        if (listeners.isEmpty()) {
            return; // the common case: no event object, no lambda
        }
        each("probeStart", null, null, l -> l.probeStart(probe));
    }

    void phaseStart(Phase phase, AttemptId attempt) {
        if (listeners.isEmpty()) {
            return;
        }
        each("phaseStart", phase, attempt, l -> l.phaseStart(probe, phase, attempt));
    }

    void phaseEnd(Phase phase, AttemptId attempt, Duration duration) {
        if (listeners.isEmpty()) {
            return;
        }
        each("phaseEnd", phase, attempt, l -> l.phaseEnd(probe, phase, attempt, duration));
    }

    void phaseFailed(Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
        if (listeners.isEmpty()) {
            return;
        }
        each("phaseFailed", phase, attempt, l -> l.phaseFailed(probe, phase, attempt, verdict, duration));
    }

    void probeEnd(ProbeResult result) {
        if (listeners.isEmpty()) {
            return;
        }
        each("probeEnd", null, null, l -> l.probeEnd(probe, result));
    }

    private void each(String event, Phase phase, AttemptId attempt, Consumer<ProbeListener> call) {
        for (ProbeListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | LinkageError e) {
                log.get().warn("ProbeListener {} threw in {}{} for {}; ignored", l.getClass().getName(), event,
                        phase == null ? "" : " " + phase, attempt != null ? attempt : probe, e);
            }
        }
    }
}
