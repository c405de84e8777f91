package dev.smtpprobe.spring.boot;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The starter's probes as Micrometer meters, bound automatically when the application has a {@link MeterRegistry}:
 *
 * <ul>
 *   <li>{@value #PROBE_TIMER} (timer), tags {@code verdict} and {@code layer}: each probe, start to verdict.</li>
 *   <li>{@value #RESULTS} (counter), tags {@code verdict} and {@code layer}: one per probe, so an alert can tell
 *       network trouble ({@code layer="tcp"}) from credentials ({@code layer="auth"}).</li>
 *   <li>{@value #PHASE_TIMER} (timer), tags {@code phase}, {@code outcome} ({@code ok} or {@code failed}) and
 *       {@code verdict} ({@code none} for a phase that ended): how long each phase takes and where attempts
 *       fail.</li>
 *   <li>{@value #CERTIFICATE_EXPIRY} (gauge, base unit days): whole days until the server's certificate expires,
 *       negative once expired, as of the latest probe that completed a TLS handshake; NaN before one has.</li>
 * </ul>
 *
 * <p>Names are dot-separated lower case, as Micrometer's naming convention asks (each registry renders them its
 * way, e.g. {@code smtp_probe_results_total} in Prometheus); tag values are lower-case enum names, so cardinality is
 * bounded. This listener is threadsafe and returns at once; one instance may serve any number of concurrent probes
 * (the gauge shows the latest), and it adds to a probe's other listeners. Without Spring:
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("smtp.example.com").port(587)
 *         .listener(new SmtpProbeMetrics(registry, Tags.of("target", "smtp.example.com:587")))
 *         .run();
 * }</pre>
 */
public final class SmtpProbeMetrics implements ProbeListener {

    /** Timer per probe. */
    public static final String PROBE_TIMER = "smtp.probe.duration";
    /** Counter of results. */
    public static final String RESULTS = "smtp.probe.results";
    /** Timer per phase. */
    public static final String PHASE_TIMER = "smtp.probe.phase";
    /** Gauge of days until the server's certificate expires. */
    public static final String CERTIFICATE_EXPIRY = "smtp.probe.certificate.expiry";

    private final MeterRegistry registry;
    private final Tags common;
    private volatile double daysToExpiry = Double.NaN;

    /**
     * Meters in {@code registry}, without common tags; registers the certificate gauge at once.
     *
     * @param registry the registry the meters are registered in
     */
    public SmtpProbeMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Meters in {@code registry}, each with {@code commonTags} added (the target, say, when one registry serves
     * probes of several servers); registers the certificate gauge at once.
     *
     * @param registry the registry the meters are registered in
     * @param commonTags tags added to every meter, {@code Tags.empty()} for none
     */
    public SmtpProbeMetrics(MeterRegistry registry, Tags commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Objects.requireNonNull(commonTags, "commonTags");
        Gauge.builder(CERTIFICATE_EXPIRY, this, SmtpProbeMetrics::daysToExpiry).baseUnit("days").tags(common)
                .description("Days until the mail server's TLS certificate expires, as of the latest probe")
                .strongReference(true).register(registry);
    }

    private double daysToExpiry() {
        return daysToExpiry;
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
        CertificateInfo leaf = HealthView.leaf(result);
        if (leaf != null) {
            daysToExpiry = leaf.daysToExpiry();
        }
    }

    private Timer phaseTimer(Phase phase, String outcome, String verdict) {
        return Timer.builder(PHASE_TIMER).description("One phase of an SMTP probe attempt")
                .tags(common.and("phase", label(phase), "outcome", outcome, "verdict", verdict)).register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
