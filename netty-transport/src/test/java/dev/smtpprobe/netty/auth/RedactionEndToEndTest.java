package dev.smtpprobe.netty.auth;

import static dev.smtpprobe.netty.auth.Servers.probe;
import static dev.smtpprobe.netty.auth.Servers.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeFailedException;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.SecretForms;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AUTH scenario over real sockets with a known password and token: no output may contain a secret, plain or
 * base64 (the password, the token, and the base64 of the whole PLAIN and XOAUTH2 payloads). Channels checked: the
 * transcript, detail, replies, {@code toString()} of the result, attempts, auth and recipients, {@code summary()},
 * {@code report()}, the {@link ProbeFailedException} message and stack trace, every listener event, the probe's
 * own {@code toString()}, and everything the logging binding of this module (slf4j-simple, at the level the build
 * configures) printed meanwhile. Core's {@code RedactionEverywhereTest} captures every log call at TRACE.
 */
@ExtendWith(LeakCheck.class)
class RedactionEndToEndTest {

    static final NettyTransport transport = new NettyTransport();
    static final String USER = "alice@example.net";
    static final String PASSWORD = "Tr0ub4dor&3-zebra";
    static final String TOKEN = "ya29.A0ARrdaM-known-token-value";
    static final String PLAIN_PAYLOAD = b64("\0" + USER + "\0" + PASSWORD);
    static final String XOAUTH2_PAYLOAD = b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001");
    static final List<String> FORBIDDEN = List.of(PASSWORD, b64(PASSWORD), PLAIN_PAYLOAD, TOKEN, b64(TOKEN), XOAUTH2_PAYLOAD);

