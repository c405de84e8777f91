package dev.smtpprobe.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * {@link SmtpProbeMetrics} as a listener of the starter's probes, when the application has a {@link MeterRegistry}.
 * On under the same conditions as {@link SmtpProbeAutoConfiguration}. Ordered after the registry's auto-configuration on both Spring Boot lines (its classes moved in 4.0).
 */
@AutoConfiguration(before = SmtpProbeAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnProperty(prefix = "smtp-probe", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(SmtpProbeAutoConfiguration.OnMailTarget.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class SmtpProbeMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SmtpProbeMetrics smtpProbeMetrics(MeterRegistry registry) {
        return new SmtpProbeMetrics(registry);
    }
}
