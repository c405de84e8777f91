package dev.smtpprobe.spring.boot;

import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.SmtpProbe;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Probes the mail server the application is configured for ({@code spring.mail.*}): a {@link SmtpProbeMonitor},
 * a health contributor {@code smtpProbe} (with the actuator), the pre-flight check at startup and, in
 * {@link SmtpProbeMetricsAutoConfiguration}, Micrometer meters.
 *
 * <p>On when {@code spring.mail.host} (or {@code smtp-probe.target.host}) is set and {@code smtp-probe.enabled} is
 * not {@code false}. A host property that names no host that can be probed does not stop the startup by itself: the
 * monitor then has no probe, the health contributor reports {@code DOWN} naming the property, and only
 * {@code smtp-probe.preflight=fail} stops the startup. The health contributor is off with
 * {@code management.health.smtp-probe.enabled=false}. Every bean backs off when the application defines its own of
 * the same type (or name, for the health contributor).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "smtp-probe", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(SmtpProbeAutoConfiguration.OnMailTarget.class)
@EnableConfigurationProperties(SmtpProbeProperties.class)
public class SmtpProbeAutoConfiguration {

    /** The bean name of the health contributor; the actuator shows it as {@code smtpProbe}. */
    public static final String HEALTH_INDICATOR = "smtpProbeHealthIndicator";

    @Bean
    @ConditionalOnMissingBean
    SmtpProbeMonitor smtpProbeMonitor(Environment environment, SmtpProbeProperties settings,
            ObjectProvider<SmtpProbeBuilderCustomizer> customizers, ObjectProvider<ProbeListener> listeners) {
        SmtpProbe.Builder builder;
        try {
            builder = SpringMailMapping.builder(environment, settings);
        } catch (SpringMailMapping.UnusableHostException e) {
            // Not the starter's to stop the startup: the pre-flight mode decides (fail stops it, warn logs it) and
            // the health contributor reports it.
            return new SmtpProbeMonitor(e.problem(), settings.getCacheTtl());
        }
        listeners.orderedStream().forEach(builder::listener); // called in bean order, each guarded by the probe
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return new SmtpProbeMonitor(builder.build(), settings.getCacheTtl());
    }

    @Bean
    @ConditionalOnMissingBean
    SmtpProbePreflight smtpProbePreflight(SmtpProbeMonitor monitor, SmtpProbeProperties settings) {
        return new SmtpProbePreflight(monitor, settings.getPreflight(), settings.getBudget());
    }

    /** The health contributor on Spring Boot 3.x (whose actuator has this interface and 4.0's has not). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.smtp-probe", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class Boot3Health {

        @Bean(HEALTH_INDICATOR)
        @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
        Boot3HealthIndicator smtpProbeHealthIndicator(SmtpProbeMonitor monitor) {
            return new Boot3HealthIndicator(monitor);
        }
    }

    /** The health contributor on Spring Boot 4.x. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.smtp-probe", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class Boot4Health {

        @Bean(HEALTH_INDICATOR)
        @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
        Boot4HealthIndicator smtpProbeHealthIndicator(SmtpProbeMonitor monitor) {
            return new Boot4HealthIndicator(monitor);
        }
    }

    /** Matches when {@code spring.mail.host} or {@code smtp-probe.target.host} names a server. */
    static final class OnMailTarget extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return SpringMailMapping.hasTarget(context.getEnvironment())
                    ? ConditionOutcome.match("a mail host is configured")
                    : ConditionOutcome.noMatch("neither spring.mail.host nor smtp-probe.target.host is set");
        }
    }
}
