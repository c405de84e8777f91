package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.DnsRecord;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.MockDnsServer.Behaviour;
import dev.smtpprobe.testkit.dns.MockDnsServer.Protocol;
import dev.smtpprobe.testkit.dns.MockDnsServer.Query;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution like an MTA, against a real authoritative DNS server on loopback: every DNS verdict, the MX order,
 * failover between resolvers and the evidence a resolution keeps.
 */
class DnsResolverTest {

    /** Guards answers that should come: generous, it costs nothing when they do (a loaded machine is slow). */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** For resolvers that never answer: this timer is meant to fire, so it is short. */
    private static final Duration FIRES = Duration.ofMillis(300);

    private MockDnsServer dns;

    /** Loads dnsjava once (classes, its selector thread), so that timing assertions measure resolution only. */
    @BeforeAll
    static void warmUp() {
        try (MockDnsServer warm = MockDnsServer.start()) {
            warm.a("warm.example", "127.0.0.2");
            resolve("warm.example", Kind.HOST, new DnsSettings(List.of(warm.address()), TIMEOUT, IpVersion.ANY, null,
                    SearchList.NONE, null));
        }
    }

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private DnsSettings settings(IpVersion v, Long seed, InetSocketAddress... servers) {
        return new DnsSettings(List.of(servers), TIMEOUT, v, seed, SearchList.NONE, null);
    }

    /** Settings for a test in which a resolver never answers. */
    private DnsSettings firing(IpVersion v, Long seed, InetSocketAddress... servers) {
        return new DnsSettings(List.of(servers), FIRES, v, seed, SearchList.NONE, null);
    }

    private Resolution mx(String domain) {
        return resolve(domain, Kind.MX, settings(IpVersion.ANY, 1L, dns.address()));
    }

    private static Resolution resolve(String target, Kind kind, DnsSettings settings) {
        return new DnsResolver(settings).resolve(target, kind).orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static List<String> names(Resolution r) {
        return r.hosts().stream().map(MailHost::name).toList();
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    @Test
    void mxHostsComeInPreferenceOrderWithTheirAddresses() throws IOException {
        dns.mx("example.com", 20, "mx2.example.com").mx("example.com", 10, "mx1.example.com")
                .mx("example.com", 30, "mx3.example.com")
                .a("mx1.example.com", "127.0.0.2").a("mx2.example.com", "127.0.0.3").a("mx3.example.com", "127.0.0.4");

        Resolution r = mx("Example.com");

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.kind()).isEqualTo(Kind.MX);
        assertThat(names(r)).containsExactly("mx1.example.com", "mx2.example.com", "mx3.example.com");
        assertThat(r.hosts()).extracting(MailHost::preference).containsExactly(10, 20, 30);
        assertThat(r.hosts().get(0).addresses()).containsExactly(ip("127.0.0.2"));
        assertThat(r.addresses()).containsExactly(ip("127.0.0.2"), ip("127.0.0.3"), ip("127.0.0.4"));
        assertThat(r.detail()).startsWith("mail hosts in order: 10 mx1.example.com [127.0.0.2]; 20 mx2.example.com");
    }

    @Test
    void everyAnswerIsKeptWithItsTtlAndResolver() {
        dns.ttl(3600).mx("example.com", 10, "mx1.example.com").ttl(60).a("mx1.example.com", "127.0.0.2");
        String label = "127.0.0.1:" + dns.port();

        Resolution r = resolve("example.com", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.records()).containsExactly(
                new DnsRecord("example.com", "MX", 3600, "10 mx1.example.com", label),
                new DnsRecord("mx1.example.com", "A", 60, "127.0.0.2", label));
        assertThat(r.lookups()).extracting(DnsLookup::type).containsExactly("MX", "A");
        assertThat(r.resolvers()).containsExactly(label);
        assertThat(DnsTranscript.lines(r)).anyMatch(l -> l.contains("MX example.com @" + label)
                && l.contains("10 mx1.example.com (ttl 3600)"));
        assertThat(DnsTranscript.lines(r).get(2)).startsWith("DNS MX example.com -> OK: mail hosts in order");
    }

    @Test
    void equalPreferencesAreShuffledReproduciblyWithASeed() {
        dns.mx("spread.example", 10, "a.spread.example").mx("spread.example", 10, "b.spread.example")
                .mx("spread.example", 10, "c.spread.example").mx("spread.example", 5, "first.spread.example");
        for (String h : List.of("a", "b", "c", "first")) {
            dns.a(h + ".spread.example", "127.0.0.2");
        }
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            List<String> once = names(resolve("spread.example", Kind.MX, settings(IpVersion.V4_ONLY, seed, dns.address())));
            List<String> again = names(resolve("spread.example", Kind.MX, settings(IpVersion.V4_ONLY, seed, dns.address())));
            assertThat(again).as("same seed, same order").isEqualTo(once);
            assertThat(once.get(0)).as("the lowest preference stays first").isEqualTo("first.spread.example");
            assertThat(once.subList(1, 4)).containsExactlyInAnyOrder("a.spread.example", "b.spread.example", "c.spread.example");
            orders.add(once);
        }
        assertThat(orders).as("equal preferences are shuffled").hasSizeGreaterThan(1);
    }

