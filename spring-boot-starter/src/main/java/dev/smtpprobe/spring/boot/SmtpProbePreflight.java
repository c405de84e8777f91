package dev.smtpprobe.spring.boot;

import dev.smtpprobe.ProbeResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The probe at startup, once every singleton is made ({@code smtp-probe.preflight}).
 *
 * <ul>
 *   <li>{@code fail}: waits for the probe (at most the budget) and stops the startup with
 *       {@link SmtpProbePreflightException} unless the verdict is {@code OK}.</li>
 *   <li>{@code warn}: starts the probe in the background, so the startup does not wait, and logs its report once
 *       when it ends (a warning unless {@code OK}; after an {@code OK}, a warning with the configuration findings
 *       when there are any, an info line otherwise).</li>
 *   <li>{@code off}: nothing.</li>
 * </ul>
 *
 * <p>When the configuration names no server that can be probed, {@code fail} stops the startup with
 * {@link SmtpProbeConfigurationException} and {@code warn} logs the property and its fix once, as a warning.
 *
 * <p>The result is the monitor's first, so the health contributor serves it without probing again.
 */
final class SmtpProbePreflight implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SmtpProbePreflight.class);

    /** Beyond the budget: the probe's own deadline watchdog completes it within 250 ms of the deadline. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final SmtpProbeMonitor monitor;
    private final SmtpProbeProperties.Preflight mode;
    private final Duration budget;

    SmtpProbePreflight(SmtpProbeMonitor monitor, SmtpProbeProperties.Preflight mode, Duration budget) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public void afterSingletonsInstantiated() {
        MailTargetProblem problem = monitor.problem();
        if (problem != null) {
            if (mode == SmtpProbeProperties.Preflight.FAIL) {
                throw new SmtpProbeConfigurationException(problem);
            }
            if (mode == SmtpProbeProperties.Preflight.WARN) {
                log.warn("smtp-probe pre-flight: mail will not go out as configured (spring.mail.*): {}",
                        problem.describe());
            }
            return;
        }
        switch (mode) {
            case FAIL -> failUnlessOk();
            case WARN -> monitor.refresh().whenComplete((result, failure) -> {
                if (result != null) {
                    logOnce(result);
                }
            });
            case OFF -> {
                // The first health call starts the first probe.
            }
        }
    }

    private void failUnlessOk() {
        ProbeResult result;
        try {
            result = monitor.refresh().get(budget.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("smtp-probe pre-flight interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("smtp-probe pre-flight could not probe: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("smtp-probe pre-flight did not end within its budget " + budget, e);
        }
        if (!result.isOk()) {
            throw new SmtpProbePreflightException(result);
        }
        log.info("smtp-probe pre-flight: {}", result.summary());
    }

    private static void logOnce(ProbeResult result) {
        if (result.isOk() && !result.configFindings().isEmpty()) {
            // Mail goes out today, but the configuration has a risk (an infinite timeout, trust-all): say so once,
            // without the transcript of a probe that passed.
            StringBuilder findings = new StringBuilder();
            result.configFindings().forEach(f -> findings.append("\n  - ").append(f));
            log.warn("smtp-probe pre-flight: {}; the mail configuration (spring.mail.*) has findings:{}",
                    result.summary(), findings);
        } else if (result.isOk()) {
            log.info("smtp-probe pre-flight: {}", result.summary());
        } else {
            log.warn("smtp-probe pre-flight: mail will not go out as configured (spring.mail.*): {}\n{}",
                    result.summary(), result.report());
        }
    }
}
