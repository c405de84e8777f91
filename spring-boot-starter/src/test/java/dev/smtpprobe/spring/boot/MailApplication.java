package dev.smtpprobe.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A Spring Boot application with only {@code spring.mail.*} (and actuator settings) configured: what the starter's
 * users have. Its mail sender is not needed; the starter reads the same properties.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class MailApplication {
}
