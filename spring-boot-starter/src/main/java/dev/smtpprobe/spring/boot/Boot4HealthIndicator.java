package dev.smtpprobe.spring.boot;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health contributor on Spring Boot 4.x: the monitor's snapshot as {@link HealthView} says, never waiting on
 * SMTP.
 */
final class Boot4HealthIndicator implements HealthIndicator {

    private final SmtpProbeMonitor monitor;

    Boot4HealthIndicator(SmtpProbeMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public Health health() {
        HealthView view = HealthView.of(monitor);
        return Health.status(new Status(view.status())).withDetails(view.details()).build();
    }
}
