package dev.smtpprobe.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link MailApp} as it ships (its application.properties), started against a scripted mail server on loopback
 * that offers STARTTLS and accepts the login: the starter's health contributor answers UP with the verdict and
 * the configuration's findings, and the password is nowhere in it.
 */
class MailAppTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private final MockSmtpServer server = new MockSmtpServer();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        server.close();
    }

    @Test
    void theHealthOfTheConfiguredMailServerIsUpWithItsFindings() throws Exception {
        server.start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .ehloAfterTls("mx.test", "AUTH PLAIN LOGIN").onStartTls(CERTS.valid().tls())
                .onAuth("235 2.7.0 Authentication successful"));
        // Command-line arguments, which win over application.properties: the scripted server, whose certificate
        // comes from the testkit's CA, which the application trusts by name as a developer's local setup would.
        app = new SpringApplicationBuilder(MailApp.class).run("--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoint.health.show-details=always", "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + server.port(), "--spring.mail.password=app-pa55word",
                "--spring.mail.properties.mail.smtp.ssl.trust=127.0.0.1");
        int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));

        String body = awaitUp(port, Duration.ofSeconds(20));

        assertThat(body).contains("\"verdict\":\"OK\"").contains("\"CERTIFICATE_ACCEPTED_BY_TRUST\"")
                .doesNotContain("app-pa55word");
        assertThat(server.connections().get(0).commands()).contains("STARTTLS").anyMatch(c -> c.startsWith("AUTH "));
    }

    private static String awaitUp(int port, Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/smtpProbe")).timeout(Duration.ofSeconds(5)).build();
        long end = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (last.startsWith("{\"status\":\"UP\"")) {
                return last;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError("not UP within " + timeout + ": " + last);
    }
}
