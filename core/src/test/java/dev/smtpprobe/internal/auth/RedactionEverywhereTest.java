package dev.smtpprobe.internal.auth;

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
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.testkit.SecretForms;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AUTH scenario with a known password and token; no output channel may contain a secret, plain or base64:
 * the transcript, the detail, replies, {@code toString()} of every value, {@code summary()}, {@code report()}, the
 * {@link ProbeFailedException} (message and stack trace), listener events and every log line at TRACE (the test
 * binding {@link CapturedLogs}). The same is proven over real sockets in netty-transport.
 */
class RedactionEverywhereTest {

    static final String USER = "alice@example.net";
    static final String PASSWORD = "Tr0ub4dor&3-zebra";
    static final String TOKEN = "ya29.A0ARrdaM-known-token-value";

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every form a secret could leak in. */
    static final List<String> FORBIDDEN = List.of(PASSWORD, b64(PASSWORD), b64("\0" + USER + "\0" + PASSWORD),
            TOKEN, b64(TOKEN), b64("user=" + USER + "\u0001auth=Bearer " + TOKEN + "\u0001\u0001"));

    record Scenario(String name, UnaryOperator<SmtpProbe.Builder> config, Consumer<HandOver> server, Verdict expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.concat(baseScenarios(), shiftedEchoes());
    }

    /** A 334 challenge echoing the secret base64-encoded 0, 1 or 2 bytes into it (each encodes differently). */
    static Stream<Scenario> shiftedEchoes() {
        List<Scenario> out = new ArrayList<>();
        for (String shift : List.of("", "x", "xy")) {
            out.add(new Scenario("XOAUTH2 334 echoing the token at offset " + shift.length(),
                    b -> b.oauth2(USER, TOKEN.toCharArray()), h -> tls(h, "AUTH XOAUTH2")
                    .reply(334, b64(shift + TOKEN + "!")).reply(535, "5.7.8 not accepted"), Verdict.AUTH_FAILED));
            out.add(new Scenario("PLAIN 334 echoing the password at offset " + shift.length(),
                    b -> b.auth(USER, PASSWORD.toCharArray()), h -> tls(h, "AUTH PLAIN")
                    .reply(334, b64(shift + PASSWORD)).reply(501, "5.0.0 cancelled"), Verdict.PROTOCOL_ERROR));
        }
        return out.stream();
    }

    static Stream<Scenario> baseScenarios() {
        UnaryOperator<SmtpProbe.Builder> password = b -> b.auth(USER, PASSWORD.toCharArray());
        UnaryOperator<SmtpProbe.Builder> login = b -> b.auth(USER, PASSWORD.toCharArray()).authMechanism(AuthMechanism.LOGIN);
        UnaryOperator<SmtpProbe.Builder> token = b -> b.oauth2(USER, TOKEN.toCharArray());
        String json = b64("{\"status\":\"401\",\"schemes\":\"bearer\"}");
        return Stream.of(
                new Scenario("PLAIN 235", password, h -> tls(h, "AUTH PLAIN LOGIN").reply(235, "2.7.0 ok"), Verdict.OK),
                new Scenario("PLAIN 535", password, h -> tls(h, "AUTH PLAIN").reply(535, "5.7.8 invalid"), Verdict.AUTH_FAILED),
                new Scenario("PLAIN 534 app password", password,
                        h -> tls(h, "AUTH PLAIN").reply(534, "5.7.9 Application-specific password required"), Verdict.AUTH_FAILED),
                new Scenario("PLAIN 454", password, h -> tls(h, "AUTH PLAIN").reply(454, "4.7.0 try later"), Verdict.AUTH_FAILED),
                new Scenario("PLAIN 538", password, h -> tls(h, "AUTH PLAIN").reply(538, "5.7.11 encryption required"),
                        Verdict.AUTH_REQUIRES_TLS),
                new Scenario("plain text 530", b -> password.apply(b).tls(TlsMode.NONE).allowPlaintextAuth(),
                        h -> plain(h, "AUTH PLAIN").reply(530, "5.7.0 Must issue a STARTTLS command first"),
                        Verdict.AUTH_REQUIRES_TLS),
                new Scenario("plain text not sent", b -> password.apply(b).tls(TlsMode.NONE),
                        h -> plain(h, "AUTH PLAIN"), Verdict.AUTH_REQUIRES_TLS),
                new Scenario("no common mechanism", password, h -> tls(h, "AUTH CRAM-MD5"), Verdict.AUTH_UNAVAILABLE),
                new Scenario("LOGIN 235", login, h -> tls(h, "AUTH PLAIN LOGIN")
                        .reply(334, "VXNlcm5hbWU6").reply(334, "UGFzc3dvcmQ6").reply(235, "ok"), Verdict.OK),
                new Scenario("LOGIN 535", login, h -> tls(h, "AUTH LOGIN")
                        .reply(334, "VXNlcm5hbWU6").reply(334, "UGFzc3dvcmQ6").reply(535, "5.7.8 no"), Verdict.AUTH_FAILED),
                new Scenario("LOGIN echoing the password in a challenge", login, h -> tls(h, "AUTH LOGIN")
                        .reply(334, "VXNlcm5hbWU6").reply(334, "UGFzc3dvcmQ6").reply(334, b64("you said " + PASSWORD))
                        .reply(501, "cancelled " + PASSWORD), Verdict.PROTOCOL_ERROR),
                new Scenario("XOAUTH2 235", token, h -> tls(h, "AUTH XOAUTH2").reply(235, "ok"), Verdict.OK),
                new Scenario("XOAUTH2 error challenge", token,
                        h -> tls(h, "AUTH XOAUTH2").reply(334, json).reply(535, "5.7.8 not accepted"), Verdict.AUTH_FAILED),
                new Scenario("XOAUTH2 echoing the token", token,
                        h -> tls(h, "AUTH XOAUTH2").reply(535, "5.7.8 bad token " + TOKEN + " " + b64(TOKEN)),
                        Verdict.AUTH_FAILED),
                new Scenario("PLAIN echoing everything", password, h -> {
                    tls(h, "AUTH PLAIN");
                    String payload = h.last().substring("AUTH PLAIN ".length());
                    h.reply(535, "5.7.8 " + PASSWORD + " " + payload + " " + b64(PASSWORD));
                }, Verdict.AUTH_FAILED),
                new Scenario("transport error quoting the line", password, h -> {
                    tls(h, "AUTH PLAIN");
                    h.dialogue.onFailure(new IOException("write failed for [" + h.last() + "] " + PASSWORD));
                }, Verdict.PROTOCOL_ERROR),
                new Scenario("timeout during AUTH", password, h -> {
                    tls(h, "AUTH PLAIN");
                    h.dialogue.onFailure(new ReplyTimeoutException("no reply within 100 ms"));
                }, Verdict.PROTOCOL_ERROR),
                new Scenario("supplier, then envelope", b -> b.auth(USER, () -> PASSWORD.toCharArray())
                        .envelope(USER, "bob@example.net"), h -> tls(h, "AUTH PLAIN").reply(235, "ok")
                        .reply(250, "ok").reply(550, "5.1.1 unknown " + PASSWORD).reply(250, "ok"),
                        Verdict.SMTP_PERMANENT_REJECTION));
    }