    @Test
    void aZoneWithTooManyMxHostsIsCappedAndSaysSo() {
        for (int i = 0; i < DnsResolver.MAX_MX_HOSTS + 4; i++) {
            dns.mx("crowded.example", 10 + i, "mx" + i + ".crowded.example").a("mx" + i + ".crowded.example", "127.0.0.2");
        }

        Resolution r = resolve("crowded.example", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.hosts()).hasSize(DnsResolver.MAX_MX_HOSTS);
        assertThat(r.hosts().get(0).name()).isEqualTo("mx0.crowded.example");
        assertThat(r.detail()).endsWith("(4 more MX hosts after the first 16 were not resolved)");
        assertThat(dns.queries()).hasSize(1 + DnsResolver.MAX_MX_HOSTS);
    }

    @Test
    void noMxMeansTheDomainItselfIsTheMailHost() throws IOException {
        dns.a("implicit.example", "127.0.0.5");

        Resolution r = mx("implicit.example");

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("implicit.example");
            assertThat(h.implicit()).isTrue();
            assertThat(h.addresses()).containsExactly(ip("127.0.0.5"));
        });
        assertThat(r.detail()).contains("has no MX record; implicit MX");
    }

    @Test
    void nullMxMeansTheDomainAcceptsNoMail() {
        dns.nullMx("nomail.example").a("nomail.example", "127.0.0.5");

        Resolution r = mx("nomail.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NULL_MX);
        assertThat(r.detail()).contains("null MX").contains("RFC 7505");
        assertThat(r.hosts()).isEmpty();
        assertThat(dns.queries()).extracting(Query::type).containsExactly("MX");
    }

    @Test
    void nxdomainIsNoSuchDomain() {
        Resolution r = mx("missing.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(r.detail()).isEqualTo("missing.example does not exist (NXDOMAIN for MX from 127.0.0.1:" + dns.port() + ")");
        assertThat(r.lookups()).singleElement().extracting(DnsLookup::outcome).isEqualTo(DnsLookup.Outcome.NO_SUCH_DOMAIN);
    }

    @Test
    void noMxAndNoAddressIsNoMailHost() {
        dns.exists("bare.example");

        Resolution r = mx("bare.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(r.detail()).isEqualTo("bare.example has no MX record and no A or AAAA record");
    }

    @Test
    void danglingMxTargetIsNotedAndOnlyDecidesWhenNoHostHasAnAddress() throws IOException {
        dns.mx("half.example", 10, "gone.half.example").mx("half.example", 20, "mx2.half.example")
                .a("mx2.half.example", "127.0.0.3");

        Resolution half = mx("half.example");

        assertThat(half.verdict()).isEqualTo(Verdict.OK);
        assertThat(half.hosts().get(0).problems()).containsExactly("does not exist (NXDOMAIN) (dangling MX target)");
        assertThat(half.reachableHosts()).extracting(MailHost::name).containsExactly("mx2.half.example");
        assertThat(half.addresses()).containsExactly(ip("127.0.0.3"));

        dns.mx("dangling.example", 10, "nowhere.dangling.example").mx("dangling.example", 20, "empty.dangling.example")
                .exists("empty.dangling.example");

        Resolution dangling = mx("dangling.example");

        assertThat(dangling.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(dangling.detail()).startsWith("no MX target of dangling.example has an address: ")
                .contains("10 nowhere.dangling.example [no address] does not exist (NXDOMAIN) (dangling MX target)")
                .contains("20 empty.dangling.example [no address] has no A or AAAA record (dangling MX target)");
    }

    @Test
    void servfailIsDnsFailureNamingTheResolver() {
        dns.behave("broken.example", Behaviour.SERVFAIL);

        Resolution r = mx("broken.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).isEqualTo("the MX lookup for broken.example failed: SERVFAIL from 127.0.0.1:" + dns.port());
    }

    @Test
    void refusedIsDnsFailure() {
        dns.behave("closed.example", Behaviour.REFUSED);

        Resolution r = mx("closed.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).contains("REFUSED from 127.0.0.1:" + dns.port());
    }

    @Test
    void garbageFromTheResolverIsDnsFailureNotAHang() {
        dns.behave("hostile.example", Behaviour.GARBAGE);

        Resolution r = mx("hostile.example");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).contains("error from 127.0.0.1:" + dns.port()).contains("malformed answer");
        // Rejected as soon as it arrived, not waited out until the timeout.
        assertThat(r.lookups()).singleElement().extracting(DnsLookup::outcome).isEqualTo(DnsLookup.Outcome.ERROR);
    }

    @Test
    void resolverThatNeverAnswersIsDnsFailureWithinTheTimeout() {
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            long t0 = System.nanoTime();

            Resolution r = resolve("example.com", Kind.MX, firing(IpVersion.ANY, null, hole.address()));

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
            assertThat(r.detail()).contains("timeout from 127.0.0.1:" + hole.port() + " (no answer within 300 ms)");
            // Bounded by our own timer, not by dnsjava's once-a-second timeout sweep; slack for a loaded machine.
            assertThat(millis).isBetween(FIRES.toMillis() - 20, FIRES.toMillis() + 600);
            assertThat(hole.received()).isPositive();
        }
    }

    @Test
    void unreachableResolverIsDnsFailureSayingSo() throws IOException {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = new InetSocketAddress(s.getLocalAddress(), s.getLocalPort());
        }

        Resolution r = resolve("example.com", Kind.MX, settings(IpVersion.ANY, null, closed));

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).contains("unreachable from 127.0.0.1:" + closed.getPort()).contains("port unreachable");
    }

    @Test
    void aFailingResolverIsSkippedForTheNextOne() throws IOException {
        dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.2");
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            Resolution r = resolve("example.com", Kind.MX, firing(IpVersion.V4_ONLY, null, hole.address(), dns.address()));

            assertThat(r.verdict()).isEqualTo(Verdict.OK);
            assertThat(r.addresses()).containsExactly(ip("127.0.0.2"));
            assertThat(r.lookups().get(0).outcome()).isEqualTo(DnsLookup.Outcome.TIMEOUT);
            assertThat(r.lookups().get(0).resolver()).isEqualTo("127.0.0.1:" + hole.port());
            assertThat(r.records()).extracting(DnsRecord::resolver).containsOnly("127.0.0.1:" + dns.port());
        }
    }

    @Test
    void nxdomainFromTheFirstResolverIsAnAnswerNotAFailure() {
        try (MockDnsServer other = MockDnsServer.start()) {
            other.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.2");

            Resolution r = resolve("example.com", Kind.MX, settings(IpVersion.ANY, null, dns.address(), other.address()));

            assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
            assertThat(other.queries()).isEmpty();
        }
    }

    @Test
    void allResolversFailingAreEachNamed() {
        dns.behave("example.com", Behaviour.SERVFAIL);
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            Resolution r = resolve("example.com", Kind.MX, firing(IpVersion.ANY, null, dns.address(), hole.address()));

            assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
            assertThat(r.detail()).isEqualTo("the MX lookup for example.com failed: SERVFAIL from 127.0.0.1:" + dns.port()
                    + "; timeout from 127.0.0.1:" + hole.port() + " (no answer within 300 ms)");
        }
    }

    @Test
    void aFailedAddressLookupIsNotedOnTheHost() throws IOException {
        dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.2")
                .behave("mx1.example.com", "AAAA", Behaviour.SERVFAIL);

        Resolution r = mx("example.com");

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.hosts().get(0).addresses()).containsExactly(ip("127.0.0.2"));
        assertThat(r.hosts().get(0).problems()).containsExactly("AAAA: SERVFAIL from 127.0.0.1:" + dns.port());
    }

    @Test
    void failedAddressLookupsForEveryHostAreDnsFailureNotNoMailHost() {
        dns.mx("example.com", 10, "mx1.example.com").behave("mx1.example.com", Behaviour.SERVFAIL);

        Resolution r = mx("example.com");

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).startsWith("no mail host of example.com has an address and a lookup failed")
                .contains("A: SERVFAIL").contains("AAAA: SERVFAIL");
    }

    @Test
    void aaaaOnlyHostIsUsedUnlessIpv4IsRequired() throws IOException {
        dns.mx("six.example", 10, "mx.six.example").aaaa("mx.six.example", "::1");

        Resolution any = mx("six.example");
        assertThat(any.verdict()).isEqualTo(Verdict.OK);
        assertThat(any.addresses()).containsExactly(ip("::1"));
        assertThat(any.hosts().get(0).problems()).isEmpty();

        dns.clearQueries();
        Resolution v4 = resolve("six.example", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));
        assertThat(v4.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(v4.detail()).contains("has no A (IPv4 only) record");
        assertThat(dns.queries()).extracting(Query::type).doesNotContain("AAAA");
    }

    @Test
    void addressesAreOrderedByIpVersion() throws IOException {
        dns.a("dual.example", "127.0.0.2", "127.0.0.3").aaaa("dual.example", "::1");
        InetAddress v4a = ip("127.0.0.2");
        InetAddress v4b = ip("127.0.0.3");
        InetAddress v6 = ip("::1");

        assertThat(resolve("dual.example", Kind.HOST, settings(IpVersion.ANY, null, dns.address())).addresses())
                .containsExactly(v6, v4a, v4b);
        assertThat(resolve("dual.example", Kind.HOST, settings(IpVersion.PREFER_V4, null, dns.address())).addresses())
                .containsExactly(v4a, v4b, v6);
        assertThat(resolve("dual.example", Kind.HOST, settings(IpVersion.V6_ONLY, null, dns.address())).addresses())
                .containsExactly(v6);
    }

    @Test
    void aSingleHostResolvesItsAddressesOnly() throws IOException {
        dns.a("smtp.example", "127.0.0.7").mx("smtp.example", 10, "elsewhere.example");

        Resolution r = resolve("smtp.example", Kind.HOST, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.kind()).isEqualTo(Kind.HOST);
        assertThat(r.addresses()).containsExactly(ip("127.0.0.7"));
        assertThat(dns.queries()).extracting(Query::type).containsExactly("A");
    }

    @Test
    void singleHostVerdicts() {
        dns.exists("nothing.example").behave("bad.example", Behaviour.SERVFAIL);
        DnsSettings s = settings(IpVersion.ANY, null, dns.address());

        assertThat(resolve("missing.example", Kind.HOST, s).verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        Resolution nothing = resolve("nothing.example", Kind.HOST, s);
        assertThat(nothing.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(nothing.detail()).isEqualTo("nothing.example has no A or AAAA record");
        Resolution bad = resolve("bad.example", Kind.HOST, s);
        assertThat(bad.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(bad.detail()).startsWith("resolving bad.example failed: A: SERVFAIL");
    }

    @Test
    void cnamesAreFollowed() throws IOException {
        dns.mx("example.com", 10, "mail.example.com").cname("mail.example.com", "real.example.net")
                .a("real.example.net", "127.0.0.8");

        Resolution r = resolve("example.com", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.addresses()).containsExactly(ip("127.0.0.8"));
        assertThat(r.records()).extracting(DnsRecord::type).contains("CNAME");
    }

    @Test
    void truncatedAnswerIsFetchedOverTcp() throws IOException {
        dns.mx("big.example", 10, "mx.big.example").a("mx.big.example", "127.0.0.2")
                .behave("big.example", "MX", Behaviour.TRUNCATE);

        Resolution r = resolve("big.example", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.addresses()).containsExactly(ip("127.0.0.2"));
        assertThat(dns.queries("big.example")).extracting(Query::protocol).containsExactly(Protocol.UDP, Protocol.TCP);
    }

    @Test
    void addressLiteralsSkipDns() throws IOException {
        DnsSettings s = settings(IpVersion.ANY, null, dns.address());
        for (String literal : List.of("192.0.2.1", "[192.0.2.1]", "::1", "[IPv6:::1]")) {
            for (Kind kind : List.of(Kind.MX, Kind.HOST)) {
                Resolution r = resolve(literal, kind, s);
                assertThat(r.kind()).as(literal).isEqualTo(Kind.LITERAL);
                assertThat(r.verdict()).isEqualTo(Verdict.OK);
                assertThat(r.lookups()).isEmpty();
            }
        }
        assertThat(resolve("[IPv6:::1]", Kind.HOST, s).addresses()).containsExactly(ip("::1"));
        assertThat(resolve("[192.0.2.1]", Kind.HOST, s).addresses()).containsExactly(ip("192.0.2.1"));
        assertThat(resolve("::1", Kind.HOST, settings(IpVersion.V4_ONLY, null, dns.address())).verdict())
                .isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void internationalisedNamesGoThroughIdna() throws IOException {
        dns.mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example").a("mx.xn--bcher-kva.example", "127.0.0.9");

        Resolution r = resolve("Bücher.example", Kind.MX, settings(IpVersion.V4_ONLY, null, dns.address()));

        assertThat(r.name()).isEqualTo("xn--bcher-kva.example");
        assertThat(r.query()).isEqualTo("Bücher.example");
        assertThat(r.addresses()).containsExactly(ip("127.0.0.9"));
        assertThat(dns.queries()).extracting(Query::name).contains("xn--bcher-kva.example");
    }

    @Test
    void invalidNamesFailFast() {
        DnsResolver resolver = new DnsResolver(settings(IpVersion.ANY, null, dns.address()));

        assertThatThrownBy(() -> resolver.resolve("bad name.example", Kind.MX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
        assertThatThrownBy(() -> resolver.resolve("a..example", Kind.HOST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> resolver.resolve("x".repeat(64) + ".example", Kind.HOST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
        assertThat(dns.queries()).isEmpty();
    }

    @Test
    void twoResolversThatDisagreeAreReported() {
        dns.mx("moved.example", 10, "mx.moved.example").a("mx.moved.example", "127.0.0.2");
        try (MockDnsServer stale = MockDnsServer.start()) {
            stale.mx("moved.example", 10, "mx.moved.example").mx("moved.example", 20, "old.moved.example")
                    .a("mx.moved.example", "127.0.0.9").a("old.moved.example", "127.0.0.10");
            DnsResolver resolver = new DnsResolver(settings(IpVersion.V4_ONLY, null, dns.address()));

            ResolverComparison c = resolver.compare("moved.example", Kind.MX, List.of(dns.address(), stale.address()))
                    .orTimeout(5, TimeUnit.SECONDS).join();

            String fresh = "127.0.0.1:" + dns.port();
            String old = "127.0.0.1:" + stale.port();
            assertThat(c.agree()).isFalse();
            assertThat(c.resolvers()).containsExactly(fresh, old);
            assertThat(c.differences()).containsExactly(
                    "mail hosts differ: {10 mx.moved.example} via " + fresh
                            + "; {10 mx.moved.example, 20 old.moved.example} via " + old,
                    "mx.moved.example addresses differ: [127.0.0.2] via " + fresh + "; [127.0.0.9] via " + old);
            assertThat(c.resolutions().get(1).records()).extracting(DnsRecord::resolver).containsOnly(old);
            assertThat(DnsTranscript.lines(c).get(0)).contains("2 difference(s)");
        }
    }

    @Test
    void resolversThatAgreeReportNoDifference() {
        dns.ttl(300).mx("same.example", 10, "a.same.example").mx("same.example", 10, "b.same.example")
                .a("a.same.example", "127.0.0.2").a("b.same.example", "127.0.0.3");
        try (MockDnsServer other = MockDnsServer.start()) {
            // Different TTLs (a cache counting down) and a different shuffle are not differences.
            other.ttl(17).mx("same.example", 10, "b.same.example").mx("same.example", 10, "a.same.example")
                    .a("a.same.example", "127.0.0.2").a("b.same.example", "127.0.0.3");

            ResolverComparison c = new DnsResolver(settings(IpVersion.V4_ONLY, null, dns.address()))
                    .compare("same.example", Kind.MX, List.of(dns.address(), other.address()))
                    .orTimeout(5, TimeUnit.SECONDS).join();

            assertThat(c.agree()).isTrue();
            assertThat(DnsTranscript.lines(c)).containsExactly("DNS compared same.example via 127.0.0.1:" + dns.port()
                    + ", 127.0.0.1:" + other.port() + ": the resolvers agree");
        }
    }

    @Test
    void aResolverThatTimesOutDisagreesWithOneThatAnswers() {
        dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "127.0.0.2");
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            ResolverComparison c = new DnsResolver(firing(IpVersion.V4_ONLY, null, dns.address()))
                    .compare("example.com", Kind.MX, List.of(dns.address(), hole.address()))
                    .orTimeout(5, TimeUnit.SECONDS).join();

            assertThat(c.differences().get(0)).startsWith("verdict differ: OK via 127.0.0.1:" + dns.port()
                    + "; DNS_FAILURE (the MX lookup for example.com failed: timeout from");
        }
    }

    @Test
    void systemModeReadsTheHostsFileForASingleHost(@TempDir Path dir) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.9 mail.internal.test\n::1 mail.internal.test\n");

        Resolution r = new DnsResolver(new DnsSettings(List.of(), TIMEOUT, IpVersion.PREFER_V4, null, SearchList.NONE,
                hosts))
                .resolve("mail.internal.test", Kind.HOST).orTimeout(5, TimeUnit.SECONDS).join();

        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.addresses()).containsExactly(ip("127.0.0.9"), ip("::1"));
        assertThat(r.resolvers()).containsExactly("hosts file");
        assertThat(r.detail()).endsWith("(from the hosts file)");
    }
}
