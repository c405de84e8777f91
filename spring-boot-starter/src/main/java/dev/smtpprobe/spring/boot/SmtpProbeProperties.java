package dev.smtpprobe.spring.boot;

import dev.smtpprobe.SmtpProbe;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings, {@code smtp-probe.*}. What to probe comes from {@code spring.mail.*} (see
 * {@link SpringMailMapping}); these settings say how often, how long, and what to do at startup.
 */
@ConfigurationProperties(prefix = "smtp-probe")
public class SmtpProbeProperties {

    /** What the pre-flight probe at startup does with a failure. */
    public enum Preflight {
        /** Stop the startup: the failure analysis prints the probe's report and the next action. */
        FAIL,
        /** Log the report once, in the background; the application starts without waiting. */
        WARN,
        /** No probe at startup; the first health call starts one. */
        OFF
    }

    /** Whether the starter probes the mail server at all. */
    private boolean enabled = true;

    /**
     * Hard time budget of one probe, DNS to QUIT. A probe never takes longer, whatever the server does; the health
     * endpoint never waits for a probe at all.
     */
    private Duration budget = Duration.ofSeconds(10);

    /**
     * How long a probe's result is served before the next health call starts a background refresh. At most one
     * probe runs at a time, so the mail server sees at most one connection per this interval.
     */
    private Duration cacheTtl = Duration.ofMinutes(1);

    /** What the probe at startup does with a failure: fail, warn or off. */
    private Preflight preflight = Preflight.WARN;

    /** Probe this server instead of the one spring.mail.* names. */
    private final Target target = new Target();

    /** A server to probe instead of spring.mail.host and spring.mail.port. */
    public static class Target {

        /** Host to probe instead of spring.mail.host. */
        private String host;

        /** Port to probe instead of spring.mail.port. */
        private Integer port;

        /** {@return the host to probe instead of spring.mail.host, or {@code null} to use spring.mail.host} */
        public String getHost() {
            return host;
        }

        /**
         * Sets the host to probe instead of spring.mail.host.
         *
         * @param host the host name or address literal, or {@code null} to use spring.mail.host
         */
        public void setHost(String host) {
            this.host = host;
        }

        /** {@return the port to probe instead of spring.mail.port, or {@code null} to use spring.mail.port} */
        public Integer getPort() {
            return port;
        }

        /**
         * Sets the port to probe instead of spring.mail.port.
         *
         * @param port the TCP port, or {@code null} to use spring.mail.port
         */
        public void setPort(Integer port) {
            this.port = port;
        }
    }

    /** {@return whether the starter probes the mail server at all (default {@code true})} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether the starter probes the mail server at all.
     *
     * @param enabled {@code false} to register no probe, health indicator or metrics
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return the hard time budget of one probe, DNS to QUIT (default 10 seconds)} */
    public Duration getBudget() {
        return budget;
    }

    /**
     * Sets the budget of one probe.
     *
     * @param budget the time budget, positive and at most {@code SmtpProbe.MAX_TIMEOUT}
     * @throws IllegalArgumentException when {@code budget} is not positive or over {@code SmtpProbe.MAX_TIMEOUT}
     */
    public void setBudget(Duration budget) {
        if (budget == null || budget.isNegative() || budget.isZero()
                || budget.compareTo(SmtpProbe.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("budget must be positive and at most "
                    + SmtpProbe.MAX_TIMEOUT + ": " + budget);
        }
        this.budget = budget;
    }

    /** {@return how long a probe's result is served before a health call starts a refresh (default 1 minute)} */
    public Duration getCacheTtl() {
        return cacheTtl;
    }

    /**
     * Sets how long a result is served.
     *
     * @param cacheTtl how long a result is served, positive
     * @throws IllegalArgumentException when {@code cacheTtl} is not positive
     */
    public void setCacheTtl(Duration cacheTtl) {
        if (cacheTtl == null || cacheTtl.isNegative() || cacheTtl.isZero()) {
            throw new IllegalArgumentException("cacheTtl must be positive: " + cacheTtl);
        }
        this.cacheTtl = cacheTtl;
    }

    /** {@return what the probe at startup does with a failure (default {@link Preflight#WARN})} */
    public Preflight getPreflight() {
        return preflight;
    }

    /**
     * Sets what the probe at startup does with a failure.
     *
     * @param preflight fail the startup, warn in the log, or run no probe at startup
     */
    public void setPreflight(Preflight preflight) {
        this.preflight = preflight;
    }

    /** {@return the server to probe instead of the one spring.mail.* names; never {@code null}, its values may be} */
    public Target getTarget() {
        return target;
    }
}
