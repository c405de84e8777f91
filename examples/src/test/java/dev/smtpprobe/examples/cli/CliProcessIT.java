package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.examples.cli.JarProcess.Run;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code smtp-probe} command as a user runs it: the packaged jar in its own JVM, against scripted SMTP servers
 * on 127.0.0.1. Asserts stdout, stderr and the exit code of each layer's verdicts.
 */
class CliProcessIT {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Script SUBMISSION = Script.greeting("220 mx.test ESMTP ready")
            .ehlo("mx.test", "PIPELINING", "SIZE 35882577", "STARTTLS", "AUTH PLAIN LOGIN");

    /**
     * The limit for probes that must not time out: a cold JVM on a busy 2-core machine can take a second for its
     * first banner and seconds for its first TLS handshake. It is never reached when such a test passes, so it
     * costs nothing; the test that waits for a timeout to fire uses 300 ms.
     */
    private static final String NOT_REACHED = "5s";

    private MockSmtpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private String serve(Script script) {
        server = new MockSmtpServer().start(script);
        return "127.0.0.1:" + server.port();
    }

    @TempDir
    static Path tmp;

    /** The test CA as a PEM file of this test class's own, which nothing else on the machine can clean away. */
    private static String ca() {
        return JarProcess.pemFile(tmp, CERTS.caPem()).toString();
    }

