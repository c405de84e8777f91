package dev.smtpprobe.spring.boot;

import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The health contributor on Spring Boot 3.x: the monitor's snapshot as {@link HealthView} says, never waiting on
 * SMTP.
 */
final class Boot3HealthIndicator implements HealthIndicator {

    private final SmtpProbeMonitor monitor;

    Boot3HealthIndicator(SmtpProbeMonitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public Health health() {
        HealthView view = HealthView.of(monitor);
        return Health.status(new Status(view.status())).withDetails(view.details()).build();
    }
}
