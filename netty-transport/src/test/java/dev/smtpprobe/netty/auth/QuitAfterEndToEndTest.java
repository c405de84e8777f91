package dev.smtpprobe.netty.auth;

import static dev.smtpprobe.netty.auth.Servers.commands;
import static dev.smtpprobe.netty.auth.Servers.probe;
import static dev.smtpprobe.netty.auth.Servers.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code quitAfter}: against the scripted server on loopback, the dialogue ends with QUIT right after the named
 * phase, the attempt is OK up to there, and no later command reaches the server.
 */
@ExtendWith(LeakCheck.class)
class QuitAfterEndToEndTest {

    static final NettyTransport transport = new NettyTransport();
    static final String USER = "alice@mx.test";
    static final char[] PASSWORD = "s3cret-quit".toCharArray();

    @BeforeAll
    static void warmUp() {
        Servers.warmUp(transport);
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    private static Script full() {
        return submission("AUTH PLAIN").onAuth("235 2.7.0 Authentication successful");
    }

    private static boolean noted(ProbeResult r, String text) {
        return r.transcript().stream().map(TranscriptLine::text).anyMatch(t -> t.contains(text));
    }

    @Test
    void quitAfterGreetingSendsOnlyQuit() {
        try (MockSmtpServer server = new MockSmtpServer().start(full())) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).envelope("a@mx.test", "b@mx.test")
                    .quitAfter(Phase.GREETING).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.phase()).isEqualTo(Phase.QUIT);
            assertThat(r.greeting()).isNotNull();
            assertThat(commands(server)).containsExactly("QUIT");
            assertThat(noted(r, "quitAfter GREETING")).as(r.transcript().toString()).isTrue();
        }
    }

    @Test
    void quitAfterEhloDoesNotStartTlsEvenWhenRequired() {
        try (MockSmtpServer server = new MockSmtpServer().start(full())) {
            ProbeResult r = probe(server, transport).tls(TlsMode.STARTTLS_REQUIRED).auth(USER, PASSWORD)
                    .quitAfter(Phase.EHLO).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.tls()).isNull();
            assertThat(commands(server)).containsExactly("EHLO client.test", "QUIT");
        }
    }

    @Test
    void quitAfterTlsStopsBeforeAuthAndTheCredentialsAreNeverSent() {
        try (MockSmtpServer server = new MockSmtpServer().start(full())) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).quitAfter(Phase.STARTTLS).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.tls().protocol()).startsWith("TLSv1.");
            assertThat(commands(server)).containsExactly("EHLO client.test", "STARTTLS", "EHLO client.test", "QUIT");
        }
    }

    @Test
    void quitAfterAuthStopsBeforeTheEnvelope() {
        try (MockSmtpServer server = new MockSmtpServer().start(full())) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).envelope("a@mx.test", "b@mx.test")
                    .quitAfter(Phase.AUTH).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(commands(server)).doesNotContain("RSET").noneMatch(c -> c.startsWith("MAIL FROM"))
                    .last().isEqualTo("QUIT");
            assertThat(noted(r, "quitAfter AUTH: QUIT without going on to ENVELOPE")).isTrue();
        }
    }

    @Test
    void aFailureBeforeTheStopStillDecides() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                Script.greeting("220 mx.test ESMTP").on("EHLO", "550 5.7.1 go away").on("HELO", "550 5.7.1 go away"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).quitAfter(Phase.EHLO).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        }
    }

    @Test
    void quitAfterTakesOnlyPhasesOfTheDialogue() {
        SmtpProbe.Builder b = SmtpProbe.to("127.0.0.1");
        assertThatThrownBy(() -> b.quitAfter(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quitAfter");
        for (Phase p : new Phase[] {Phase.RESOLVE, Phase.CONNECT, Phase.QUIT}) {
            assertThatThrownBy(() -> b.quitAfter(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quitAfter").hasMessageContaining(p.name());
        }
    }
}
