package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import io.netty.util.Version;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Netty line the starter's tests run on: the build names the Netty it put on the test class path
 * ({@code smtpprobe.test.netty}: Netty 4.1, as a Spring Boot 3.5 application has it, with {@code -Pnetty41}), and
 * this fails when the JVM runs another, so that leg cannot silently run 4.2; then the starter probes on it.
 */
class NettyOnTheClassPathTest {

    @Test
    void theStarterProbesOnTheNettyTheBuildPutOnTheClassPath() {
        String wanted = System.getProperty("smtpprobe.test.netty");
        assertThat(wanted).as("smtpprobe.test.netty, set by the build").isNotBlank();
        Map<String, Version> netty = Version.identify(getClass().getClassLoader());
        assertThat(netty).containsKeys("netty-common", "netty-buffer", "netty-transport", "netty-handler");
        netty.forEach((artifact, version) -> {
            if (!artifact.equals("netty-pkitesting")) { // the test certificates' kit: no 4.1 release exists
                assertThat(version.artifactVersion()).as(artifact).isEqualTo(wanted);
            }
        });

        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"))) {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SmtpProbeAutoConfiguration.class))
                    .withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                            "smtp-probe.preflight=off")
                    .run(context -> assertThat(context.getBean(SmtpProbeMonitor.class).refresh()
                            .get(10, TimeUnit.SECONDS).verdict()).isEqualTo(Verdict.OK));
        }
    }
}
