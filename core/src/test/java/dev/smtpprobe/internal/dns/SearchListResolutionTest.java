package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.MockDnsServer.Behaviour;
import dev.smtpprobe.testkit.dns.MockDnsServer.Query;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single host resolved as the JVM resolves it through glibc: the hosts file with the name as given, then each name
 * of the search list in glibc's order, against a real DNS server on loopback; a mail domain stays absolute.
 */
class SearchListResolutionTest {

    /** Guards answers that should come: generous, it costs nothing when they do. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** For a resolver that never answers: this timer is meant to fire, so it is short. */
    private static final Duration FIRES = Duration.ofMillis(300);
    private static final SearchList SEARCH = new SearchList(List.of("ns.example.test", "example.test"), 5);

    private MockDnsServer dns;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Resolution resolve(String target, Kind kind, SearchList search) {
        return resolve(target, kind, new DnsSettings(List.of(dns.address()), TIMEOUT, IpVersion.V4_ONLY, null, search,
                null));
    }

    private static Resolution resolve(String target, Kind kind, DnsSettings settings) {
        return new DnsResolver(settings).resolve(target, kind).orTimeout(5, TimeUnit.SECONDS).join();
    }

    private List<String> asked() {
        return dns.queries().stream().map(q -> q.type() + " " + q.name()).toList();
    }

    private static List<String> names(Resolution r) {
        return r.hosts().stream().map(MailHost::name).toList();
    }

