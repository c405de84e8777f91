package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -4}/{@code -6}, {@code --quit-after}, {@code --require} and {@code --version}, in-process against the
 * scripted server on loopback.
 */
class OperatorOptionsCliTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
    }

    private static Script plain() {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-4 -6 127.0.0.1", "-6 127.0.0.1", "-4 ::1", "--quit-after data 127.0.0.1",
        "--require all 127.0.0.1", "--require some --ports 25,587 127.0.0.1", "--completion fish"})
    void badCombinationsAreUsageErrors(String args) {
        int status = run(args.split(" "));

        assertThat(status).as(args + ": " + err).isEqualTo(64);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("smtp-probe: ").hasLineCount(1);
    }

    @Test
    void quitAfterEhloSaysQuitAndIsOkEvenWhereStartTlsIsRequired() {
        try (MockSmtpServer server = new MockSmtpServer().start(plain())) {
            int status = run("--quit-after", "ehlo", "--tls", "require-starttls", "--ehlo", "client.test", "--timeout",
                    "2s", "--transcript", "127.0.0.1:" + server.port());

            assertThat(status).as(out + " " + err).isZero();
            RecordedConnection c = server.takeConnection(WAIT);
            c.awaitClosed(WAIT);
            assertThat(c.commands()).containsExactly("EHLO client.test", "QUIT");
            assertThat(out.toString()).contains("quitAfter EHLO");
        }
    }

    @Test
    void quitAfterGreetingSendsNothingButQuit() {
        try (MockSmtpServer server = new MockSmtpServer().start(plain())) {
            int status = run("--quit-after", "GREETING", "-4", "--timeout", "2s", "127.0.0.1:" + server.port());

            assertThat(status).as(out + " " + err).isZero();
            RecordedConnection c = server.takeConnection(WAIT);
            c.awaitClosed(WAIT);
            assertThat(c.commands()).containsExactly("QUIT");
        }
    }

    @Test
    void aSweepWithARefusedPortExitsZeroUnlessEveryPortIsRequired() {
        try (MockSmtpServer server = new MockSmtpServer().start(plain(), plain(), plain())) {
            String ports = server.port() + "," + Ports.closed();
            String[] base = {"--tls", "none", "--timeout", "2s", "--ports", ports, "127.0.0.1"};

            assertThat(run(base)).as("default: any port; " + out + err).isZero();
            assertThat(run(concat(base, "--require", "any"))).as(err.toString()).isZero();
            assertThat(run(concat(base, "--require", "all"))).as(out + " " + err).isEqualTo(ExitCode.TCP.code());
            assertThat(out.toString()).contains("CONNECTION_REFUSED");
        }
    }

    @Test
    void aSweepWhereEveryPortWorksExitsZeroWithRequireAll() {
        try (MockSmtpServer a = new MockSmtpServer().start(plain()); MockSmtpServer b = new MockSmtpServer().start(plain())) {
            int status = run("--tls", "none", "--timeout", "2s", "--require", "all", "--ports", a.port() + "," + b.port(),
                    "127.0.0.1");

            assertThat(status).as(out + " " + err).isZero();
        }
    }

    @Test
    void versionNamesTheBuildAndTheRuntime() {
        int status = run("--version");

        assertThat(status).isZero();
        assertThat(out.toString().lines().toList()).hasSize(2);
        assertThat(out.toString().lines().findFirst().orElseThrow()).matches("smtp-probe \\d+\\.\\d+\\.\\d+\\S*");
        assertThat(out.toString()).contains("Java " + System.getProperty("java.version"));
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
