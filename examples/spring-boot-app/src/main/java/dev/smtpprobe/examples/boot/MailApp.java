package dev.smtpprobe.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that sends mail, with the smtp-probe starter on its class path and nothing else done:
 * its {@code application.properties} sets only {@code spring.mail.*}. The starter reads them and adds the
 * {@code smtpProbe} health contributor ({@code /actuator/health/smtpProbe}), a pre-flight probe at startup
 * ({@code smtp-probe.preflight=warn} by default: the report is logged once when mail would not go out) and, with
 * a {@code MeterRegistry}, the {@code smtp.probe.*} meters.
 */
@SpringBootApplication
public class MailApp {

    public static void main(String[] args) {
        SpringApplication.run(MailApp.class, args);
    }
}
