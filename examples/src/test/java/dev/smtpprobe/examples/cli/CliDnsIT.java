package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.examples.cli.JarProcess.Run;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --mx}, {@code --resolver}, {@code --ports} and {@code --batch} as a user runs them: the packaged jar
 * against a test DNS server and scripted SMTP servers, all on loopback. The jar asks only the test resolver.
 */
class CliDnsIT {

    /** Never reached when a test passes (see {@link CliProcessIT}). */
    private static final String NOT_REACHED = "5s";

    private MockDnsServer dns;
    private MockSmtpServer smtp;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        dns.mx("ok.test", 10, "mx1.ok.test").a("mx1.ok.test", "127.0.0.1");
        // 127.0.0.2 is loopback too, but the SMTP server listens on 127.0.0.1 only: refused there.
        dns.mx("refusing.test", 10, "mx1.refusing.test").a("mx1.refusing.test", "127.0.0.2");
        dns.nullMx("nomail.test");
    }

    @AfterEach
    void stop() {
        smtp.close();
        dns.close();
    }

    private String resolver() {
        return "127.0.0.1:" + dns.port();
    }

    @Test
    void mxProbeShowsTheMailHostsAndExitsZero() {
        Run run = JarProcess.cli("--mx", "ok.test", "--resolver", resolver(), "-p", String.valueOf(smtp.port()),
                "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.firstLine()).startsWith("OK ok.test MX mx1.ok.test:" + smtp.port() + " (127.0.0.1)");
        assertThat(run.stdout()).contains("  dns          MX ok.test via " + resolver())
                .contains("  mx           10 mx1.ok.test [127.0.0.1]");
        assertThat(dns.queries()).anyMatch(q -> q.name().equals("ok.test") && q.type().equals("MX"));
    }

    @Test
    void dnsVerdictsExit2() {
        Run nxdomain = JarProcess.cli("--mx", "missing.test", "--resolver", resolver(), "--timeout", NOT_REACHED);
        Run nullMx = JarProcess.cli("--mx", "nomail.test", "--resolver", resolver(), "--timeout", NOT_REACHED);

        assertThat(nxdomain.exit()).as(nxdomain.toString()).isEqualTo(2);
        assertThat(nxdomain.firstLine()).startsWith("DNS_NO_SUCH_DOMAIN [DNS] missing.test");
        assertThat(nullMx.exit()).as(nullMx.toString()).isEqualTo(2);
        assertThat(nullMx.firstLine()).startsWith("DNS_NULL_MX [DNS] nomail.test");
    }

    @Test
    void portSweepShowsEachPort() {
        int closed = Ports.closed();
        Run run = JarProcess.cli("127.0.0.1", "--ports", closed + "," + smtp.port(), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("  ports        " + closed + " CONNECTION_REFUSED, " + smtp.port() + " OK\n");
    }

    @Test
    void batchComparesScopeAcrossDomains() throws Exception {
        Path file = Files.writeString(dir.resolve("domains.txt"), "# recipients of the failed mails\nok.test\n\nrefusing.test\nmissing.test\n");

        Run human = JarProcess.cli("--batch", file.toString(), "--resolver", resolver(), "-p", String.valueOf(smtp.port()),
                "--timeout", NOT_REACHED);
        Run json = JarProcess.cli("--batch", file.toString(), "--resolver", resolver(), "-p", String.valueOf(smtp.port()),
                "--timeout", NOT_REACHED, "--json");

        // Failures in two layers (TCP and DNS): the batch's own code.
        assertThat(human.exit()).as(human.toString()).isEqualTo(8);
        assertThat(human.stdout()).startsWith("smtp-probe batch: 3 targets from " + file + ", 1 OK")
                .contains("\n  OK ok.test MX mx1.ok.test:").contains("\n  CONNECTION_REFUSED [TCP] refusing.test MX mx1.refusing.test:")
                .contains("\n  DNS_NO_SUCH_DOMAIN [DNS] missing.test").contains("scope: RECIPIENT_SIDE");
        assertThat(human.stderr()).isEmpty(); // no progress bar when not on a terminal
        // JSON Lines: one result per line, in the file's order, then the scope summary.
        List<String> lines = json.stdout().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(JsonSchemas.valid(lines.get(0)).get("verdict").asText()).isEqualTo("OK");
        assertThat(JsonSchemas.valid(lines.get(1)).get("verdict").asText()).isEqualTo("CONNECTION_REFUSED");
        assertThat(JsonSchemas.valid(lines.get(2)).get("verdict").asText()).isEqualTo("DNS_NO_SUCH_DOMAIN");
        JsonNode summary = JsonSchemas.valid(lines.get(3));
        assertThat(summary.get("total").asInt()).isEqualTo(3);
        assertThat(summary.get("scope").get("scope").asText()).isEqualTo("RECIPIENT_SIDE");
    }

    @Test
    void batchDrawsAProgressBarOnATerminal() throws IOException {
        assumeTrue(new java.io.File("/usr/bin/script").canExecute(), "script(1) is needed for a pseudo-terminal");
        Path file = Files.writeString(dir.resolve("literals.txt"), "[127.0.0.1]\n[127.0.0.2]\n[127.0.0.3]\n");
        String command = JarProcess.java() + " -jar " + JarProcess.jar() + " --batch " + file + " -p " + Ports.closed()
                + " --timeout " + NOT_REACHED;

        // script(1) gives the jar a pseudo-terminal; stdout and stderr both arrive on it.
        Run run = JarProcess.run(java.util.List.of("/usr/bin/script", "-qec", command, "/dev/null"),
                java.util.Map.of("TERM", "xterm"));

        assertThat(run.exit()).as(run.stdout()).isEqualTo(3); // every failure in the TCP layer
        assertThat(run.stdout()).contains("] 1/3").contains("] 3/3").contains("scope: ");
    }

    @Test
    void badBatchFilesAreUsageErrors() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing\n\n");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "ok.test\nnot a domain\n");

        for (String[] args : new String[][] {
            {"--batch", dir.resolve("missing.txt").toString()},
            {"--batch", empty.toString()},
            {"--batch", bad.toString()},
            {"--batch", bad.toString(), "127.0.0.1"},
        }) {
            Run run = JarProcess.cli(args);
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.stderr().lines()).hasSize(1);
        }
        assertThat(JarProcess.cli("--batch", bad.toString()).stderr()).contains("line 2");
    }
}
