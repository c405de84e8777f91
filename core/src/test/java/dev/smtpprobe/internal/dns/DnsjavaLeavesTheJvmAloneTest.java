package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Adding smtp-probe (and so dnsjava) to an application leaves its {@code InetAddress} resolution as it was. dnsjava
 * declares a JVM-wide {@code java.net.spi.InetAddressResolverProvider} (JDK 18+) in its {@code META-INF/services},
 * which the JDK loads at the first lookup; the provider hands back the JDK's built-in resolver unless
 * {@code -Dorg.dnsjava.spi.enable=true} is set. Checked in a fresh JVM of the running Java (the suite runs on JDK 17
 * and 25) that uses smtp-probe's DNS, then {@code InetAddress}, then reads which resolver the JDK installed.
 *
 * <p>Not with {@code -Djdk.net.hosts.file}: with it, the JDK never loads a resolver provider at all, so such a test
 * would pass whatever dnsjava did.
 */
class DnsjavaLeavesTheJvmAloneTest {

    private static final String NAME = "probe-only.test";

    private MockDnsServer dns;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        dns.a(NAME, "127.0.0.88");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void inetAddressKeepsTheJdksResolverWithSmtpProbeAndDnsjavaOnTheClassPath() throws Exception {
        List<String> out = child();

        assertThat(out).contains("probe [127.0.0.88]"); // smtp-probe resolved through dnsjava in this JVM
        assertThat(out).contains("provider org.xbill.DNS.spi.DnsjavaInetAddressResolverProvider"); // declared...
        assertThat(out).anyMatch(l -> l.startsWith("jvm localhost [127.0.0.1"));
        String resolver = out.stream().filter(l -> l.startsWith("resolver ")).findFirst().orElseThrow();
        if (Runtime.version().feature() >= 18) {
            assertThat(resolver).startsWith("resolver java.net.InetAddress$"); // ...and yet the JDK's own resolver
        } else {
            assertThat(resolver).isEqualTo("resolver none"); // JDK 17 has no resolver SPI
        }
    }

    @Test
    void theOneSwitchThatWouldChangeItIsDnsjavasOwnProperty() throws Exception {
        // The control: it shows that the test above would see a change.
        List<String> out = child("-Dorg.dnsjava.spi.enable=true", "-Ddns.server=127.0.0.1:" + dns.port());

        String expected = Runtime.version().feature() >= 18 ? "resolver org.xbill.DNS.spi.DnsjavaInetAddressResolver"
                : "resolver none";
        assertThat(out).contains(expected);
    }

    private List<String> child(String... options) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.net=ALL-UNNAMED"));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JvmLookupMain.class.getName(),
                String.valueOf(dns.port()), NAME));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
