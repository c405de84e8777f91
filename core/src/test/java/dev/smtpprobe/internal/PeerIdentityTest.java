package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Wrong peer and stripping, over real sockets: a scripted SMTP server on loopback found through the test DNS
 * server (which also serves the PTR of 127.0.0.1), probed by name; the hints and the queries made are asserted.
 */
class PeerIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TARGET = "mx.example.test";

    private static ProbeResult probe(MockDnsServer dns, Script script, TlsMode mode) {
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            return SmtpProbe.to(TARGET).port(server.port()).tls(mode).resolver(dns.address())
                    .transport(new BlockingTransport()).trustManager(Loopback.CERTS.trustManager())
                    .ehloName("client.test").connectTimeout(WAIT).greetingTimeout(WAIT).replyTimeout(WAIT)
                    .dnsTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(10)).confirmTlsMode(false)
                    .build().run();
        }
    }

    private static Hint hint(ProbeResult result, HintCode code) {
        return result.hints().stream().filter(h -> h.code() == code).findFirst().orElse(null);
    }

    private static long ptrQueries(MockDnsServer dns) {
        return dns.queries().stream().filter(q -> q.type().equals("PTR")).count();
    }

    @Test
    void anotherOperatorAnsweringOnTheTargetsAddressIsNamedWithThePtrAsEvidence() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1").ptr("127.0.0.1", TARGET)) {
            ProbeResult result = probe(dns, Script.greeting("220 smtp.isp-relay.test ESMTP")
                    .ehlo("smtp.isp-relay.test", "PIPELINING"), TlsMode.NONE);

            assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
            Hint hint = hint(result, HintCode.DIFFERENT_OPERATOR);
            assertThat(hint).as(result.hints().toString()).isNotNull();
            assertThat(hint.message()).contains("127.0.0.1 belongs to example.test").contains("isp-relay.test")
                    .contains("redirects port");
            assertThat(hint.evidence()).containsExactly("target mx.example.test (operator example.test)",
                    "banner smtp.isp-relay.test (operator isp-relay.test)",
                    "EHLO smtp.isp-relay.test (operator isp-relay.test)",
                    "PTR of 127.0.0.1 mx.example.test (operator example.test)");
            assertThat(ptrQueries(dns)).isEqualTo(1);
        }
    }

    @Test
    void anOutsourcedServiceWithoutAMatchingPtrIsNamedAsAnotherOperator() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1")
                .ptr("127.0.0.1", "relay7.mailhost.test")) {
            ProbeResult result = probe(dns, Script.greeting("220 relay7.mailhost.test ESMTP")
                    .ehlo("relay7.mailhost.test"), TlsMode.NONE);

            Hint hint = hint(result, HintCode.DIFFERENT_OPERATOR);
            assertThat(hint).as(result.hints().toString()).isNotNull();
            assertThat(hint.message()).contains("names itself under mailhost.test, not example.test")
                    .contains("outsourced or hosted");
            assertThat(hint.evidence()).contains("PTR of 127.0.0.1 relay7.mailhost.test (operator mailhost.test)");
        }
    }

    @Test
    void aServerNamingTheTargetsOperatorGivesNoHintAndNoPtrQuery() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1").ptr("127.0.0.1", "other.test")) {
            ProbeResult result = probe(dns, Script.greeting("220 mx1.example.test ESMTP")
                    .ehlo("mx2.example.test"), TlsMode.NONE);
            ProbeResult unnamed = probe(dns, Script.greeting("220 ESMTP ready").ehlo("localhost"), TlsMode.NONE);

            assertThat(result.verdict()).isEqualTo(Verdict.OK);
            assertThat(hint(result, HintCode.DIFFERENT_OPERATOR)).isNull();
            assertThat(hint(unnamed, HintCode.DIFFERENT_OPERATOR)).isNull();
            assertThat(ptrQueries(dns)).as("the PTR is asked only when the names point elsewhere").isZero();
        }
    }

    @Test
    void aMaskedStartTlsKeywordIsStrippingWithTheKeywordAsEvidence() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1")) {
            ProbeResult result = probe(dns, Script.greeting("220 mx.example.test ESMTP")
                    .ehlo("mx.example.test", "PIPELINING", "XXXXXXXA", "8BITMIME"), TlsMode.STARTTLS);

            assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
            Hint hint = hint(result, HintCode.STARTTLS_STRIPPED);
            assertThat(hint).as(result.hints().toString()).isNotNull();
            assertThat(hint.message()).contains("STARTTLS was removed on the way");
            assertThat(hint.evidence()).contains("EHLO keyword XXXXXXXA (STARTTLS masked by a middlebox)")
                    .anySatisfy(e -> assertThat(e).startsWith("EHLO of mx.example.test at 127.0.0.1 port "));
        }
    }

    @Test
    void aMaskedBannerWithStartTlsRequiredIsStrippingOnTheFailure() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1")) {
            ProbeResult result = probe(dns, Script.greeting("220 ******************************")
                    .ehlo("mx.example.test", "PIPELINING"), TlsMode.STARTTLS_REQUIRED);

            assertThat(result.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
            assertThat(hint(result, HintCode.STARTTLS_STRIPPED)).as(result.hints().toString()).isNotNull()
                    .satisfies(h -> assertThat(h.evidence()).anySatisfy(e -> assertThat(e)
                            .startsWith("banner masked with asterisks")));
        }
    }

    @Test
    void anotherPortOfTheSameHostNegotiatingTlsIsStrippingEvidence() {
        Script plain = Script.greeting("220 mx.example.test ESMTP").ehlo("mx.example.test", "PIPELINING");
        Script secure = Script.greeting("220 mx.example.test ESMTP").ehlo("mx.example.test", "STARTTLS")
                .ehloAfterTls("mx.example.test").onStartTls(Loopback.CERTS.issuedFor(TARGET).tls());
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1");
                MockSmtpServer stripped = new MockSmtpServer().start(plain);
                MockSmtpServer offering = new MockSmtpServer().start(secure)) {
            ProbeResult result = SmtpProbe.to(TARGET).ports(stripped.port(), offering.port()).tls(TlsMode.STARTTLS)
                    .resolver(dns.address()).transport(new BlockingTransport())
                    .trustManager(Loopback.CERTS.trustManager()).ehloName("client.test").connectTimeout(WAIT)
                    .greetingTimeout(WAIT).replyTimeout(WAIT).deadline(Duration.ofSeconds(10)).confirmTlsMode(false)
                    .build().run();

            assertThat(result.attempts()).hasSize(2);
            // Both OK: the first port decides, and it is the one without STARTTLS.
            assertThat(result.decidingAttempt().remote().getPort()).isEqualTo(stripped.port());
            assertThat(result.decidingAttempt().tls()).isNull();
            Hint hint = hint(result, HintCode.STARTTLS_STRIPPED);
            assertThat(hint).as(result.hints().toString()).isNotNull();
            assertThat(hint.message()).contains("offers TLS elsewhere");
            assertThat(hint.evidence()).anySatisfy(e -> assertThat(e)
                    .contains("port " + offering.port() + " negotiated TLSv1.").contains("CN=" + TARGET));
        }
    }

    @Test
    void aServerThatSimplyLacksStartTlsIsNotCalledStripped() {
        try (MockDnsServer dns = MockDnsServer.start().a(TARGET, "127.0.0.1")) {
            ProbeResult result = probe(dns, Script.greeting("220 mx.example.test ESMTP")
                    .ehlo("mx.example.test", "PIPELINING", "8BITMIME"), TlsMode.STARTTLS);

            assertThat(result.verdict()).isEqualTo(Verdict.OK);
            assertThat(hint(result, HintCode.STARTTLS_STRIPPED)).isNull();
        }
    }

    @Test
    void theOperatorOfANameIsItsRegistrableDomainApproximately() {
        assertThat(PeerNames.operator("mx.example.net")).isEqualTo("example.net");
        assertThat(PeerNames.operator("MX1.Mail.Example.NET.")).isEqualTo("example.net");
        assertThat(PeerNames.operator("smtp.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(PeerNames.operator("*.example.com")).isEqualTo("example.com");
        assertThat(PeerNames.operator("example.com")).isEqualTo("example.com");
        assertThat(PeerNames.operator("localhost")).isNull();
        assertThat(PeerNames.operator("127.0.0.1")).isNull();
        assertThat(PeerNames.operator("ESMTP")).isNull();
        assertThat(PeerNames.operator("a b.example")).isNull();
        assertThat(PeerNames.operator(null)).isNull();
    }

    @Test
    void aHostNameIsCheckedLabelByLabel() {
        assertThat(PeerNames.isHostName("mx.example.net")).isTrue();
        assertThat(PeerNames.isHostName("_dmarc.example.net")).isTrue();
        assertThat(PeerNames.isHostName("a-b.c9.example")).isTrue();
        assertThat(PeerNames.isHostName("x.y")).isTrue();
        assertThat(PeerNames.isHostName("example")).as("one label").isFalse();
        assertThat(PeerNames.isHostName("")).isFalse();
        assertThat(PeerNames.isHostName("a..example")).as("empty label").isFalse();
        assertThat(PeerNames.isHostName(".example.net")).isFalse();
        assertThat(PeerNames.isHostName("-a.example")).as("leading hyphen").isFalse();
        assertThat(PeerNames.isHostName("a-.example")).as("trailing hyphen").isFalse();
        assertThat(PeerNames.isHostName("mx.example.n-")).isFalse();
        assertThat(PeerNames.isHostName("mx.example.9net")).as("last label starts with a digit").isFalse();
        assertThat(PeerNames.isHostName("mx.exa_mple.net")).as("underscore inside a label").isFalse();
        assertThat(PeerNames.isHostName("mx.example._net")).as("underscore starting the last label").isFalse();
        assertThat(PeerNames.isHostName("m\u00fc.example.net")).as("not ASCII").isFalse();
        assertThat(PeerNames.isHostName("a".repeat(63) + ".example")).isTrue();
        assertThat(PeerNames.isHostName("a".repeat(64) + ".example")).as("label over 63").isFalse();
        String longest = ("a".repeat(61) + ".").repeat(4) + "net"; // 4 * 62 + 3 = 251
        assertThat(PeerNames.isHostName(longest)).isTrue();
        assertThat(PeerNames.isHostName("aaa" + longest)).as("name over 253").isFalse();
    }
}
