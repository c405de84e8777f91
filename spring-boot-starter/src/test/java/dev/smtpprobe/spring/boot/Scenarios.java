package dev.smtpprobe.spring.boot;

import dev.smtpprobe.testkit.TestCertificates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starting {@link MailApplication} with given properties, and waiting for its health. */
final class Scenarios {

    private Scenarios() {
    }

    /** The probe trusts the testkit's CA, as an application with that CA in its trust store would. */
    @Configuration(proxyBeanMethods = false)
    static class TrustTestCa {

        @Bean
        SmtpProbeBuilderCustomizer trustTestCa() {
            return builder -> builder.trustManager(TestCertificates.shared().trustManager());
        }
    }

    /** The application on a random HTTP port with the actuator's health details and metrics exposed. */
    static ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "management.endpoint.health.show-details=always",
                "management.endpoints.web.exposure.include=health,metrics"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(MailApplication.class, TrustTestCa.class)
                .web(WebApplicationType.SERVLET).properties(all.toArray(String[]::new)).run();
    }

    /** Starts the application without a web server (for startup failures). */
    static ConfigurableApplicationContext startWithoutWeb(String... properties) {
        return new SpringApplicationBuilder(MailApplication.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /**
     * GETs {@code /actuator/health/smtpProbe} until its status is {@code status}.
     *
     * @throws AssertionError with the last answer when it is not by {@code timeout}
     */
    static Http.Response awaitHealth(int port, String status, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Http.Response last;
        do {
            last = Http.get(port, "/actuator/health/smtpProbe");
            if (status.equals(last.field("status"))) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < end);
        throw new AssertionError("health not " + status + " within " + timeout + "; last: " + last);
    }
}