    @Test
    void okOverStartTlsExitsZeroWithTheEvidence() {
        String target = serve(SUBMISSION.onStartTls(CERTS.valid().tls()));

        Run run = JarProcess.cli(target, "--tls", "require-starttls", "--cafile", ca(), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.firstLine()).startsWith("OK " + target);
        assertThat(run.stdout())
                .contains("  remote       " + target + "\n")
                .containsPattern("  local        127\\.0\\.0\\.1:\\d+\n")
                .containsPattern("  time         \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:[0-9.]+Z, took \\d+ ms\n")
                .contains("  timings      connect ")
                .contains("  banner       220 mx.test ESMTP ready\n")
                .containsPattern("  tls          TLSv1\\.[23], TLS_")
                .contains("  certificate  ")
                .contains("  capabilities PIPELINING, SIZE 35882577, AUTH PLAIN LOGIN")
                .contains("  next         none")
                .doesNotContain("\u001b");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void refusedIsTheTcpLayerExit3() {
        Run run = JarProcess.cli("127.0.0.1", "-p", String.valueOf(Ports.closed()), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(run.firstLine()).startsWith("CONNECTION_REFUSED [TCP] 127.0.0.1:");
        assertThat(run.stdout()).contains("  local        (no connection made)\n").contains("  next         is the mail daemon running");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void expiredCertificateIsTheTlsLayerExit4() {
        String target = serve(SUBMISSION.onStartTls(CERTS.expired().tls()));

        Run run = JarProcess.cli(target, "--tls", "require-starttls", "--cafile", ca(), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.firstLine()).startsWith("CERTIFICATE_INVALID [TLS] " + target);
        assertThat(run.stdout()).containsPattern("certificate  .*expired ");
    }

    @Test
    void startTlsNotOfferedIsTheTlsLayerToo() {
        String target = serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));

        Run run = JarProcess.cli(target, "--tls", "require-starttls", "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.firstLine()).startsWith("STARTTLS_UNAVAILABLE [TLS]");
    }

    @Test
    void blocklistRejectionIsTheSmtpLayerExit5WithThePolicyReason() {
        String target = serve(Script.greeting("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"));

        Run run = JarProcess.cli(target, "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isEqualTo(5);
        assertThat(run.firstLine()).startsWith("SMTP_PERMANENT_REJECTION [SMTP] " + target);
        assertThat(run.stdout()).contains("  banner       554 5.7.1 Service unavailable").contains("  policy       BLOCKLIST\n");
    }

    @Test
    void greetingTimeoutIsTheSmtpLayer() {
        String target = serve(Script.effect(dev.smtpprobe.testkit.Effect.STALL));

        Run run = JarProcess.cli(target, "--timeout", "300ms");

        assertThat(run.exit()).as(run.toString()).isEqualTo(5);
        assertThat(run.firstLine()).startsWith("GREETING_TIMEOUT [SMTP] " + target);
    }

    @Test
    void wrongPasswordIsTheAuthLayerExit6AndThePasswordAppearsNowhere() {
        String password = "s3cret-Pa55word";
        String target = serve(SUBMISSION.onStartTls(CERTS.valid().tls()).onAuth("535 5.7.8 Authentication credentials invalid"));
        Map<String, String> env = Map.of(SmtpProbeCli.PASSWORD_VARIABLE, password);

        Run human = JarProcess.cli(env, target, "--auth", "alice@example.test", "--cafile", ca(), "--timeout", NOT_REACHED,
                "--transcript");
        Run json = JarProcess.cli(env, target, "--auth", "alice@example.test", "--cafile", ca(), "--timeout", NOT_REACHED,
                "--json");
        Run report = JarProcess.cli(env, target, "--auth", "alice@example.test", "--cafile", ca(), "--timeout", NOT_REACHED,
                "--report");

        assertThat(human.exit()).as(human.toString()).isEqualTo(6);
        assertThat(human.firstLine()).startsWith("AUTH_FAILED [AUTH] " + target);
        assertThat(human.stdout()).contains("  auth         PLAIN -> FAILED (535 5.7.8 Authentication credentials invalid)")
                .contains("AUTH_NOT_NETWORK").contains("<redacted>");
        assertThat(json.exit()).isEqualTo(6);
        assertThat(report.exit()).isEqualTo(6);
        String plain = "\0alice@example.test\0" + password;
        for (Run run : List.of(human, json, report)) {
            assertThat(run.stdout() + run.stderr()).doesNotContain(password)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void envelopeRejectionListsEachRecipientAndExits5() {
        String target = serve(SUBMISSION.onStartTls(CERTS.valid().tls()).rcpt("nobody@mx.test", "550 5.1.1 User unknown"));

        Run run = JarProcess.cli(target, "--from", "probe@example.test", "--rcpt", "postmaster@mx.test",
                "--rcpt", "nobody@mx.test", "--cafile", ca(), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isEqualTo(5);
        assertThat(run.firstLine()).startsWith("SMTP_PERMANENT_REJECTION [SMTP] " + target + ": 1 of 2 recipient(s) refused");
        assertThat(run.stdout()).contains("  rcpt         postmaster@mx.test: ACCEPTED")
                .contains("  rcpt         nobody@mx.test: PERMANENT_REJECTION USER_UNKNOWN (550 5.1.1 User unknown)")
                .contains("  policy       USER_UNKNOWN");
        assertThat(server.connections().get(0).commands()).noneMatch(c -> c.startsWith("DATA"));
    }

    @Test
    void jsonIsTheWholeResultAndParsesBack() throws Exception {
        String target = serve(SUBMISSION.onStartTls(CERTS.valid().tls()));

        Run run = JarProcess.cli(target, "--json", "--cafile", ca(), "--timeout", NOT_REACHED);

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode tree = Json.mapper().readTree(run.stdout());
        assertThat(tree.get("verdict").asText()).isEqualTo("OK");
        assertThat(tree.get("attempts").get(0).get("remote").asText()).isEqualTo(target);
        assertThat(tree.get("attempts").get(0).get("tls").get("protocol").asText()).startsWith("TLSv1.");
        JsonSchemas.valid(tree);
        assertThat(tree.get("ok").asBoolean()).isTrue();
        assertThat(tree.get("elapsedMs").isNumber()).isTrue();
        JsonNode attempt = tree.get("attempts").get(tree.get("decidingIndex").asInt());
        assertThat(attempt.get("capabilities").get("extensions").toString()).contains("AUTH PLAIN LOGIN");
        assertThat(attempt.get("transcript")).isNotEmpty();
        assertThat(run.stdout()).doesNotContain("\u001b");
    }

    @Test
    void jsonOfAFailureKeepsTheFailureExitCode() throws Exception {
        Run run = JarProcess.cli("127.0.0.1", "-p", String.valueOf(Ports.closed()), "--json", "--timeout", NOT_REACHED);

        assertThat(run.exit()).isEqualTo(3);
        JsonNode tree = JsonSchemas.valid(run.stdout());
        assertThat(tree.get("verdict").asText()).isEqualTo(Verdict.CONNECTION_REFUSED.name());
        assertThat(tree.get("layer").asText()).isEqualTo("TCP");
        assertThat(tree.get("attempts").get(tree.get("decidingIndex").asInt()).get("failure").isNull()).isFalse();
    }

    @Test
    void reportAndTranscript() {
        String target = serve(Script.greeting("421 4.7.0 mx.test Too many connections, try again later"));

        Run report = JarProcess.cli(target, "--report", "--timeout", NOT_REACHED);
        Run transcript = JarProcess.cli(target, "--transcript", "--timeout", NOT_REACHED);

        assertThat(report.exit()).isEqualTo(5);
        assertThat(report.stdout()).contains("SMTP_TRANSIENT_REJECTION").contains("421 4.7.0 mx.test Too many connections")
                .doesNotContain("  next         "); // the report, not the human evidence
        assertThat(transcript.exit()).isEqualTo(5);
        assertThat(transcript.firstLine()).startsWith("SMTP_TRANSIENT_REJECTION [SMTP]");
        assertThat(transcript.stdout()).contains("  next         ")
                .containsPattern("transcript:\n(  \\+\\d+\\.\\d{3}s [*<>] .*\n)*  \\+\\d+\\.\\d{3}s < 421 4\\.7\\.0 mx\\.test Too many");
    }

    @Test
    void noColourWhenStdoutIsNotATerminalEvenWithAColourTerm() {
        Run run = JarProcess.cli(Map.of("TERM", "xterm-256color"), "127.0.0.1", "-p",
                String.valueOf(Ports.closed()), "--timeout", NOT_REACHED);

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stdout()).doesNotContain("\u001b").startsWith("CONNECTION_REFUSED");
    }

    @Test
    void colourOnATerminalUnlessNoColorIsSet() throws Exception {
        // script(1) from util-linux gives the jar a pseudo-terminal, as an interactive shell would.
        assumeTrue(new java.io.File("/usr/bin/script").canExecute(), "script(1) is needed for a pseudo-terminal");
        String command = JarProcess.java() + " -jar " + JarProcess.jar() + " 127.0.0.1 -p " + Ports.closed() + " --timeout " + NOT_REACHED;

        Run coloured = JarProcess.run(List.of("/usr/bin/script", "-qec", command, "/dev/null"),
                Map.of("TERM", "xterm"));
        Run noColor = JarProcess.run(List.of("/usr/bin/script", "-qec", command, "/dev/null"),
                Map.of("TERM", "xterm", "NO_COLOR", "1"));

        assertThat(coloured.exit()).isEqualTo(3);
        assertThat(coloured.stdout()).contains("\u001b[1m\u001b[31mCONNECTION_REFUSED [TCP]");
        assertThat(noColor.exit()).isEqualTo(3);
        assertThat(noColor.stdout()).contains("CONNECTION_REFUSED [TCP]").doesNotContain("\u001b");
    }

    @Test
    void badInputIsOneLineOnStderrExit64AndNothingOnStdout() {
        String[][] cases = {
            {"--bogus", "127.0.0.1"},
            {"127.0.0.1", "-p", "70000"},
            {""},
            {},
            {"127.0.0.1", "--tls", "ssl"},
            {"127.0.0.1", "--cafile", "/nonexistent/ca.pem"},
        };
        for (String[] args : cases) {
            Run run = JarProcess.cli(args);
            String what = String.join(" ", args);
            assertThat(run.exit()).as(what).isEqualTo(64);
            assertThat(run.stdout()).as(what).isEmpty();
            assertThat(run.stderr().lines()).as(what).hasSize(1).allMatch(line -> line.startsWith("smtp-probe: "));
        }
    }

    @Test
    void demoRunsEveryCaseAsExpectedInAFewSeconds() {
        Run run = JarProcess.cli("--demo");

        assertThat(run.exit()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stderr()).isEmpty();
        int cases = Demo.cases(CERTS).size();
        assertThat(run.stdout()).startsWith("smtp-probe demo: " + cases + " cases")
                .contains(cases + " of " + cases + " cases diagnosed as the field guides describe.")
                .doesNotContain("\u001b");
        for (Demo.Case c : Demo.cases(CERTS)) {
            assertThat(run.stdout()).contains(c.title() + "\n    " + c.expected());
        }
        assertThat(run.took()).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void demoAsJsonListsEveryCaseWithItsResult() throws Exception {
        Run run = JarProcess.cli("--demo", "--json");

        assertThat(run.exit()).as(run.stderr()).isZero();
        JsonNode cases = Json.mapper().readTree(run.stdout());
        assertThat(cases).hasSize(Demo.cases(CERTS).size());
        // The demo's made-up password went to a server in the AUTH cases: it is nowhere in the whole result.
        String plain = "\0app@example.test\0" + Demo.DEMO_PASSWORD;
        assertThat(run.stdout()).doesNotContain(Demo.DEMO_PASSWORD)
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .contains("<redacted>");
        for (JsonNode c : cases) {
            assertThat(c.get("asExpected").asBoolean()).as(c.get("title").asText()).isTrue();
            assertThat(c.get("expected").asText()).startsWith(c.get("result").get("verdict").asText());
            JsonSchemas.valid(c.get("result"));
        }
    }
}
