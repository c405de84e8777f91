package dev.smtpprobe.netty.auth;

import static dev.smtpprobe.netty.auth.Servers.commands;
import static dev.smtpprobe.netty.auth.Servers.probe;
import static dev.smtpprobe.netty.auth.Servers.submission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The envelope against the scripted server on loopback through the Netty transport: MAIL FROM, RCPT TO for each
 * recipient, RSET and QUIT, never DATA; each RCPT outcome classified.
 */
@ExtendWith(LeakCheck.class)
class EnvelopeEndToEndTest {

    static final NettyTransport transport = new NettyTransport();
    static final String FROM = "probe@example.org";

    @BeforeAll
    static void warmUp() {
        Servers.warmUp(transport);
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    private static Script relay() {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "SIZE 10240000", "8BITMIME");
    }

    @Test
    void acceptedRecipientsAreOkAndNoMailIsSent() {
        try (MockSmtpServer server = new MockSmtpServer().start(relay())) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE)
                    .envelope(FROM, "a@mx.test", "b@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.phase()).isEqualTo(Phase.QUIT);
            assertThat(r.recipients()).allMatch(RecipientResult::isAccepted).hasSize(2);
            assertThat(r.recipients().get(0).reply().toString()).isEqualTo("250 2.1.5 Ok");
            assertThat(commands(server)).containsExactly("EHLO client.test", "MAIL FROM:<probe@example.org>",
                    "RCPT TO:<a@mx.test>", "RCPT TO:<b@mx.test>", "RSET", "QUIT");
        }
    }

    static Stream<Arguments> rcptOutcomes() {
        return Stream.of(
                Arguments.of(new String[] {"550 5.1.1 <x@mx.test>: Recipient address rejected: User unknown in virtual mailbox table"},
                        RecipientResult.Status.PERMANENT_REJECTION, PolicyReason.USER_UNKNOWN, Verdict.SMTP_PERMANENT_REJECTION),
                Arguments.of(new String[] {"554 5.7.1 <x@mx.test>: Relay access denied"},
                        RecipientResult.Status.PERMANENT_REJECTION, PolicyReason.RELAY_DENIED, Verdict.SMTP_PERMANENT_REJECTION),
                Arguments.of(new String[] {"450 4.7.1 <x@mx.test>: Recipient address rejected: Greylisted, try again later"},
                        RecipientResult.Status.TRANSIENT_REJECTION, PolicyReason.GREYLISTED, Verdict.SMTP_TRANSIENT_REJECTION),
                Arguments.of(new String[] {"450 4.7.1 Service unavailable, try again later"},
                        RecipientResult.Status.TRANSIENT_REJECTION, PolicyReason.GREYLISTED, Verdict.SMTP_TRANSIENT_REJECTION),
                Arguments.of(new String[] {"452 4.2.2 Mailbox full"},
                        RecipientResult.Status.TRANSIENT_REJECTION, PolicyReason.MAILBOX_FULL, Verdict.SMTP_TRANSIENT_REJECTION),
                Arguments.of(new String[] {"552 5.2.2 <x@mx.test>: Quota exceeded"},
                        RecipientResult.Status.PERMANENT_REJECTION, PolicyReason.MAILBOX_FULL, Verdict.SMTP_PERMANENT_REJECTION),
                Arguments.of(new String[] {"554-5.7.1 Service unavailable; Client host [127.0.0.1] blocked",
                        "554 5.7.1 using zen.spamhaus.org"},
                        RecipientResult.Status.PERMANENT_REJECTION, PolicyReason.BLOCKLIST, Verdict.SMTP_PERMANENT_REJECTION),
                Arguments.of(new String[] {"550 5.7.1 Message rejected due to local policy"},
                        RecipientResult.Status.PERMANENT_REJECTION, PolicyReason.OTHER, Verdict.SMTP_PERMANENT_REJECTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rcptOutcomes")
    void eachRcptOutcomeIsClassified(String[] reply, RecipientResult.Status status, PolicyReason reason, Verdict verdict) {
        try (MockSmtpServer server = new MockSmtpServer().start(relay().rcpt("x@mx.test", reply))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).envelope(FROM, "ok@mx.test", "x@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(verdict);
            assertThat(r.phase()).isEqualTo(Phase.ENVELOPE);
            assertThat(r.policyReason()).isEqualTo(reason);
            assertThat(r.detail()).startsWith("1 of 2 recipient(s) refused: x@mx.test " + reply[0].substring(0, 3));
            assertThat(r.recipients()).extracting(RecipientResult::status).containsExactly(RecipientResult.Status.ACCEPTED, status);
            assertThat(r.recipients().get(1).reason()).isEqualTo(reason);
            assertThat(r.recipients().get(1).reply().code()).isEqualTo(Integer.parseInt(reply[0].substring(0, 3)));
            List<String> commands = commands(server);
            assertThat(commands).containsSubsequence("RCPT TO:<x@mx.test>", "RSET", "QUIT").doesNotContain("DATA");
        }
    }

    @Test
    void aRejectedSenderIsARejectionWithItsReason() {
        try (MockSmtpServer server = new MockSmtpServer().start(relay().on("MAIL", "530 5.7.0 Authentication required"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).envelope(FROM, "a@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.policyReason()).isEqualTo(PolicyReason.AUTH_REQUIRED);
            assertThat(r.recipients()).singleElement().extracting(RecipientResult::status).isEqualTo(RecipientResult.Status.NOT_TRIED);
            assertThat(commands(server)).containsExactly("EHLO client.test", "MAIL FROM:<probe@example.org>", "QUIT");
        }
    }

    @Test
    void sizeIsDeclaredAndTheServersLimitQuoted() {
        try (MockSmtpServer server = new MockSmtpServer().start(relay()
                .on("MAIL", "552 5.3.4 Message size exceeds fixed maximum message size"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).envelope(FROM, "a@mx.test")
                    .messageSize(20_000_000).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.detail()).contains("552 5.3.4", "20000000 bytes, the server's limit 10240000");
            assertThat(commands(server)).contains("MAIL FROM:<probe@example.org> SIZE=20000000");
        }
    }

    @Test
    void nonAsciiAddressesTravelAsUtf8WithSmtpUtf8() {
        try (MockSmtpServer server = new MockSmtpServer().start(relay().ehlo("mx.test", "SMTPUTF8", "8BITMIME"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).envelope("pröbe@exämple.org", "jürgen@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(commands(server)).containsSubsequence("MAIL FROM:<pröbe@exämple.org> SMTPUTF8",
                    "RCPT TO:<jürgen@mx.test>", "RSET");
        }
    }

    @Test
    void nonAsciiRecipientsWithoutSmtpUtf8AreNotSentAndSaySo() {
        try (MockSmtpServer server = new MockSmtpServer().start(relay())) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).envelope(FROM, "jürgen@mx.test", "bob@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.detail()).contains("jürgen@mx.test needs SMTPUTF8");
            assertThat(r.recipients()).extracting(RecipientResult::status)
                    .containsExactly(RecipientResult.Status.NOT_TRIED, RecipientResult.Status.ACCEPTED);
            assertThat(commands(server)).containsExactly("EHLO client.test", "MAIL FROM:<probe@example.org>",
                    "RCPT TO:<bob@mx.test>", "RSET", "QUIT");
        }
    }

    @Test
    void authThenEnvelopeOverStartTls() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH PLAIN")
                .onAuth("235 2.7.0 ok").rcpt("nobody@mx.test", "550 5.1.1 User unknown"))) {
            ProbeResult r = probe(server, transport).auth("alice@example.net", "pw-12345".toCharArray())
                    .envelope("alice@example.net", "bob@mx.test", "nobody@mx.test").run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.phase()).isEqualTo(Phase.ENVELOPE);
            assertThat(r.auth().isAuthenticated()).isTrue();
            assertThat(r.policyReason()).isEqualTo(PolicyReason.USER_UNKNOWN);
            assertThat(r.timings()).containsKeys(Phase.STARTTLS, Phase.AUTH, Phase.ENVELOPE);
            assertThat(commands(server)).containsSubsequence("STARTTLS", "MAIL FROM:<alice@example.net>",
                    "RCPT TO:<bob@mx.test>", "RCPT TO:<nobody@mx.test>", "RSET", "QUIT");
        }
    }
}
