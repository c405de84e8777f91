package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.SmtpProbe;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * A host property that names no host that can be probed: the starter does not stop the startup by itself; each
 * pre-flight mode reports it in its own way, naming the property and its fix and never the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnusableMailHostTest {

    /** Not a host name even without scheme, port and whitespace: a list of two. */
    private static final String BAD_HOST = "smtp.example.test, smtp2.example.test";
    private static final String PASSWORD = "pa55-w0rd-never-shown";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SmtpProbeAutoConfiguration.class,
                    SmtpProbeMetricsAutoConfiguration.class))
            .withPropertyValues("spring.mail.host=" + BAD_HOST, "spring.mail.username=app",
                    "spring.mail.password=" + PASSWORD);

    @Test
    void theHostReallyIsRejectedByCore() {
        assertThatThrownBy(() -> SmtpProbe.to("smtp.example.test,smtp2.example.test"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void warnStartsTheApplicationLogsTheFixOnceAndHealthIsDown(CapturedOutput output) {
        runner.withPropertyValues("smtp-probe.preflight=warn").run(context -> {
            assertThat(context).hasNotFailed();
            assertDownNaming(context, "spring.mail.host", BAD_HOST);
            String log = output.getAll();
            assertThat(log).contains("smtp-probe pre-flight: mail will not go out as configured")
                    .contains("spring.mail.host=" + BAD_HOST).contains("Fix: Set spring.mail.host to the bare name")
                    .doesNotContain(PASSWORD);
            assertThat(log.indexOf("will not go out")).isEqualTo(log.lastIndexOf("will not go out"));
        });
    }

    @Test
    void offStartsTheApplicationLogsNothingAndHealthIsDown(CapturedOutput output) {
        runner.withPropertyValues("smtp-probe.preflight=off").run(context -> {
            assertThat(context).hasNotFailed();
            assertDownNaming(context, "spring.mail.host", BAD_HOST);
            assertThat(output.getAll()).doesNotContain("pre-flight").doesNotContain(PASSWORD);
        });
    }

    @Test
    void failStopsTheStartupAndTheFailureAnalysisNamesThePropertyAndTheFix() {
        runner.withPropertyValues("smtp-probe.preflight=fail").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).isInstanceOf(SmtpProbeConfigurationException.class)
                    .hasMessageContaining("spring.mail.host=" + BAD_HOST);
            FailureAnalysis analysis = analyze(failure);
            assertThat(analysis.getDescription()).contains("spring.mail.host=" + BAD_HOST)
                    .contains("Not a host name");
            assertThat(analysis.getAction()).contains("Set spring.mail.host to the bare name")
                    .contains("spring.mail.port").contains("smtp-probe.preflight=warn");
            assertThat(failure.getMessage() + analysis.getDescription() + analysis.getAction())
                    .doesNotContain(PASSWORD);
        });
    }

    @Test
    void theTargetOverrideIsNamedWhenItIsTheUnusableHost() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "smtp-probe.target.host=" + BAD_HOST,
                "smtp-probe.preflight=off").run(context -> {
                    assertThat(context).hasNotFailed();
                    Map<String, Object> finding = assertDownNaming(context, "smtp-probe.target.host", BAD_HOST);
                    assertThat((String) finding.get("fix")).contains("smtp-probe.target.port");
                });
    }

    @Test
    void userInformationInAUrlShapedHostIsMasked(CapturedOutput output) {
        String host = "smtp://app:" + PASSWORD + "@mail example.test:25:26";
        runner.withPropertyValues("spring.mail.host=" + host, "smtp-probe.preflight=warn").run(context -> {
            assertThat(context).hasNotFailed();
            assertDownNaming(context, "spring.mail.host", "***@mail example.test:25:26");
            assertThat(output.getAll()).contains("spring.mail.host=***@mail example.test:25:26")
                    .doesNotContain(PASSWORD);
        });
        runner.withPropertyValues("spring.mail.host=" + host, "smtp-probe.preflight=fail").run(context -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(context.getStartupFailure().getMessage() + analysis.getDescription() + analysis.getAction())
                    .contains("***@mail").doesNotContain(PASSWORD);
        });
    }

    @Test
    void theMonitorWithoutAProbeSaysWhyAndStartsNothing() {
        runner.withPropertyValues("smtp-probe.preflight=off").run(context -> {
            SmtpProbeMonitor monitor = context.getBean(SmtpProbeMonitor.class);
            assertThatThrownBy(monitor::probe).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spring.mail.host");
            assertThatThrownBy(() -> monitor.refresh().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("spring.mail.host");
            SmtpProbeMonitor.Snapshot snapshot = monitor.snapshot();
            assertThat(snapshot.latest()).isEmpty();
            assertThat(snapshot.refreshing()).isFalse();
        });
    }

    @Test
    void aPortThatIsNotANumberIsAFindingNotAStartupFailure() {
        runner.withPropertyValues("spring.mail.host=mail.example.test", "spring.mail.port=five-eight-seven",
                "smtp-probe.preflight=off").run(context -> {
                    assertThat(context).hasNotFailed();
                    SmtpProbe probe = context.getBean(SmtpProbeMonitor.class).probe();
                    assertThat(probe.port()).isEqualTo(25);
                    assertThat(probe.configFindings().stream().map(f -> f.code() + " " + f.key()).toList())
                            .contains("INVALID_VALUE mail.smtp.port");
                });
    }

    /** Health, through the registered contributor of the Spring Boot line on the class path. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> assertDownNaming(ApplicationContext context, String key, String value)
            throws ReflectiveOperationException {
        Object indicator = context.getBean(SmtpProbeAutoConfiguration.HEALTH_INDICATOR);
        Object health = indicator.getClass().getMethod("health").invoke(indicator);
        Object status = health.getClass().getMethod("getStatus").invoke(health);
        Map<String, Object> details = (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health);
        assertThat(status.getClass().getMethod("getCode").invoke(status)).isEqualTo("DOWN");
        assertThat(details).containsEntry("target", value);
        assertThat((String) details.get("state")).contains(key);
        List<Map<String, Object>> findings = (List<Map<String, Object>>) details.get("configFindings");
        assertThat(findings).hasSize(1);
        Map<String, Object> finding = findings.get(0);
        assertThat(List.copyOf(finding.keySet())).isEqualTo(List.of("code", "key", "value", "why", "fix"));
        assertThat(finding).containsEntry("code", "HOST_UNUSABLE").containsEntry("key", key)
                .containsEntry("value", value);
        assertThat((String) finding.get("fix")).contains("Set " + key + " to the bare name");
        assertThat(details.toString()).doesNotContain(PASSWORD);
        return finding;
    }

    /** The failure analysis as Spring Boot makes it: through the analyzers the starter registers. */
    private static FailureAnalysis analyze(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
                UnusableMailHostTest.class.getClassLoader()).load(FailureAnalyzer.class,
                // Spring Boot's own analyzers want constructor arguments this test has no use for.
                SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }));
        return analyzers.stream().filter(a -> a.getClass().getName().startsWith("dev.smtpprobe."))
                .map(a -> a.analyze(failure)).filter(a -> a != null).findFirst()
                .orElseThrow(() -> new AssertionError("no smtp-probe failure analysis of " + failure));
    }
}