    @BeforeAll
    static void warmUp() {
        Servers.warmUp(transport);
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    record Scenario(String name, Script script, UnaryOperator<SmtpProbe.Builder> config, Verdict expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The bytes a hostile server puts before the echoed secret: offsets 0, 1 and 2 within a base64 group. */
    static final List<String> SHIFTS = List.of("", "x", "xy");

    static Stream<Scenario> scenarios() {
        return Stream.concat(baseScenarios(), shiftedEchoes());
    }

    /**
     * A server that echoes the secret base64-encoded inside a 334 challenge, 0, 1 or 2 bytes into it: each offset
     * encodes the secret to other characters, and the raw 334 line decodes to it.
     */
    static Stream<Scenario> shiftedEchoes() {
        List<Scenario> out = new ArrayList<>();
        for (String shift : SHIFTS) {
            out.add(new Scenario("334 echoing the token at offset " + shift.length(), submission("AUTH XOAUTH2")
                    .on("AUTH", "334 " + b64(shift + TOKEN + "!")).onUnknown(Effect.reply("535 5.7.8 not accepted")),
                    b -> b.oauth2(USER, TOKEN.toCharArray()), Verdict.AUTH_FAILED));
            out.add(new Scenario("334 echoing the password at offset " + shift.length(), submission("AUTH PLAIN")
                    .on("AUTH", "334 " + b64(shift + PASSWORD)).onUnknown(Effect.reply("501 5.0.0 cancelled")),
                    b -> b.auth(USER, PASSWORD.toCharArray()), Verdict.PROTOCOL_ERROR));
        }
        return out.stream();
    }

    static Stream<Scenario> baseScenarios() {
        UnaryOperator<SmtpProbe.Builder> password = b -> b.auth(USER, PASSWORD.toCharArray());
        UnaryOperator<SmtpProbe.Builder> supplied = b -> b.auth(USER, () -> PASSWORD.toCharArray());
        UnaryOperator<SmtpProbe.Builder> login = b -> b.auth(USER, PASSWORD.toCharArray()).authMechanism(AuthMechanism.LOGIN);
        UnaryOperator<SmtpProbe.Builder> token = b -> b.oauth2(USER, TOKEN.toCharArray());
        UnaryOperator<SmtpProbe.Builder> plainText = b -> b.auth(USER, PASSWORD.toCharArray()).tls(TlsMode.NONE);
        Script plainServer = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN LOGIN");
        return Stream.of(
                new Scenario("PLAIN 235", submission("AUTH PLAIN LOGIN").onAuth("235 2.7.0 ok"), password, Verdict.OK),
                new Scenario("PLAIN 535", submission("AUTH PLAIN").onAuth("535 5.7.8 invalid"), password, Verdict.AUTH_FAILED),
                new Scenario("PLAIN 534", submission("AUTH PLAIN").onAuth("534 5.7.9 Application-specific password required"),
                        supplied, Verdict.AUTH_FAILED),
                new Scenario("PLAIN 454", submission("AUTH PLAIN").onAuth("454 4.7.0 Temporary authentication failure"),
                        password, Verdict.AUTH_FAILED),
                new Scenario("538", submission("AUTH PLAIN").on("AUTH", "538 5.7.11 Encryption required"), password,
                        Verdict.AUTH_REQUIRES_TLS),
                new Scenario("504", submission("AUTH PLAIN").on("AUTH", "504 5.5.4 Unrecognized"), password,
                        Verdict.AUTH_UNAVAILABLE),
                new Scenario("plain text, not sent", plainServer.onAuth("235 ok"), plainText, Verdict.AUTH_REQUIRES_TLS),
                new Scenario("plain text allowed, 530", plainServer.on("AUTH", "530 5.7.0 Must issue a STARTTLS command first"),
                        b -> plainText.apply(b).allowPlaintextAuth(), Verdict.AUTH_REQUIRES_TLS),
                new Scenario("no common mechanism", submission("AUTH CRAM-MD5"), password, Verdict.AUTH_UNAVAILABLE),
                new Scenario("LOGIN 235", submission("AUTH LOGIN").onAuth("235 ok"), login, Verdict.OK),
                new Scenario("LOGIN 535", submission("AUTH LOGIN").onAuth("535 5.7.8 invalid"), login, Verdict.AUTH_FAILED),
                new Scenario("XOAUTH2 235", submission("AUTH XOAUTH2").onAuth("235 ok"), token, Verdict.OK),
                new Scenario("XOAUTH2 535", submission("AUTH XOAUTH2").onAuth("535 5.7.8 not accepted"), token,
                        Verdict.AUTH_FAILED),
                new Scenario("server echoes the password and payload", submission("AUTH PLAIN").onAuth(
                        "535-5.7.8 you sent " + PLAIN_PAYLOAD, "535 5.7.8 that is " + PASSWORD + " = " + b64(PASSWORD)),
                        password, Verdict.AUTH_FAILED),
                new Scenario("server echoes the token", submission("AUTH XOAUTH2").onAuth("535 5.7.8 " + TOKEN + " " + XOAUTH2_PAYLOAD),
                        token, Verdict.AUTH_FAILED),
                new Scenario("stall after AUTH", submission("AUTH PLAIN").on("AUTH", Effect.STALL), password,
                        Verdict.PROTOCOL_ERROR),
                new Scenario("close after AUTH", submission("AUTH PLAIN").on("AUTH", Effect.CLOSE), password,
                        Verdict.PROTOCOL_ERROR),
                new Scenario("reset after AUTH", submission("AUTH PLAIN").on("AUTH", Effect.RESET), password,
                        Verdict.PROTOCOL_ERROR),
                new Scenario("envelope after AUTH", submission("AUTH PLAIN").onAuth("235 ok")
                        .rcpt("bob@mx.test", "550 5.1.1 unknown; you are " + PASSWORD),
                        b -> password.apply(b).envelope(USER, "bob@mx.test"), Verdict.SMTP_PERMANENT_REJECTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noOutputContainsTheSecret(Scenario scenario) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ProbeListener listener = new ProbeListener() {
            @Override
            public void probeStart(ProbeRun probe) {
                events.add(probe.target());
            }

            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                events.add(probe + " " + phase + " " + attempt);
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                events.add(probe + " " + phase + " " + attempt + " " + duration);
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                events.add(probe + " " + phase + " " + attempt + " " + verdict + " " + duration);
            }

            @Override
            public void probeEnd(ProbeRun probe, ProbeResult result) {
                events.add(result + "\n" + result.report());
            }
        };
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream original = System.err;
        ProbeResult result;
        SmtpProbe probe;
        // slf4j-simple writes to whatever System.err is at the time of each call.
        System.setErr(new PrintStream(new Tee(original, logged), true, StandardCharsets.UTF_8));
        try (MockSmtpServer server = new MockSmtpServer().start(scenario.script())) {
            probe = scenario.config().apply(probe(server, transport)).listener(listener).build();
            result = probe.run();
        } finally {
            System.setErr(original);
        }
        assertThat(result.verdict()).as(result.summary()).isEqualTo(scenario.expected());
        assertThat(result.auth()).isNotNull();
        assertThat(events).isNotEmpty();

        List<String> outputs = new ArrayList<>();
        outputs.add(logged.toString(StandardCharsets.UTF_8));
        outputs.add(result.toString());
        outputs.add(result.summary());
        outputs.add(result.report());
        outputs.add(result.detail());
        outputs.add(String.valueOf(result.failure()));
        outputs.add(String.valueOf(result.lastReply()));
        outputs.add(String.valueOf(result.auth()));
        outputs.add(String.valueOf(result.auth().reply()));
        outputs.add(String.valueOf(result.recipients()));
        outputs.add(probe.toString());
        for (Attempt a : result.attempts()) {
            outputs.add(a.toString());
            a.transcript().forEach(line -> outputs.add(line.toString()));
        }
        outputs.addAll(events);
        if (!result.isOk()) {
            assertThatThrownBy(result::orThrow).isInstanceOfSatisfying(ProbeFailedException.class, e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                outputs.add(e.getMessage());
                outputs.add(trace.toString());
            });
        }
        for (String out : outputs) {
            for (String secret : FORBIDDEN) {
                assertThat(out).as("%s: no output may contain a secret form", scenario).doesNotContain(secret);
            }
            for (String secret : List.of(PASSWORD, TOKEN)) {
                assertThat(SecretForms.reveals(out, secret))
                        .as("%s: no output may hold the secret, raw or base64 at any alignment: %s", scenario, out).isFalse();
            }
        }
        if (result.auth().credentialsSent()) {
            assertThat(result.transcript()).as("the SASL lines are shown, redacted")
                    .anyMatch(l -> l.text().contains("<redacted>"));
        }
    }

    /** Writes to the real stderr (so a developer still sees warnings) and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
