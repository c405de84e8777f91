package dev.smtpprobe.spring.boot;

import dev.smtpprobe.SmtpProbe;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * From {@code spring.mail.*} to the probe the application's mail sender would make.
 *
 * <p>Two steps. {@link #mailProperties} turns {@code spring.mail.*} into the Jakarta Mail session properties Spring's
 * {@code JavaMailSenderImpl} sends with: {@code spring.mail.properties.*} as they are, then
 * {@code mail.transport.protocol} from {@code spring.mail.protocol} and {@code mail.<protocol>.host/port/user} from
 * {@code spring.mail.host/port/username}, which win as the sender's {@code connect(host, port, user, password)}
 * arguments do, with {@code mail.<protocol>.auth=true} when a username is set (the sender then logs in). The password
 * is never put in the properties. {@link #builder(Properties)} maps those properties to a probe builder with core's
 * {@link SmtpProbe#fromMailProperties(Properties)}, findings included; {@link #builder(Environment, SmtpProbeProperties)}
 * adds the credentials, the {@code smtp-probe.target} override and the budget.
 */
final class SpringMailMapping {

    private SpringMailMapping() {
    }

    /** Whether {@code spring.mail.host} or {@code smtp-probe.target.host} names a server. */
    static boolean hasTarget(Environment environment) {
        return hasText(environment.getProperty("spring.mail.host"))
                || hasText(environment.getProperty("smtp-probe.target.host"));
    }

    /**
     * The Jakarta Mail session properties of {@code spring.mail.*}, without the password.
     *
     * @param environment the application's environment
     * @return new properties
     */
    static Properties mailProperties(Environment environment) {
        Binder binder = Binder.get(environment);
        Properties mail = new Properties();
        mail.putAll(binder.bind("spring.mail.properties", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        String protocol = binder.bind("spring.mail.protocol", String.class).orElse("smtp").trim()
                .toLowerCase(Locale.ROOT);
        mail.setProperty("mail.transport.protocol", protocol);
        String prefix = "mail." + protocol + ".";
        binder.bind("spring.mail.host", String.class).ifBound(host -> mail.setProperty(prefix + "host", host));
        // As text: a port that is not a number is a configuration finding of the probe, not a startup failure.
        binder.bind("spring.mail.port", String.class).ifBound(port -> mail.setProperty(prefix + "port", port.trim()));
        binder.bind("spring.mail.username", String.class).ifBound(user -> {
            mail.setProperty(prefix + "user", user);
            if (hasText(user)) {
                // Spring's sender logs in whenever it has a username: connect(host, port, user, password) does.
                mail.setProperty(prefix + "auth", "true");
            }
        });
        return mail;
    }

    /**
     * The probe of the application's mail server: {@code spring.mail.*} mapped by {@link #builder(Properties)}, with
     * {@code smtp-probe.target} instead of the host and port when set, the credentials of
     * {@code spring.mail.username/password} when both are set (Jakarta Mail authenticates whenever it has both), and
     * {@code smtp-probe.budget} as the deadline.
     *
     * @throws UnusableHostException when the host property names no host that can be probed
     */
    static SmtpProbe.Builder builder(Environment environment, SmtpProbeProperties settings) {
        Properties mail = mailProperties(environment);
        String protocol = mail.getProperty("mail.transport.protocol");
        SmtpProbeProperties.Target target = settings.getTarget();
        if (hasText(target.getHost())) {
            mail.setProperty("mail." + protocol + ".host", target.getHost().trim());
        }
        if (target.getPort() != null) {
            mail.setProperty("mail." + protocol + ".port", Integer.toString(target.getPort()));
        }
        SmtpProbe.Builder builder;
        try {
            builder = builder(mail);
        } catch (IllegalArgumentException e) {
            // Core rejects only the host here (every other value becomes a finding); its message is not passed on,
            // as a URL-shaped host may quote user information.
            boolean override = hasText(target.getHost());
            throw new UnusableHostException(MailTargetProblem.ofHost(
                    override ? "smtp-probe.target.host" : "spring.mail.host",
                    override ? target.getHost() : environment.getProperty("spring.mail.host")));
        }
        String user = environment.getProperty("spring.mail.username");
        String password = environment.getProperty("spring.mail.password");
        if (hasText(user) && password != null) {
            // The supplier reads the password when the probe authenticates; the builder keeps no copy of it.
            builder.auth(user, () -> environment.getProperty("spring.mail.password", "").toCharArray());
        }
        Duration budget = settings.getBudget();
        return builder.deadline(budget)
                .connectTimeout(atMost(SmtpProbe.DEFAULT_CONNECT_TIMEOUT, budget, mail, protocol, "connectiontimeout"))
                .greetingTimeout(atMost(SmtpProbe.DEFAULT_GREETING_TIMEOUT, budget, mail, protocol, "timeout"))
                .replyTimeout(atMost(SmtpProbe.DEFAULT_REPLY_TIMEOUT, budget, mail, protocol, "timeout"));
    }

    /**
     * The probe builder for Jakarta Mail session properties: {@link SmtpProbe#fromMailProperties(Properties)}, so the
     * host, port, TLS mode, trust ({@code ssl.trust}), host name rule, EHLO name, local address and timeouts are
     * those the application's library would use, and the probe's {@link SmtpProbe#configFindings()} (and each
     * result's) say what is wrong or risky in them.
     *
     * @throws IllegalArgumentException naming the host key when its value is not a host name even without a scheme,
     *                                  port and whitespace
     */
    static SmtpProbe.Builder builder(Properties mail) {
        return SmtpProbe.fromMailProperties(mail);
    }

    /** The configured timeout in ms ({@code mail.<protocol>.<key>}), else {@code fallback}, never over the budget. */
    private static Duration atMost(Duration fallback, Duration budget, Properties mail, String protocol, String key) {
        int ms = number(mail.getProperty("mail." + protocol + "." + key), -1);
        // Jakarta Mail reads zero or less as "no timeout": the budget bounds it.
        Duration configured = ms > 0 ? Duration.ofMillis(ms) : fallback;
        return configured.compareTo(budget) < 0 ? configured : budget;
    }

    private static int number(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The host property names no host that can be probed: {@link #problem()} says which and how to fix it. */
    static final class UnusableHostException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final transient MailTargetProblem problem;

        UnusableHostException(MailTargetProblem problem) {
            super(problem.describe());
            this.problem = problem;
        }

        MailTargetProblem problem() {
            return problem;
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
