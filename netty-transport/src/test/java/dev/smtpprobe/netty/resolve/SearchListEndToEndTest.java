package dev.smtpprobe.netty.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.MailHost;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SmtpProbe.to("relay")} in a cluster: the search list makes {@code relay.example.test} resolve, and the
 * probe reaches the relay as the application does, with every name tried in its transcript. A real DNS server and
 * a real SMTP server on loopback; the search list is given to the builder, so the machine's resolv.conf plays no part.
 */
class SearchListEndToEndTest {

    private static final NettyTransport transport = new NettyTransport();

    private MockDnsServer dns;
    private MockSmtpServer smtp;

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        smtp = new MockSmtpServer().start(Script.greeting("220 relay.example.test ESMTP").ehlo("relay.example.test"));
    }

    @AfterEach
    void stop() {
        smtp.close();
        dns.close();
    }

    private SmtpProbe.Builder relay(String host) {
        return SmtpProbe.to(host).port(smtp.port()).tls(TlsMode.NONE).resolver(dns.host(), dns.port())
                .dnsTimeout(Duration.ofSeconds(2)).searchDomains("ns.example.test", "example.test").ndots(5)
                .deadline(Duration.ofSeconds(10)).transport(transport);
    }

    private static List<String> dnsLines(ProbeResult r) {
        return r.transcript().stream().map(TranscriptLine::text).filter(t -> t.startsWith("DNS ")).toList();
    }

    @Test
    void aServiceNameResolvesThroughTheSearchListAndTheRelayIsReached() {
        dns.a("relay.example.test", "127.0.0.1");

        ProbeResult sync = relay("relay").run();
        ProbeResult async = relay("relay").runAsync().join();

        for (ProbeResult r : List.of(sync, async)) {
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.OK);
            assertThat(r.resolution().hosts()).extracting(MailHost::name)
                    .containsExactly("relay.ns.example.test", "relay.example.test");
            assertThat(dnsLines(r)).hasSize(5); // A and AAAA of each name, then the conclusion
            assertThat(dnsLines(r).get(0)).startsWith("DNS A relay.ns.example.test @127.0.0.1:" + dns.port()
                    + " -> NXDOMAIN");
            assertThat(dnsLines(r)).anySatisfy(l -> assertThat(l).startsWith("DNS A relay.example.test @127.0.0.1:"
                    + dns.port() + " -> answer: 127.0.0.1"));
            assertThat(dnsLines(r).get(4)).startsWith("DNS HOST relay -> OK: relay.example.test [127.0.0.1] (relay"
                    + " through the search [ns.example.test, example.test] ndots 5; tried before: relay.ns.example.test");
            // The application connects to "relay": that is the name TLS would check, as it would.
            assertThat(r.decidingAttempt().host()).isEqualTo("relay");
            assertThat(r.hints()).isEmpty();
        }
    }

    @Test
    void nxdomainForEveryNameListsEveryNameTried() {
        ProbeResult r = relay("relay").run();

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(r.detail()).contains("relay.ns.example.test, relay.example.test, relay from");
        assertThat(dnsLines(r)).hasSize(7);
        assertThat(smtp.connections()).isEmpty();
    }

    @Test
    void aHostsFileGivenToTheBuilderIsReadBeforeDnsEvenWithAResolver(@TempDir Path dir) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 relay\n");

        ProbeResult r = relay("relay").hostsFile(hosts).run();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.resolution().resolvers()).containsExactly("hosts file");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void aMailDomainStaysAbsoluteWhateverTheSearchList() {
        dns.mx("relay.example.test", 10, "relay.example.test").a("relay.example.test", "127.0.0.1");

        ProbeResult r = SmtpProbe.mx("relay").port(smtp.port()).tls(TlsMode.NONE).resolver(dns.host(), dns.port())
                .searchDomains("ns.example.test", "example.test").ndots(5).transport(transport).run();

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(dns.queries()).extracting(q -> q.type() + " " + q.name()).containsExactly("MX relay");
    }

    @Test
    void theOptionsAreValidatedAtOnce(@TempDir Path dir) {
        assertThatThrownBy(() -> SmtpProbe.to("relay").ndots(16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ndots");
        assertThatThrownBy(() -> SmtpProbe.to("relay").ndots(-1)).hasMessageStartingWith("ndots");
        assertThatThrownBy(() -> SmtpProbe.to("relay").searchDomains("bad domain"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("searchDomains");
        assertThatThrownBy(() -> SmtpProbe.to("relay").searchDomains((String[]) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("searchDomains");
        assertThatThrownBy(() -> SmtpProbe.to("relay").hostsFile(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hostsFile");
        SmtpProbe p = SmtpProbe.to("relay").searchDomains("Example.TEST.").ndots(3).build();
        assertThat(p.searchDomains()).contains(List.of("example.test"));
        assertThat(p.ndots()).hasValue(3);
        assertThat(SmtpProbe.to("relay").build().searchDomains()).isEmpty();
    }
}
