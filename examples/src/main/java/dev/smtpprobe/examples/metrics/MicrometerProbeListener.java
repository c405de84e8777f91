package dev.smtpprobe.examples.metrics;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a probe's {@link ProbeListener} events into Micrometer meters, so a dashboard shows not only that mail
 * delivery is failing but <em>why</em>: the failing layer and verdict as labels (what blackbox_exporter users ask for
 * as a "failure reason" label in its issues #1077 and #459).
 *
 * <ul>
 *   <li>{@code smtp.probe.phase} (timer), tags {@code phase} ({@code connect}, {@code greeting}, ...),
 *       {@code outcome} ({@code ok} or {@code failed}) and {@code verdict} ({@code none} for a phase that ended, the
 *       verdict for one that failed): how long each phase takes and where attempts fail.</li>
 *   <li>{@code smtp.probe.duration} (timer), tags {@code verdict} and {@code layer}: the whole probe.</li>
 *   <li>{@code smtp.probe.results} (counter), tags {@code verdict} and {@code layer}: one per probe, so
 *       {@code rate(smtp_probe_results_total{layer="tcp"})} alerts on network trouble and {@code layer="auth"} on
 *       credentials, separately.</li>
 * </ul>
 *
 * <p>Tag values are lower case and come from enums only, so cardinality is bounded (about 25 verdicts x 6 layers).
 * Add the target as a common tag when one registry serves probes of several servers:
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();
 * ProbeResult result = SmtpProbe.to("smtp.example.com").port(587)
 *         .listener(new MicrometerProbeListener(registry, Tags.of("target", "smtp.example.com:587")))
 *         .run();
 * }</pre>
 *
 * <p>This class is threadsafe: Micrometer's meters are, and it keeps no state of its own (durations come with
 * {@code phaseEnd}/{@code phaseFailed}, so it needs no {@code phaseStart}), and one instance may serve any number
 * of concurrent probes. It adds to other listeners of a probe ({@code .listener(logging).listener(metrics)}).
 */
public final class MicrometerProbeListener implements ProbeListener {

    /** Timer per phase. */
    public static final String PHASE_TIMER = "smtp.probe.phase";
    /** Timer per probe. */
    public static final String PROBE_TIMER = "smtp.probe.duration";
    /** Counter of results. */
    public static final String RESULTS = "smtp.probe.results";

    private final MeterRegistry registry;
    private final Tags common;

    /** Meters in {@code registry}, without common tags. */
    public MicrometerProbeListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Meters in {@code registry}, each with {@code commonTags} added (e.g. the target). */
    public MicrometerProbeListener(MeterRegistry registry, Tags commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Objects.requireNonNull(commonTags, "commonTags");
    }

    @Override
    public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
        phaseTimer(phase, "ok", "none").record(duration);
    }

    @Override
    public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
        phaseTimer(phase, "failed", label(verdict)).record(duration);
    }

    @Override
    public void probeEnd(ProbeRun probe, ProbeResult result) {
        Tags tags = common.and("verdict", label(result.verdict()), "layer", label(result.layer()));
        Timer.builder(PROBE_TIMER).description("One SMTP probe, from start to verdict").tags(tags)
                .register(registry).record(result.elapsed());
        Counter.builder(RESULTS).description("SMTP probe results by verdict and failing layer").tags(tags)
                .register(registry).increment();
    }

    private Timer phaseTimer(Phase phase, String outcome, String verdict) {
        return Timer.builder(PHASE_TIMER).description("One phase of an SMTP probe attempt")
                .tags(common.and("phase", label(phase), "outcome", outcome, "verdict", verdict)).register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
