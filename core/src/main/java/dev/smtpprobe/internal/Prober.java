package dev.smtpprobe.internal;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import java.util.concurrent.CompletableFuture;

/** Runs probes: resolution, attempts, and the aggregation of their verdicts. */
public final class Prober {

    private Prober() {
    }

    public static CompletableFuture<ProbeResult> start(SmtpProbe probe) {
        throw new IllegalStateException("the probe engine is being written (issue 2)");
    }
}
