package dev.smtpprobe.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.testkit.dns.MockDnsServer.Behaviour;
import dev.smtpprobe.testkit.dns.MockDnsServer.Protocol;
import dev.smtpprobe.testkit.dns.MockDnsServer.Query;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The test DNS server answers like an authoritative server, over real UDP and TCP sockets on loopback. */
class MockDnsServerTest {

    private MockDnsServer dns;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message ask(String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofMillis(400));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, 1)));
    }

    @Test
    void answersMxRecordsWithTheirPreferencesAndTtl() throws IOException {
        dns.ttl(120).mx("example.com", 20, "mx2.example.com").mx("example.com", 10, "mx1.example.com");

        Message m = ask("Example.COM", Type.MX);

        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        List<Record> answers = m.getSection(Section.ANSWER);
        assertThat(answers).hasSize(2);
        assertThat(answers).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(120));
        assertThat(answers).extracting(r -> ((MXRecord) r).getPriority()).containsExactly(20, 10);
        assertThat(dns.queries()).containsExactly(new Query("example.com", "MX", Protocol.UDP));
    }

    @Test
    void txtRecordsKeepTheirStringsInOrder() throws IOException {
        dns.txt("_mta-sts.example.test", "v=STSv1; ", "id=1;").txt("_mta-sts.example.test", "other");

        List<Record> answers = ask("_mta-sts.example.test", Type.TXT).getSection(Section.ANSWER);

        assertThat(answers).extracting(r -> ((TXTRecord) r).getStrings())
                .containsExactly(List.of("v=STSv1; ", "id=1;"), List.of("other"));
        assertThatThrownBy(() -> dns.txt("x.example", "a".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strings");
    }

    @Test
    void nullMxIsPreferenceZeroAndTheRootName() throws IOException {
        dns.nullMx("nomail.example");

        MXRecord mx = (MXRecord) ask("nomail.example", Type.MX).getSection(Section.ANSWER).get(0);

        assertThat(mx.getPriority()).isZero();
        assertThat(mx.getTarget()).isEqualTo(Name.root);
    }

    @Test
    void servesTlsaRecordsAndTheAdFlagOnlyForAuthenticatedNames() throws IOException {
        byte[] digest = new byte[32];
        digest[0] = 0x5a;
        dns.tlsa("_25._tcp.mx.example", 3, 1, 1, digest).tlsa("_25._tcp.plain.example", 2, 0, 2, new byte[64])
                .authenticated("_25._tcp.mx.example").authenticated("_25._tcp.gone.example");

        Message signed = ask("_25._tcp.mx.example", Type.TLSA);
        Message plain = ask("_25._tcp.plain.example", Type.TLSA);
        Message deniedSigned = ask("_25._tcp.gone.example", Type.TLSA);

        TLSARecord tlsa = (TLSARecord) signed.getSection(Section.ANSWER).get(0);
        assertThat(tlsa.getCertificateUsage()).isEqualTo(3);
        assertThat(tlsa.getSelector()).isEqualTo(1);
        assertThat(tlsa.getMatchingType()).isEqualTo(1);
        assertThat(tlsa.getCertificateAssociationData()).isEqualTo(digest);
        assertThat(signed.getHeader().getFlag(Flags.AD)).isTrue();
        assertThat(plain.getSection(Section.ANSWER)).hasSize(1);
        assertThat(plain.getHeader().getFlag(Flags.AD)).isFalse();
        assertThat(deniedSigned.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(deniedSigned.getHeader().getFlag(Flags.AD)).isTrue();
        dns.behave("_25._tcp.mx.example", Behaviour.SERVFAIL);
        assertThat(ask("_25._tcp.mx.example", Type.TLSA).getHeader().getFlag(Flags.AD)).isFalse();
        assertThatThrownBy(() -> dns.tlsa("_25._tcp.x.example", 256, 1, 1, digest))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage");
        assertThatThrownBy(() -> dns.tlsa("_25._tcp.x.example", 3, 1, 1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
    }

    @Test
    void unknownNameIsNxdomainAndAKnownNameWithoutTheTypeIsNodata() throws IOException {
        dns.a("host.example", "127.0.0.2").exists("empty.example");

        assertThat(ask("missing.example", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        Message nodata = ask("host.example", Type.AAAA);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        assertThat(ask("empty.example", Type.MX).getRcode()).isEqualTo(Rcode.NOERROR);
        // An empty non-terminal exists: a name below it owns records.
        dns.a("a.b.parent.example", "127.0.0.3");
        assertThat(ask("b.parent.example", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void followsCnameInsideTheZone() throws IOException {
        dns.cname("alias.example", "real.example").aaaa("real.example", "::1");

        List<Record> answers = ask("alias.example", Type.AAAA).getSection(Section.ANSWER);

        assertThat(answers.get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(((AAAARecord) answers.get(1)).getAddress()).isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void behavioursOverrideTheZone() throws IOException {
        dns.a("x.example", "127.0.0.2")
                .behave("x.example", Behaviour.SERVFAIL)
                .behave("x.example", "AAAA", Behaviour.REFUSED)
                .behave("gone.example", Behaviour.NXDOMAIN);

        assertThat(ask("x.example", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(ask("x.example", Type.AAAA).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask("gone.example", Type.MX).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void garbageIsNotADnsAnswer() {
        dns.behave("hostile.example", Behaviour.GARBAGE);

        assertThatThrownBy(() -> ask("hostile.example", Type.A)).isInstanceOf(IOException.class);
        assertThat(dns.queries("hostile.example")).isNotEmpty();
    }

    @Test
    void silentNameIsNeverAnswered() {
        dns.a("slow.example", "127.0.0.2").behave("slow.example", Behaviour.SILENT);

        assertThatThrownBy(() -> ask("slow.example", Type.A)).isInstanceOf(IOException.class)
                .hasMessageContaining("Timed out");
        assertThat(dns.queries("slow.example")).isNotEmpty();
    }

    @Test
    void truncatedUdpAnswerMakesTheClientRetryOverTcp() throws IOException {
        dns.mx("big.example", 10, "mx.big.example").behave("big.example", Behaviour.TRUNCATE);

        Message m = ask("big.example", Type.MX);

        assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.queries("big.example")).extracting(Query::protocol).containsExactly(Protocol.UDP, Protocol.TCP);
    }

    @Test
    void answerTooBigForUdpIsTruncatedThenServedOverTcp() throws IOException {
        // 100 A records need about 1.6 kB: more than the 1232 bytes of EDNS the server allows over UDP.
        for (int i = 1; i <= 100; i++) {
            dns.a("many.example", "127.0.1." + i);
        }

        Message m = ask("many.example", Type.A);

        assertThat(m.getSection(Section.ANSWER)).hasSize(100);
        assertThat(dns.queries("many.example")).extracting(Query::protocol).contains(Protocol.TCP);
    }

    @Test
    void blackHoleSwallowsQueries() throws Exception {
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            SimpleResolver resolver = new SimpleResolver(hole.address());
            resolver.setTimeout(Duration.ofMillis(300));

            assertThatThrownBy(() -> resolver.send(Message.newQuery(
                    Record.newRecord(Name.fromString("a.example."), Type.A, 1))))
                    .isInstanceOf(IOException.class).hasMessageContaining("Timed out");
            assertThat(hole.received()).isPositive();
        }
    }

    @Test
    void closeReleasesThePort() throws Exception {
        int port = dns.port();
        dns.close();

        try (java.net.DatagramSocket again = new java.net.DatagramSocket(port, InetAddress.getLoopbackAddress());
             java.net.ServerSocket tcpAgain = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
            assertThat(tcpAgain.getLocalPort()).isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("mock-dns-" + port) && t.isAlive());
    }

    @Test
    void rejectsBadZoneData() {
        assertThatThrownBy(() -> dns.a("h.example", "::1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address");
        assertThatThrownBy(() -> dns.mx(" ", 10, "mx.example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain");
        assertThatThrownBy(() -> MockDnsServer.start(InetAddress.getByName("192.0.2.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bindAddress");
    }
}
