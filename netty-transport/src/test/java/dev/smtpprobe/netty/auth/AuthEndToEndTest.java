package dev.smtpprobe.netty.auth;

import static dev.smtpprobe.netty.auth.Servers.CERTS;
import static dev.smtpprobe.netty.auth.Servers.commands;
import static dev.smtpprobe.netty.auth.Servers.decode;
import static dev.smtpprobe.netty.auth.Servers.probe;
import static dev.smtpprobe.netty.auth.Servers.submission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Hint;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every AUTH outcome against the scripted server on loopback, over real STARTTLS (or implicit TLS) with the test
 * CA, through the Netty transport: script the server, run the probe, assert the verdict and the evidence, and what
 * actually crossed the wire.
 */
@ExtendWith(LeakCheck.class)
class AuthEndToEndTest {

    static final NettyTransport transport = new NettyTransport();
    static final String USER = "alice@example.net";
    static final char[] PASSWORD = "s3cret-Pässword".toCharArray();

    @BeforeAll
    static void warmUp() {
        Servers.warmUp(transport);
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    private static List<String> transcript(ProbeResult r) {
        return r.transcript().stream().map(TranscriptLine::text).toList();
    }

    @Test
    void plainOverStartTlsIsOkAndTheServerGetsTheRfc4616Payload() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("PIPELINING", "AUTH LOGIN PLAIN").onAuth("235 2.7.0 Authentication successful"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();

            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.phase()).isEqualTo(Phase.QUIT);
            assertThat(r.tls().protocol()).startsWith("TLSv1.");
            AuthResult auth = r.auth();
            assertThat(auth.status()).isEqualTo(AuthResult.Status.AUTHENTICATED);
            assertThat(auth.mechanism()).isEqualTo(AuthMechanism.PLAIN);
            assertThat(auth.offeredOnlyAfterStartTls()).isTrue();
            assertThat(r.timings()).containsKeys(Phase.STARTTLS, Phase.AUTH, Phase.QUIT);
            assertThat(transcript(r)).contains("AUTH PLAIN <redacted>", "235 2.7.0 Authentication successful");

            List<String> commands = commands(server);
            String auth0 = commands.stream().filter(c -> c.startsWith("AUTH ")).findFirst().orElseThrow();
            assertThat(decode(auth0.substring("AUTH PLAIN ".length()))).isEqualTo("\0" + USER + "\0" + new String(PASSWORD));
            assertThat(commands).containsSubsequence("EHLO client.test", "STARTTLS", "EHLO client.test", auth0, "QUIT");
        }
    }

    @Test
    void loginWhenThatIsAllTheServerOffers() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH LOGIN").onAuth("235 2.7.0 Authentication successful"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();

            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.auth().mechanism()).isEqualTo(AuthMechanism.LOGIN);
            assertThat(transcript(r)).containsSubsequence("AUTH LOGIN", "334 VXNlcm5hbWU6",
                    "challenge (decoded): Username:", "<redacted>", "334 UGFzc3dvcmQ6", "<redacted>", "235 2.7.0 Authentication successful");
            List<String> commands = commands(server);
            int at = commands.indexOf("AUTH LOGIN");
            assertThat(decode(commands.get(at + 1))).isEqualTo(USER);
            assertThat(decode(commands.get(at + 2))).isEqualTo(new String(PASSWORD));
        }
    }

    @Test
    void forcedLoginIsUsedEvenWhenPlainIsOffered() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH PLAIN LOGIN").onAuth("235 2.7.0 ok"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).authMechanism(AuthMechanism.LOGIN).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(commands(server)).contains("AUTH LOGIN");
        }
    }

    @Test
    void badCredentials535AreAuthFailedNotAConnectionProblem() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH PLAIN LOGIN").onAuth("535-5.7.8 Username and Password not accepted.",
                        "535 5.7.8 Learn more at https://support.example/answer"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();

            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_FAILED);
            assertThat(r.layer().name()).isEqualTo("AUTH");
            assertThat(r.phase()).isEqualTo(Phase.AUTH);
            assertThat(r.detail()).contains("the connection works", "535 5.7.8 Username and Password not accepted",
                    "for " + USER, "not a network problem");
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.FAILED);
            assertThat(r.auth().credentialsSent()).isTrue();
            assertThat(r.hints()).extracting(Hint::code).contains(HintCode.AUTH_NOT_NETWORK);
            assertThat(commands(server)).last().isEqualTo("QUIT");
        }
    }

    @Test
    void applicationSpecificPassword534IsNamedInTheDetail() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH PLAIN").onAuth("534-5.7.9 Application-specific password required.",
                        "534 5.7.9 Learn more at https://support.example/185833"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_FAILED);
            assertThat(r.detail()).contains("534 5.7.9", "an application-specific password is required",
                    "create an app password");
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.FAILED);
        }
    }

    @Test
    void temporaryFailure454IsAuthFailedAndTransient() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH PLAIN").onAuth("454 4.7.0 Temporary authentication failure"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_FAILED);
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.TEMPORARY_FAILURE);
            assertThat(r.detail()).contains("454 4.7.0", "temporary", "retry later");
        }
    }

    @Test
    void mustIssueStartTls530IsAuthRequiresTls() {
        Script plainServer = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN")
                .on("AUTH", "530 5.7.0 Must issue a STARTTLS command first");
        try (MockSmtpServer server = new MockSmtpServer().start(plainServer)) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).allowPlaintextAuth().auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
            assertThat(r.detail()).contains("530 5.7.0", "requires TLS before AUTH", "sent in plain text");
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.REQUIRES_TLS);
        }
    }

    @Test
    void encryptionRequired538IsAuthRequiresTls() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH PLAIN")
                .on("AUTH", "538 5.7.11 Encryption required for requested authentication mechanism"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
            assertThat(r.detail()).contains("538 5.7.11", "encrypted session for the PLAIN mechanism");
        }
    }

    @Test
    void withoutTlsTheCredentialsNeverReachTheWire() {
        Script plainServer = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN LOGIN", "STARTTLS")
                .onAuth("235 2.7.0 ok");
        try (MockSmtpServer server = new MockSmtpServer().start(plainServer)) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
            assertThat(r.detail()).startsWith("credentials were not sent").contains("use tls(STARTTLS)");
            assertThat(r.auth().credentialsSent()).isFalse();
            assertThat(commands(server)).containsExactly("EHLO client.test", "QUIT");
        }
    }

    /**
     * With credentials, a plain-text probe of a server that offers STARTTLS but AUTH only after it: a second
     * connection upgrades with STARTTLS, reads the EHLO again and finds AUTH there, so the verdict is
     * AUTH_REQUIRES_TLS with that evidence (before, AUTH_UNAVAILABLE). The credentials cross the wire on neither
     * connection, and the confirmation sends no envelope either.
     */
    @Test
    void authOfferedOnlyAfterStartTlsIsConfirmedAsAuthRequiresTls() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH PLAIN LOGIN").onAuth("235 2.7.0 ok"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).confirmTlsMode(true).auth(USER, PASSWORD)
                    .envelope("sender@example.net", "rcpt@example.org").run();

            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.AUTH_REQUIRES_TLS);
            assertThat(r.phase()).isEqualTo(Phase.AUTH);
            assertThat(r.detail()).contains("after STARTTLS the server offers AUTH PLAIN LOGIN", "credentials were not sent");
            assertThat(r.summary()).contains("after STARTTLS the server offers AUTH PLAIN LOGIN");
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.REQUIRES_TLS);
            assertThat(r.auth().credentialsSent()).isFalse();
            assertThat(r.auth().offeredOnlyAfterStartTls()).isTrue();
            assertThat(r.attempts()).extracting(a -> a.tlsMode()).containsExactly(TlsMode.NONE, TlsMode.STARTTLS_REQUIRED);
            assertThat(r.decidingAttempt()).isSameAs(r.attempts().get(0));
            assertThat(r.attempts().get(1).verdict()).as("the confirmation itself got through").isEqualTo(Verdict.OK);
            assertThat(r.attempts().get(1).auth()).as("no AUTH step in the confirmation").isNull();

            List<String> plain = commands(server);
            assertThat(plain).containsExactly("EHLO client.test", "QUIT");
            List<String> confirmation = commands(server);
            assertThat(confirmation).containsExactly("EHLO client.test", "STARTTLS", "EHLO client.test", "QUIT");
            assertThat(String.join("\n", transcript(r))).doesNotContain(new String(PASSWORD));
        }
    }

    /** The same server shape without AUTH after STARTTLS either: the confirmation proves nothing, AUTH_UNAVAILABLE. */
    @Test
    void noAuthAfterTheConfirmingStartTlsStaysUnavailable() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("PIPELINING"))) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).confirmTlsMode(true).auth(USER, PASSWORD).run();

            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
            assertThat(r.attempts()).hasSize(2);
            assertThat(commands(server)).containsExactly("EHLO client.test", "QUIT");
            assertThat(commands(server)).containsExactly("EHLO client.test", "STARTTLS", "EHLO client.test", "QUIT");
        }
    }

    @Test
    void noAuthAdvertisedBeforeOrAfterStartTlsIsUnavailable() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("PIPELINING", "8BITMIME"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
            assertThat(r.detail()).contains("no AUTH before or after STARTTLS", "credentials were not sent");
            assertThat(commands(server)).noneMatch(c -> c.startsWith("AUTH"));
        }
    }

    @Test
    void noCommonMechanismNamesTheOfferAndThatAuthAppearedOnlyAfterStartTls() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH CRAM-MD5 DIGEST-MD5"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
            assertThat(r.detail()).contains("the server offers AUTH CRAM-MD5 DIGEST-MD5", "PLAIN, LOGIN",
                    "AUTH appeared only after STARTTLS");
            assertThat(r.auth().offered()).containsExactly("CRAM-MD5", "DIGEST-MD5");
            assertThat(r.auth().offeredBeforeStartTls()).isEmpty();
        }
    }

    @Test
    void plainTextWithoutAuthPointsAtStartTls() {
        Script plainServer = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS");
        try (MockSmtpServer server = new MockSmtpServer().start(plainServer)) {
            ProbeResult r = probe(server, transport).tls(TlsMode.NONE).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
            assertThat(r.detail()).contains("in plain text", "offers STARTTLS", "AUTH only after it");
        }
    }

    @Test
    void aMechanismRefusedWith504IsUnavailable() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH PLAIN").on("AUTH", "504 5.5.4 Unrecognized authentication type"))) {
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_UNAVAILABLE);
            assertThat(r.detail()).contains("504 5.5.4", "refused AUTH PLAIN although it advertised AUTH PLAIN");
        }
    }

    @Test
    void xoauth2TokenAccepted() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH LOGIN PLAIN XOAUTH2").onAuth("235 2.7.0 Accepted"))) {
            ProbeResult r = probe(server, transport).oauth2(USER, "ya29.token".toCharArray()).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.auth().mechanism()).isEqualTo(AuthMechanism.XOAUTH2);
            String sent = commands(server).stream().filter(c -> c.startsWith("AUTH ")).findFirst().orElseThrow();
            assertThat(decode(sent.substring("AUTH XOAUTH2 ".length())))
                    .isEqualTo("user=" + USER + "\u0001auth=Bearer ya29.token\u0001\u0001");
        }
    }

    @Test
    void xoauth2TokenRejectedShowsTheServersJsonError() {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission("AUTH XOAUTH2").onAuth("535 5.7.8 Username and Password not accepted"))) {
            ProbeResult r = probe(server, transport).oauth2(USER, "ya29.expired".toCharArray()).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.AUTH_FAILED);
            assertThat(r.detail()).contains("OAuth2 token for " + USER + " was rejected", Effect.XOAUTH2_ERROR,
                    "refresh the token");
            assertThat(transcript(r)).contains("AUTH XOAUTH2 <redacted>", "challenge (decoded): " + Effect.XOAUTH2_ERROR);
            List<String> commands = commands(server);
            int at = commands.indexOf(commands.stream().filter(c -> c.startsWith("AUTH ")).findFirst().orElseThrow());
            assertThat(commands.get(at + 1)).as("the error challenge is acknowledged with an empty line").isEmpty();
        }
    }

    @Test
    void implicitTlsAuthenticatesToo() {
        Script smtps = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "AUTH PLAIN").onAuth("235 2.7.0 ok")
                .tlsOnConnect(CERTS.valid().tls());
        try (MockSmtpServer server = new MockSmtpServer().start(smtps)) {
            ProbeResult r = probe(server, transport).tls(TlsMode.IMPLICIT).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
            assertThat(r.auth().offeredBeforeStartTls()).isNull();
            assertThat(r.detail()).contains("implicit TLS", "AUTH PLAIN 235");
        }
    }

    @Test
    void rejectedCredentialsAreNotRetriedOnTheHostsOtherAddress() {
        Script script = submission("AUTH PLAIN").onAuth("535 5.7.8 Authentication credentials invalid");
        try (MockDnsServer dns = MockDnsServer.start();
             MockSmtpServer server = new MockSmtpServer().alsoOnIpv6().start(script)) {
            dns.a("smtp.test", "127.0.0.1").aaaa("smtp.test", "::1");
            ProbeResult once = smtpTest(server, dns).run();
            assertThat(once.verdict()).as(once.summary()).isEqualTo(Verdict.AUTH_FAILED);
            assertThat(once.attempts()).hasSize(1);
            assertThat(server.connectionCount()).isEqualTo(1);

            // The contrast: both addresses are reachable, and allAttempts() asks for every one.
            ProbeResult all = smtpTest(server, dns).allAttempts().run();
            assertThat(all.attempts()).hasSize(2).allMatch(a -> a.verdict() == Verdict.AUTH_FAILED);
        }
    }

    /** smtp.test, resolved by the test DNS server to 127.0.0.1 and ::1, where {@code server} listens on both. */
    private static SmtpProbe.Builder smtpTest(MockSmtpServer server, MockDnsServer dns) {
        // The test certificate names localhost and the loopback addresses, not smtp.test: check the chain only.
        return SmtpProbe.to("smtp.test").port(server.port()).resolver(dns.host(), dns.port())
                .tls(TlsMode.STARTTLS_REQUIRED).transport(transport).trustManager(CERTS.trustManager())
                .verifyHostname(false).ehloName("client.test").connectTimeout(Servers.TIMEOUT)
                .greetingTimeout(Servers.TIMEOUT).replyTimeout(Servers.TIMEOUT).deadline(java.time.Duration.ofSeconds(3))
                .confirmTlsMode(false).auth(USER, PASSWORD);
    }

    @Test
    void aServerThatStallsAfterAuthEndsWithinTheReplyTimeout() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission("AUTH PLAIN").on("AUTH", Effect.STALL))) {
            long t0 = System.nanoTime();
            ProbeResult r = probe(server, transport).auth(USER, PASSWORD).run();
            assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.PROTOCOL_ERROR);
            assertThat(r.phase()).isEqualTo(Phase.AUTH);
            assertThat(r.detail()).contains("no reply to AUTH PLAIN within");
            assertThat(r.auth().status()).isEqualTo(AuthResult.Status.INTERRUPTED);
            assertThat(System.nanoTime() - t0).isLessThan(2_500_000_000L);
        }
    }
}
