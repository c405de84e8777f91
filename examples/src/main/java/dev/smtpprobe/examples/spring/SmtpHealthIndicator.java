package dev.smtpprobe.examples.spring;

import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A Spring Boot {@link HealthIndicator} that probes the application's mail server: {@code UP} when the probe's
 * verdict is {@code OK}, {@code DOWN} otherwise, with the diagnosis as health details, so {@code /actuator/health}
 * says <em>why</em> mail is down ("CONNECTION_TIMED_OUT at TCP: try 587 ...") instead of just "DOWN".
 *
 * <p>Details: {@code target}, {@code verdict}, {@code layer}, {@code phase}, {@code detail}, {@code nextAction},
 * {@code remote} (when an attempt was made), {@code elapsedMs} and {@code hints} (each with {@code code},
 * {@code message} and {@code evidence}). No detail ever contains a credential: the probe redacts them.
 *
 * <pre>{@code
 * @Bean
 * HealthIndicator mail() {
 *     return new SmtpHealthIndicator(SmtpProbe.to("smtp.example.com").port(587).deadline(Duration.ofSeconds(10)).build());
 * }
 * }</pre>
 *
 * <p>Each call of {@link #health()} runs one probe and blocks up to the probe's deadline; keep the deadline below
 * the actuator's own timeout, and consider caching the health endpoint ({@code management.endpoint.health.cache.time-to-live})
 * so a busy health check does not probe the mail server on every request. This class is threadsafe: a built
 * {@link SmtpProbe} is immutable and each call runs its own probe.
 */
public final class SmtpHealthIndicator implements HealthIndicator {

    private final SmtpProbe probe;

    /** Probes with {@code probe} on every health check. */
    public SmtpHealthIndicator(SmtpProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public Health health() {
        ProbeResult result = probe.run();
        Health.Builder health = result.isOk() ? Health.up() : Health.down();
        return health.withDetails(details(result)).build();
    }

    /** The diagnosis as health details, in a stable order. */
    static Map<String, Object> details(ProbeResult result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", result.target());
        details.put("verdict", result.verdict().name());
        details.put("layer", result.layer().name());
        details.put("phase", result.phase().name());
        details.put("detail", result.detail());
        details.put("nextAction", result.verdict().nextAction());
        if (result.remoteAddress() != null) {
            details.put("remote", result.remoteAddress().getAddress().getHostAddress() + ":" + result.remoteAddress().getPort());
        }
        details.put("elapsedMs", result.elapsed().toMillis());
        List<Map<String, Object>> hints = result.hints().stream().map(SmtpHealthIndicator::hint).toList();
        details.put("hints", hints);
        return details;
    }

    private static Map<String, Object> hint(Hint hint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", hint.code().name());
        m.put("message", hint.message());
        m.put("evidence", hint.evidence());
        return m;
    }
}
