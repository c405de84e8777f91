package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command's argument handling, in-process (the end-to-end runs of the packaged jar are in {@code CliProcessIT}).
 * None of these reach the network: bad input must fail before any probe starts.
 */
class SmtpProbeCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--bogus",
        "-p 0 127.0.0.1", "-p 65536 127.0.0.1", "-p x 127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:",
        "--tls ssl 127.0.0.1", "--timeout 0 127.0.0.1", "--timeout soon 127.0.0.1",
        "--json --report 127.0.0.1", "127.0.0.1:25 -p 25", "--ehlo bad\tname 127.0.0.1", "--source nohost 127.0.0.1",
        "--cafile /nonexistent/ca.pem 127.0.0.1", "a b",
        "--mx example.test 127.0.0.1", "--ports 25,25 127.0.0.1", "--ports 25 -p 25 127.0.0.1", "--ports 25,x 127.0.0.1",
        "--ports 2525 127.0.0.1:25", "--resolver nohost 127.0.0.1", "--resolver 127.0.0.1:0 127.0.0.1",
        "--concurrency 4 127.0.0.1", "--batch /nonexistent/domains.txt", "--batch /nonexistent/domains.txt --mx a.test"
    })
    void badInputIsOneLineOnStderrAndExit64WithNothingOnStdout(String args) {
        int status = run(args.split(" "));

        assertThat(status).as(args).isEqualTo(64);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("smtp-probe: ").endsWith("(see smtp-probe --help)" + System.lineSeparator());
        assertThat(err.toString().lines()).hasSize(1);
    }

    /**
     * Special and oversized files are read with a cap: a usage error (64) at once, never an OutOfMemoryError or a
     * thread spinning forever. The preemptive timeout is generous: it only tells "ended" from "never ends".
     */
    @ParameterizedTest
    @ValueSource(strings = {"--batch /dev/zero", "--cafile /dev/zero 127.0.0.1"})
    void anEndlessDeviceIsAUsageErrorAtOnce(String args) {
        assumeTrue(Files.isReadable(Path.of("/dev/zero")), "needs /dev/zero");
        int status = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(args.split(" ")));

        assertThat(status).as(err.toString()).isEqualTo(64);
        assertThat(err.toString()).startsWith("smtp-probe: " + args.split(" ")[0] + ": ").contains("/dev/zero is larger than");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void oversizedFilesAreUsageErrors(@TempDir Path dir) throws Exception {
        Path batch = dir.resolve("domains.txt");
        Files.writeString(batch, "example.com\n".repeat((BatchCommand.MAX_FILE_BYTES / 12) + 1));
        Path ca = dir.resolve("ca.pem");
        Files.write(ca, new byte[(4 << 20) + 1]);

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run("--batch", batch.toString()))).isEqualTo(64);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run("--cafile", ca.toString(), "127.0.0.1")))
                .isEqualTo(64);
        assertThat(err.toString()).contains("--batch: " + batch + " is larger than 1 MiB")
                .contains("--cafile: trustedCertificates: " + ca + " is larger than 4 MiB");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void emptyOrBlankHostIsAUsageError() {
        assertThat(run("")).isEqualTo(64);
        assertThat(run("  ")).isEqualTo(64);
        assertThat(err.toString()).contains("HOST must not be empty");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void authWithoutAPasswordSourceIsAUsageErrorBeforeAnyProbe() {
        // No SMTP_PROBE_PASSWORD and no terminal (tests have no console): nothing to ask, so nothing is probed.
        assertThat(run("--auth", "alice@example.net", "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("--auth needs the password in the environment variable SMTP_PROBE_PASSWORD");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theEnvelopeNeedsBothSenderAndRecipient() {
        assertThat(run("--rcpt", "bob@example.net", "127.0.0.1")).isEqualTo(64);
        assertThat(run("--from", "alice@example.net", "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("--rcpt and --from go together");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPasswordOnTheCommandLineIsNotAnOption() {
        assertThat(run("--auth", "alice", "--password", "secret", "127.0.0.1")).isEqualTo(64);
        assertThat(err.toString()).contains("'--password'").doesNotContain("secret");
    }

    @Test
    void missingHostPointsAtTheDemo() {
        assertThat(run()).isEqualTo(64);
        assertThat(err.toString()).contains("missing HOST; try smtp-probe --demo");
    }

    @Test
    void helpListsEveryExitCode() {
        assertThat(run("--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        for (ExitCode exit : ExitCode.values()) {
            assertThat(help).contains(" " + exit.code() + " " + exit.description());
        }
        assertThat(err.toString()).isEmpty();
    }
}