    private static HandOver tls(HandOver h, String auth) {
        try {
            return h.handshake(true, auth);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HandOver plain(HandOver h, String auth) {
        try {
            return h.handshake(false, auth);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noOutputContainsTheSecret(Scenario scenario) {
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
                events.add(result.toString() + result.report());
            }
        };
        CapturedLogs.start();
        List<String> logs;
        ProbeResult result;
        SmtpProbe.Builder builder = scenario.config().apply(SmtpProbe.to("127.0.0.1").port(587)).listener(listener);
        HandOver h;
        try {
            h = HandOver.start(builder);
            scenario.server().accept(h);
            result = h.finish();
        } finally {
            logs = CapturedLogs.stop();
        }
        assertThat(result.verdict()).as(result.summary()).isEqualTo(scenario.expected());
        if (scenario.expected() != Verdict.OK) {
            assertThat(result.auth()).isNotNull();
        }

        List<String> outputs = new ArrayList<>();
        outputs.add(result.toString());
        outputs.add(result.summary());
        outputs.add(result.report());
        outputs.add(result.detail());
        outputs.add(String.valueOf(result.failure()));
        outputs.add(String.valueOf(result.lastReply()));
        outputs.add(String.valueOf(result.auth()));
        outputs.add(String.valueOf(result.recipients()));
        for (Attempt a : result.attempts()) {
            outputs.add(a.toString());
            a.transcript().forEach(l -> outputs.add(l.toString()));
        }
        outputs.add(builder.build().toString());
        outputs.addAll(events);
        outputs.addAll(logs);
        if (!result.isOk()) {
            assertThatThrownBy(result::orThrow).isInstanceOfSatisfying(ProbeFailedException.class, e -> {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                outputs.add(e.getMessage());
                outputs.add(e.toString());
                outputs.add(trace.toString());
            });
        }
        // The AUTH debug lines were captured: the log channel really was checked.
        assertThat(logs).anyMatch(l -> l.contains("AUTH"));
        assertThat(events).isNotEmpty();
        for (String out : outputs) {
            for (String secret : FORBIDDEN) {
                assertThat(out).as("%s must not contain a secret form", scenario).doesNotContain(secret);
            }
            for (String secret : List.of(PASSWORD, TOKEN)) {
                assertThat(SecretForms.reveals(out, secret))
                        .as("%s: the secret, raw or base64 at any alignment, in %s", scenario, out).isFalse();
            }
        }
        // The client lines are shown redacted, never dropped.
        if (result.auth() != null && result.auth().credentialsSent()) {
            assertThat(result.transcript()).anyMatch(l -> l.text().contains("<redacted>"));
        }
    }
}
