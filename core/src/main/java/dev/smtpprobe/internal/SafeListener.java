package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.Verdict;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Calls a user's {@link ProbeListener}, logging and swallowing whatever it throws: a listener never breaks a probe. */
final class SafeListener {

    private static final LazyLogger log = new LazyLogger(SafeListener.class);

    private final ProbeListener delegate;

    SafeListener(ProbeListener delegate) {
        this.delegate = delegate;
    }

    void probeStart(String target) {
        try {
            delegate.probeStart(target);
        } catch (RuntimeException | LinkageError e) {
            warn("probeStart", target, e);
        }
    }

    void phaseStart(Phase phase, String host, InetSocketAddress remote) {
        try {
            delegate.phaseStart(phase, host, remote);
        } catch (RuntimeException | LinkageError e) {
            warn("phaseStart " + phase, host, e);
        }
    }

    void phaseEnd(Phase phase, String host, Duration duration) {
        try {
            delegate.phaseEnd(phase, host, duration);
        } catch (RuntimeException | LinkageError e) {
            warn("phaseEnd " + phase, host, e);
        }
    }

    void phaseFailed(Phase phase, String host, Verdict verdict, Duration duration) {
        try {
            delegate.phaseFailed(phase, host, verdict, duration);
        } catch (RuntimeException | LinkageError e) {
            warn("phaseFailed " + phase, host, e);
        }
    }

    void probeEnd(ProbeResult result) {
        try {
            delegate.probeEnd(result);
        } catch (RuntimeException | LinkageError e) {
            warn("probeEnd", result.target(), e);
        }
    }

    private static void warn(String event, String host, Throwable e) {
        log.get().warn("ProbeListener threw in {} for {}; ignored", event, host, e);
    }
}
