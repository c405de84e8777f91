package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Every property and condition of the auto-configuration, on whichever Spring Boot line the tests run. */
class SmtpProbeAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SmtpProbeAutoConfiguration.class,
                    SmtpProbeMetricsAutoConfiguration.class))
            // Most tests look at the configuration, not at a server: no probe at startup unless a test asks.
            .withPropertyValues("smtp-probe.preflight=off");

    private final MockSmtpServer server = new MockSmtpServer();

    @AfterEach
    void stop() {
        server.close();
    }

    /** The adapter for the health API of the Spring Boot line on the class path. */
    static String expectedHealthAdapter() {
        try {
            Class.forName("org.springframework.boot.health.contributor.HealthIndicator");
            return Boot4HealthIndicator.class.getName();
        } catch (ClassNotFoundException e) {
            return Boot3HealthIndicator.class.getName();
        }
    }

    private static SmtpProbe probe(org.springframework.context.ApplicationContext context) {
        return context.getBean(SmtpProbeMonitor.class).probe();
    }

    private static List<String> codes(SmtpProbe probe) {
        return probe.configFindings().stream().map(f -> f.code() + " " + f.key()).toList();
    }

    // ---- conditions ------------------------------------------------------------------------------------------

    @Test
    void withoutAMailHostNothingIsConfigured() {
        runner.withPropertyValues("spring.mail.port=587", "spring.mail.username=app").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SmtpProbeMonitor.class)
                    .doesNotHaveBean(SmtpProbeProperties.class).doesNotHaveBean(SmtpProbeMetrics.class)
                    .doesNotHaveBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR);
        });
    }

    @Test
    void aMailHostConfiguresTheMonitorTheHealthContributorAndThePreflight() {
        runner.withPropertyValues("spring.mail.host=mail.example.test").run(context -> {
            assertThat(context).hasSingleBean(SmtpProbeMonitor.class).hasSingleBean(SmtpProbePreflight.class)
                    .hasBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR);
            assertThat(context.getBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR).getClass().getName())
                    .isEqualTo(expectedHealthAdapter());
        });
    }

    @Test
    void enabledFalseSwitchesEverythingOff() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "smtp-probe.enabled=false")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(SmtpProbeMonitor.class)
                            .doesNotHaveBean(SmtpProbeMetrics.class)
                            .doesNotHaveBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR);
                });
    }

    @Test
    void theHealthContributorCanBeSwitchedOffAlone() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "management.health.smtp-probe.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(SmtpProbeMonitor.class)
                        .doesNotHaveBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR));
    }

    @Test
    void withoutAnActuatorThereIsNoHealthContributorButStillAMonitor() {
        runner.withPropertyValues("spring.mail.host=mail.example.test")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health",
                        "org.springframework.boot.health"))
                .run(context -> assertThat(context).hasSingleBean(SmtpProbeMonitor.class)
                        .doesNotHaveBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR));
    }

    @Test
    void anApplicationsOwnMonitorWins() {
        SmtpProbeMonitor own = new SmtpProbeMonitor(SmtpProbe.to("own.example.test").build(), Duration.ofMinutes(5));
        runner.withPropertyValues("spring.mail.host=mail.example.test")
                .withBean(SmtpProbeMonitor.class, () -> own)
                .run(context -> assertThat(context.getBean(SmtpProbeMonitor.class)).isSameAs(own));
    }

    // ---- spring.mail.* ---------------------------------------------------------------------------------------

    @Test
    void hostAndPortComeFromSpringMail() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "spring.mail.port=2525").run(context -> {
            SmtpProbe probe = probe(context);
            assertThat(probe.host()).isEqualTo("mail.example.test");
            assertThat(probe.port()).isEqualTo(2525);
            assertThat(probe.tlsMode()).as("no starttls.enable: the application sends in plain text")
                    .isEqualTo(TlsMode.NONE);
            assertThat(probe.authUsername()).isNull();
        });
    }

    @Test
    void withoutAPortItIsJakartaMailsDefaultForTheProtocol() {
        runner.withPropertyValues("spring.mail.host=mail.example.test").run(context ->
                assertThat(probe(context).port()).isEqualTo(25));
        runner.withPropertyValues("spring.mail.host=mail.example.test", "spring.mail.protocol=smtps").run(context -> {
            assertThat(probe(context).port()).isEqualTo(465);
            assertThat(probe(context).tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        });
    }

    @Test
    void theTlsModeComesFromTheMailProperties() {
        String prefix = "spring.mail.properties.mail.smtp.";
        runner.withPropertyValues("spring.mail.host=h.test", prefix + "starttls.enable=true").run(context ->
                assertThat(probe(context).tlsMode()).isEqualTo(TlsMode.STARTTLS));
        runner.withPropertyValues("spring.mail.host=h.test", prefix + "starttls.enable=true",
                prefix + "starttls.required=true").run(context ->
                assertThat(probe(context).tlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED));
        runner.withPropertyValues("spring.mail.host=h.test", "spring.mail.port=465", prefix + "ssl.enable=true")
                .run(context -> assertThat(probe(context).tlsMode()).isEqualTo(TlsMode.IMPLICIT));
    }

    @Test
    void ehloNameHostNameCheckAndTimeoutsComeFromTheMailProperties() {
        String prefix = "spring.mail.properties.mail.smtp.";
        runner.withPropertyValues("spring.mail.host=h.test", prefix + "localhost=app.example.test",
                prefix + "ssl.checkserveridentity=false", prefix + "connectiontimeout=3000",
                prefix + "timeout=4000").run(context -> {
                    SmtpProbe probe = probe(context);
                    assertThat(probe.ehloName()).isEqualTo("app.example.test");
                    assertThat(probe.verifyHostname()).isFalse();
                    assertThat(probe.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(probe.greetingTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(probe.replyTimeout()).isEqualTo(Duration.ofSeconds(4));
                });
    }

    @Test
    void credentialsAreUsedWhenBothUsernameAndPasswordAreSet() {
        runner.withPropertyValues("spring.mail.host=h.test", "spring.mail.username=app@example.test",
                "spring.mail.password=s3cret-pa55").run(context -> {
                    SmtpProbe probe = probe(context);
                    assertThat(probe.authUsername()).isEqualTo("app@example.test");
                    assertThat(probe.toString()).doesNotContain("s3cret-pa55");
                });
        runner.withPropertyValues("spring.mail.host=h.test", "spring.mail.username=app@example.test")
                .run(context -> assertThat(probe(context).authUsername())
                        .as("Jakarta Mail does not authenticate without a password").isNull());
    }

    @Test
    void aUsernameMeansTheSenderLogsInAndThePasswordStaysOutOfTheProperties() {
        runner.withPropertyValues("spring.mail.host=h.test", "spring.mail.username=app@example.test",
                "spring.mail.password=s3cret-pa55").run(context -> {
                    Properties mail = SpringMailMapping.mailProperties(context.getEnvironment());
                    assertThat(mail).containsEntry("mail.smtp.user", "app@example.test")
                            .containsEntry("mail.smtp.auth", "true");
                    assertThat(mail.toString()).doesNotContain("s3cret-pa55");
                    assertThat(codes(probe(context))).doesNotContain("AUTH_WITHOUT_USER mail.smtp.auth");
                });
        runner.withPropertyValues("spring.mail.host=h.test", "spring.mail.protocol=smtps",
                "spring.mail.username=app@example.test").run(context ->
                assertThat(SpringMailMapping.mailProperties(context.getEnvironment()))
                        .containsEntry("mail.smtps.auth", "true").doesNotContainKey("mail.smtp.auth"));
        runner.withPropertyValues("spring.mail.host=h.test").run(context ->
                assertThat(SpringMailMapping.mailProperties(context.getEnvironment()))
                        .doesNotContainKey("mail.smtp.auth"));
    }

    @Test
    void theMailPropertiesAreLintedAndTheFindingsReachTheResultAndTheHealthDetails() {
        server.start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "spring.mail.properties.mail.smtp.connecttimeout=5000").run(context -> {
                    SmtpProbe probe = probe(context);
                    assertThat(codes(probe)).startsWith("UNKNOWN_KEY mail.smtp.connecttimeout")
                            .contains("TIMEOUT_MISSING mail.smtp.connectiontimeout");
                    SmtpProbeMonitor monitor = context.getBean(SmtpProbeMonitor.class);
                    ProbeResult result = monitor.refresh().get(10, TimeUnit.SECONDS);
                    assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
                    assertThat(result.configFindings()).isEqualTo(probe.configFindings());

                    HealthView view = HealthView.of(monitor.snapshot(), probe.host());
                    assertThat(view.status()).isEqualTo("UP");
                    List<?> findings = (List<?>) view.details().get("configFindings");
                    assertThat(findings).hasSameSizeAs(result.configFindings());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> first = (Map<String, Object>) findings.get(0);
                    assertThat(List.copyOf(first.keySet())).isEqualTo(List.of("code", "key", "value", "why", "fix"));
                    assertThat(first).containsEntry("code", "UNKNOWN_KEY")
                            .containsEntry("key", "mail.smtp.connecttimeout").containsEntry("value", "5000");
                    assertThat((String) first.get("fix")).contains("mail.smtp.connectiontimeout");
                });
    }

    @Test
    void sslTrustInTheMailPropertiesTrustsAsTheApplicationDoesAndSaysWhatItHides() {
        server.start(Script.greeting("220 mx.test ESMTP").tlsOnConnect(TestCertificates.shared().expired().tls())
                .ehlo("mx.test", "PIPELINING"));
        String prefix = "spring.mail.properties.mail.smtp.";
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                prefix + "ssl.enable=true", prefix + "ssl.trust=*", prefix + "ssl.checkserveridentity=false")
                .run(context -> {
                    ProbeResult result = context.getBean(SmtpProbeMonitor.class).refresh().get(10, TimeUnit.SECONDS);
                    assertThat(result.verdict()).as("the application sends: it trusts the server")
                            .isEqualTo(Verdict.OK);
                    assertThat(result.configFindings().stream().map(f -> f.code() + " " + f.key()).toList())
                            .contains("TRUST_ALL mail.smtp.ssl.trust",
                                    "CERTIFICATE_ACCEPTED_BY_TRUST mail.smtp.ssl.trust");
                });
    }

    // ---- smtp-probe.* ----------------------------------------------------------------------------------------

    @Test
    void theTargetOverrideReplacesHostAndPort() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "spring.mail.port=587",
                "smtp-probe.target.host=relay.example.test", "smtp-probe.target.port=2587").run(context -> {
                    assertThat(probe(context).host()).isEqualTo("relay.example.test");
                    assertThat(probe(context).port()).isEqualTo(2587);
                });
    }

    @Test
    void theTargetOverrideAloneSwitchesTheStarterOn() {
        runner.withPropertyValues("smtp-probe.target.host=relay.example.test").run(context -> {
            assertThat(probe(context).host()).isEqualTo("relay.example.test");
            assertThat(probe(context).port()).isEqualTo(25);
        });
    }

    @Test
    void theBudgetIsTheProbesDeadlineAndBoundsEveryTimeout() {
        runner.withPropertyValues("spring.mail.host=h.test", "smtp-probe.budget=2s",
                "spring.mail.properties.mail.smtp.connectiontimeout=30000").run(context -> {
                    SmtpProbe probe = probe(context);
                    assertThat(probe.deadline()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(probe.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(probe.greetingTimeout()).isEqualTo(Duration.ofSeconds(2));
                });
        runner.withPropertyValues("spring.mail.host=h.test").run(context -> {
            assertThat(probe(context).deadline()).isEqualTo(Duration.ofSeconds(10));
            assertThat(context.getBean(SmtpProbeProperties.class).getCacheTtl()).isEqualTo(Duration.ofMinutes(1));
            assertThat(context.getBean(SmtpProbeProperties.class).getPreflight())
                    .isEqualTo(SmtpProbeProperties.Preflight.OFF);
        });
    }

    @Test
    void aBudgetThatIsNotPositiveFailsTheStartupNamingIt() {
        runner.withPropertyValues("spring.mail.host=h.test", "smtp-probe.budget=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("budget");
        });
    }

    @Test
    void theCacheTtlIsBound() {
        runner.withPropertyValues("spring.mail.host=h.test", "smtp-probe.cache-ttl=5m").run(context ->
                assertThat(context.getBean(SmtpProbeProperties.class).getCacheTtl()).isEqualTo(Duration.ofMinutes(5)));
    }

    @Test
    void customizersAdjustTheProbe() {
        runner.withPropertyValues("spring.mail.host=h.test")
                .withBean(SmtpProbeBuilderCustomizer.class, () -> builder -> builder.ehloName("custom.example.test"))
                .run(context -> assertThat(probe(context).ehloName()).isEqualTo("custom.example.test"));
    }

    // ---- pre-flight ------------------------------------------------------------------------------------------

    @Test
    void preflightIsWarnByDefault() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SmtpProbeAutoConfiguration.class))
                .withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + Ports.closed())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SmtpProbeProperties.class).getPreflight())
                            .isEqualTo(SmtpProbeProperties.Preflight.WARN);
                });
    }

    @Test
    void preflightFailStopsTheStartupAgainstAClosedPort() {
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + Ports.closed(),
                "smtp-probe.preflight=fail").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).isInstanceOf(SmtpProbePreflightException.class);
                    SmtpProbePreflightException failure = (SmtpProbePreflightException) context.getStartupFailure();
                    assertThat(failure.result().verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
                });
    }

    @Test
    void preflightFailStartsAgainstAHealthyServerAndSharesItsResult() {
        server.start(Script.greeting("220 mx.test ESMTP"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "smtp-probe.preflight=fail").run(context -> {
                    assertThat(context).hasNotFailed();
                    SmtpProbeMonitor.Snapshot snapshot = context.getBean(SmtpProbeMonitor.class).snapshot();
                    assertThat(snapshot.result().verdict()).isEqualTo(Verdict.OK);
                    assertThat(server.connectionCount()).as("health serves the pre-flight's result").isEqualTo(1);
                });
    }

    @Test
    void preflightWarnDoesNotDelayTheStartupAndItsResultIsTheHealthsFirst() {
        server.start(Script.noGreeting());
        long start = System.nanoTime();
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "smtp-probe.preflight=warn", "smtp-probe.budget=2s").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                    SmtpProbeMonitor monitor = context.getBean(SmtpProbeMonitor.class);
                    assertThat(monitor.snapshot().refreshing()).as("the pre-flight runs in the background").isTrue();
                    ProbeResult result = monitor.refresh().get(5, TimeUnit.SECONDS);
                    assertThat(result.verdict()).isEqualTo(Verdict.GREETING_TIMEOUT);
                    assertThat(monitor.snapshot().result()).isSameAs(result);
                    assertThat(server.connectionCount()).isEqualTo(1);
                });
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void preflightWarnAfterAnOkProbeListsTheConfigurationFindingsOnce(CapturedOutput output) {
        server.start(Script.greeting("220 mx.test ESMTP"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "spring.mail.properties.mail.smtp.connecttimeout=5000", "smtp-probe.preflight=warn").run(context -> {
                    ProbeResult result = context.getBean(SmtpProbeMonitor.class).refresh().get(10, TimeUnit.SECONDS);
                    assertThat(result.verdict()).isEqualTo(Verdict.OK);
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!output.getAll().contains("has findings:") && System.nanoTime() < end) {
                        Thread.sleep(20);
                    }
                    String log = output.getAll();
                    assertThat(log).contains("smtp-probe pre-flight: OK")
                            .contains("\n  - UNKNOWN_KEY mail.smtp.connecttimeout=5000: ")
                            .doesNotContain("Transcript (credentials redacted");
                    assertThat(log.indexOf("has findings:")).isEqualTo(log.lastIndexOf("has findings:"));
                });
    }

    @Test
    void preflightOffProbesNothingAtStartup() throws InterruptedException {
        server.start(Script.greeting("220 mx.test ESMTP"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "smtp-probe.preflight=off").run(context -> {
                    assertThat(context).hasNotFailed();
                    Thread.sleep(300);
                    assertThat(server.connectionCount()).isZero();
                });
    }

    // ---- metrics ---------------------------------------------------------------------------------------------

    @Test
    void withAMeterRegistryTheProbesAreMeasuredTaggedByVerdictAndLayer() {
        server.start(Script.greeting("220 mx.test ESMTP"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasSingleBean(SmtpProbeMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(SmtpProbeMonitor.class).refresh().get(10, TimeUnit.SECONDS);

                    assertThat(registry.get(SmtpProbeMetrics.RESULTS).tags("verdict", "ok", "layer", "none")
                            .counter().count()).isEqualTo(1.0);
                    assertThat(registry.get(SmtpProbeMetrics.PROBE_TIMER).tags("verdict", "ok").timer().count())
                            .isEqualTo(1);
                    assertThat(registry.get(SmtpProbeMetrics.PHASE_TIMER).tags("phase", "greeting", "outcome", "ok")
                            .timer().count()).isEqualTo(1);
                    assertThat(registry.get(SmtpProbeMetrics.CERTIFICATE_EXPIRY).gauge().value())
                            .as("no TLS, no certificate").isNaN();
                });
    }

    @Test
    void withoutAMeterRegistryThereAreNoMeters() {
        runner.withPropertyValues("spring.mail.host=h.test").run(context ->
                assertThat(context).hasSingleBean(SmtpProbeMonitor.class).doesNotHaveBean(SmtpProbeMetrics.class));
        runner.withPropertyValues("spring.mail.host=h.test")
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SmtpProbeMetrics.class));
    }
}
