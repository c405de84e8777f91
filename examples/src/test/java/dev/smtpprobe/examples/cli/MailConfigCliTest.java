package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mail-properties} and {@code --spring-config}: the application's configuration read, its findings printed
 * before the result, and the probe run against a scripted server on loopback.
 */
class MailConfigCliTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private MockSmtpServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private int run(Map<String, String> env, String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), env, Style.PLAIN);
    }

    private int plainServer() {
        server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        return server.port();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void mailPropertiesFindingsComeBeforeTheVerdict() throws Exception {
        Path file = write("mail.properties", """
                mail.smtp.host=127.0.0.1
                mail.smtp.port=%d
                mail.smtp.connecttimeout=5000
                mail.smtp.timeout=3000
                mail.smtp.writetimeout=3000
                mail.smtp.localhost=probe.test
                """.formatted(plainServer()));

        int status = run(Map.of(), "--mail-properties", file.toString());

        assertThat(status).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).startsWith("Configuration  " + file + ": ");
        int unknown = text.indexOf("! UNKNOWN_KEY  mail.smtp.connecttimeout=5000");
        int missing = text.indexOf("! TIMEOUT_MISSING  mail.smtp.connectiontimeout");
        int verdict = text.indexOf("OK");
        assertThat(unknown).isPositive();
        assertThat(missing).isGreaterThan(unknown);
        assertThat(text.indexOf("Fix: Rename it to mail.smtp.connectiontimeout.")).isGreaterThan(unknown);
        assertThat(text.lastIndexOf("OK")).isGreaterThan(missing);
        assertThat(verdict).isPositive();
        assertThat(server.connections().get(0).commands()).containsExactly("EHLO probe.test", "QUIT");
    }

    @Test
    void jsonCarriesTheFindingsFirst() throws Exception {
        Path file = write("mail.properties", "mail.smtp.host=127.0.0.1\nmail.smtp.port=" + plainServer()
                + "\nmail.smtp.connecttimeout=5000\nmail.smtp.password=hunter2\n");

        int status = run(Map.of(), "--mail-properties", file.toString(), "--json");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("hunter2");
        JsonNode json = Json.mapper().readTree(out.toString());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        // The contract's answer first (schemaVersion, ok, verdict, layer, phase); the findings are in it.
        assertThat(fields.subList(0, 5)).containsExactly("schemaVersion", "ok", "verdict", "layer", "phase");
        assertThat(fields).contains("configFindings");
        JsonSchemas.valid(json);
        assertThat(json.get("verdict").asText()).isEqualTo("OK");
        List<String> codes = new ArrayList<>();
        json.get("configFindings").forEach(f -> codes.add(f.get("code").asText() + " " + f.get("key").asText()));
        assertThat(codes).contains("UNKNOWN_KEY mail.smtp.connecttimeout", "UNKNOWN_KEY mail.smtp.password",
                "TIMEOUT_MISSING mail.smtp.connectiontimeout");
        // The findings are the result's own, with their values (secrets masked, as the hunter2 check above shows).
        assertThat(json.get("configFindings").get(0).get("code").asText() + " "
                + json.get("configFindings").get(0).get("key").asText()).isEqualTo("UNKNOWN_KEY mail.smtp.connecttimeout");
        assertThat(json.get("configFindings").get(0).get("value").asText()).isEqualTo("5000");
    }

    @Test
    void theReportShowsTheResultsFindingsOnceRightAfterItsSubject() throws Exception {
        Path file = write("mail.properties", "mail.smtp.host=127.0.0.1\nmail.smtp.port=" + plainServer()
                + "\nmail.smtp.connecttimeout=5000\n");

        int status = run(Map.of(), "--mail-properties", file.toString(), "--report");

        assertThat(status).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).startsWith("Subject: SMTP check passed: ");
        int findings = text.indexOf("\n\nConfiguration findings (");
        int unknown = text.indexOf("  - [UNKNOWN_KEY] mail.smtp.connecttimeout=5000");
        assertThat(findings).as(text).isEqualTo(text.indexOf("\n\n"));
        assertThat(unknown).isGreaterThan(findings);
        assertThat(text.indexOf("Source IP:")).isGreaterThan(unknown);
        assertThat(text.indexOf("UNKNOWN_KEY")).isEqualTo(text.lastIndexOf("UNKNOWN_KEY"));
    }

    @Test
    void springYamlIsReadAsTheApplicationsMailSenderSeesIt() throws Exception {
        Path file = write("application.yml", """
                server:
                  port: 8080
                spring:
                  mail:
                    host: ${MAIL_HOST:smtp.example.net}
                    port: %d
                    password: hunter2
                    properties:
                      mail:
                        smtp:
                          connectiontimeout: 3000
                          timeout: 3000
                          writetimeout: 3000
                          localhost: probe.test
                          starttls.enabel: true
                """.formatted(plainServer()));

        int status = run(Map.of("MAIL_HOST", "127.0.0.1"), "--spring-config", file.toString());

        assertThat(status).as(err.toString() + out).isZero();
        assertThat(out.toString()).contains("! UNKNOWN_KEY  mail.smtp.starttls.enabel=true")
                .contains("Rename it to mail.smtp.starttls.enable.").doesNotContain("hunter2");
        assertThat(server.connections().get(0).commands()).containsExactly("EHLO probe.test", "QUIT");
    }

    @Test
    void springPropertiesWithBracketKeysAndAUsername() throws Exception {
        Path file = write("application.properties", """
                spring.mail.host=mail.example.net
                spring.mail.port=587
                spring.mail.protocol=smtp
                spring.mail.username=app@example.net
                spring.mail.password=hunter2
                spring.mail.properties[mail.smtp.starttls.enable]=true
                spring.mail.properties.mail.smtp.connectiontimeout=5000
                """);

        Properties mail = MailConfigFiles.springConfig(file, Map.of());

        assertThat(mail).containsEntry("mail.transport.protocol", "smtp").containsEntry("mail.smtp.host", "mail.example.net")
                .containsEntry("mail.smtp.port", "587").containsEntry("mail.smtp.user", "app@example.net")
                .containsEntry("mail.smtp.auth", "true").containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.connectiontimeout", "5000");
        assertThat(mail.toString()).doesNotContain("hunter2");
        assertThat(MailConfigFiles.user(mail)).contains("app@example.net");
    }

    @Test
    void theConfiguredUserNeedsThePasswordFromTheCaller() throws Exception {
        Path file = write("mail.properties", "mail.smtp.host=127.0.0.1\nmail.smtp.port=" + plainServer()
                + "\nmail.smtp.auth=true\nmail.smtp.user=alice\n");

        int status = run(Map.of(), "--mail-properties", file.toString());

        assertThat(status).isEqualTo(64);
        assertThat(err.toString()).contains(SmtpProbeCli.PASSWORD_VARIABLE);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void badFilesAndCombinationsAreUsageErrors() throws Exception {
        Path yaml = write("application.yml", "spring: [unclosed\n");
        Path props = write("mail.properties", "mail.smtp.host=mx.example.net\n");

        assertThat(run(Map.of(), "--mail-properties", dir.resolve("missing.properties").toString())).isEqualTo(64);
        assertThat(run(Map.of(), "--spring-config", yaml.toString())).isEqualTo(64);
        assertThat(run(Map.of(), "--mail-properties", props.toString(), "127.0.0.1")).isEqualTo(64);
        assertThat(run(Map.of(), "--mail-properties", props.toString(), "--spring-config", yaml.toString())).isEqualTo(64);
        assertThat(err.toString().lines()).hasSize(4).allMatch(l -> l.startsWith("smtp-probe: "));
        assertThat(out.toString()).isEmpty();
    }
}