    @Test
    void aShortNameResolvesThroughTheSearchListAndEveryNameTriedIsEvidence() throws IOException {
        dns.a("relay.example.test", "127.0.0.5");

        Resolution r = resolve("relay", Kind.HOST, SEARCH);

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.name()).isEqualTo("relay");
        assertThat(r.addresses()).containsExactly(InetAddress.getByName("127.0.0.5"));
        assertThat(asked()).containsExactly("A relay.ns.example.test", "A relay.example.test");
        assertThat(names(r)).containsExactly("relay.ns.example.test", "relay.example.test");
        assertThat(r.reachableHosts()).extracting(MailHost::name).containsExactly("relay.example.test");
        assertThat(r.hosts().get(0).problems()).containsExactly("does not exist (NXDOMAIN)");
        assertThat(r.detail()).isEqualTo("relay.example.test [127.0.0.5] (relay through the search"
                + " [ns.example.test, example.test] ndots 5; tried before: relay.ns.example.test [no address] does not"
                + " exist (NXDOMAIN))");
        assertThat(DnsTranscript.lines(r)).hasSize(3)
                .anySatisfy(l -> assertThat(l).startsWith("DNS A relay.ns.example.test @127.0.0.1:" + dns.port()
                        + " -> NXDOMAIN"))
                .anySatisfy(l -> assertThat(l).startsWith("DNS A relay.example.test @127.0.0.1:" + dns.port()
                        + " -> answer: 127.0.0.5"));
    }

    @Test
    void nxdomainForEveryNameIsNoSuchDomainWithEveryNameListed() {
        Resolution r = resolve("relay", Kind.HOST, SEARCH);

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(asked()).containsExactly("A relay.ns.example.test", "A relay.example.test", "A relay");
        assertThat(names(r)).containsExactly("relay.ns.example.test", "relay.example.test", "relay");
        assertThat(r.detail()).isEqualTo("relay does not exist (NXDOMAIN for every name of the search"
                + " [ns.example.test, example.test] ndots 5: relay.ns.example.test, relay.example.test, relay from"
                + " 127.0.0.1:" + dns.port() + ")");
        assertThat(r.lookups()).extracting(DnsLookup::name)
                .containsExactly("relay.ns.example.test", "relay.example.test", "relay");
    }

    @Test
    void aNameWithEnoughDotsIsAskedAsGivenFirstAndTheSearchListOnlyAfterNxdomain() {
        SearchList one = new SearchList(List.of("example.test"), 1);
        dns.a("mail.example.net", "127.0.0.6").a("mail.corp.example.test", "127.0.0.7");

        Resolution given = resolve("mail.example.net", Kind.HOST, one);
        assertThat(given.detail()).isEqualTo("mail.example.net [127.0.0.6]");
        assertThat(asked()).containsExactly("A mail.example.net");

        dns.clearQueries();
        Resolution searched = resolve("mail.corp", Kind.HOST, one);
        assertThat(searched.isOk()).isTrue();
        assertThat(asked()).containsExactly("A mail.corp", "A mail.corp.example.test");
        assertThat(searched.reachableHosts()).extracting(MailHost::name).containsExactly("mail.corp.example.test");
    }

    @Test
    void aTrailingDotMeansTheNameAloneWhateverTheSearchList() {
        dns.a("relay.example.test", "127.0.0.5");

        Resolution r = resolve("relay.", Kind.HOST, SEARCH);

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(asked()).containsExactly("A relay");
        assertThat(r.detail()).isEqualTo("relay does not exist (NXDOMAIN from 127.0.0.1:" + dns.port() + ")");
    }

    @Test
    void aMailDomainIsAlwaysAbsoluteAsAnMtaResolvesIt() {
        dns.mx("relay.example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.5").a("mx", "127.0.0.8");
        dns.mx("relay", 10, "mx");

        Resolution r = resolve("relay", Kind.MX, SEARCH);

        assertThat(r.isOk()).isTrue();
        assertThat(asked()).containsExactly("MX relay", "A mx");
        assertThat(dns.queries()).extracting(Query::name).noneMatch(n -> n.endsWith("example.test"));
        assertThat(names(r)).containsExactly("mx");
    }

    @Test
    void noDataAndServfailGoOnToTheNextName() {
        dns.exists("relay.ns.example.test").a("relay.example.test", "127.0.0.5");
        Resolution afterNoData = resolve("relay", Kind.HOST, SEARCH);
        assertThat(afterNoData.isOk()).isTrue();
        assertThat(afterNoData.hosts().get(0).problems()).containsExactly("has no A (IPv4 only) record");

        dns.clearQueries();
        dns.behave("relay.ns.example.test", Behaviour.SERVFAIL);
        Resolution afterServfail = resolve("relay", Kind.HOST, SEARCH);
        assertThat(afterServfail.isOk()).isTrue();
        assertThat(asked()).containsExactly("A relay.ns.example.test", "A relay.example.test");
        assertThat(afterServfail.hosts().get(0).problems()).singleElement().asString().startsWith("A: SERVFAIL");
    }

    @Test
    void aServfailWithNothingFoundIsAFailureNotANonExistentName() {
        dns.behave("relay.ns.example.test", Behaviour.SERVFAIL);

        Resolution r = resolve("relay", Kind.HOST, SEARCH);

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(asked()).hasSize(3);
        assertThat(r.detail()).startsWith("resolving relay failed: relay.ns.example.test [no address] A: SERVFAIL");
    }

    @Test
    void aTimeoutEndsTheSearchAsGlibcDoes() {
        dns.behave("relay.ns.example.test", Behaviour.SILENT).a("relay.example.test", "127.0.0.5");

        Resolution r = resolve("relay", Kind.HOST, new DnsSettings(List.of(dns.address()), FIRES, IpVersion.V4_ONLY,
                null, SEARCH, null));

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(asked()).containsExactly("A relay.ns.example.test");
        assertThat(r.detail()).startsWith("resolving relay failed: relay.ns.example.test [no address] A: timeout from"
                + " 127.0.0.1:" + dns.port());
    }

    @Test
    void theHostsFileIsReadForTheNameAsGivenBeforeAnySearch(@TempDir Path dir) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.9 relay\n127.0.0.10 other.example.test\n");
        DnsSettings settings = new DnsSettings(List.of(dns.address()), TIMEOUT, IpVersion.V4_ONLY, null, SEARCH, hosts);

        Resolution relay = resolve("relay", Kind.HOST, settings);
        assertThat(relay.addresses()).containsExactly(InetAddress.getByName("127.0.0.9"));
        assertThat(relay.resolvers()).containsExactly("hosts file");
        assertThat(dns.queries()).isEmpty();

        // glibc's files module matches the name as given only: the search list applies to DNS.
        Resolution other = resolve("other", Kind.HOST, settings);
        assertThat(other.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(asked()).containsExactly("A other.ns.example.test", "A other.example.test", "A other");
    }
}
