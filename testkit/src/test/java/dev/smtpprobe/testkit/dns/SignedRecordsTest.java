package dev.smtpprobe.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * Pre-built and signed records ({@link MockDnsServer#records}, {@link SignedTestZone}) over a real UDP socket on
 * loopback: signatures only with the DO bit, and they verify against the zone's key.
 */
class SignedRecordsTest {

    private static final String OWNER = "_25._tcp.mx1.example.test";

    private MockDnsServer dns;
    private SignedTestZone zone;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        zone = new SignedTestZone("example.test").publishKey(dns);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message ask(String name, int type, boolean dnssecOk) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofMillis(400));
        if (dnssecOk) {
            resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        }
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, 1)));
    }

    @Test
    void signaturesComeOnlyWithTheDoBitAndVerifyAgainstTheZonesKey() throws Exception {
        zone.signedTlsa(dns, OWNER, 3, 1, 1, new byte[32]);

        List<Record> plain = ask(OWNER, Type.TLSA, false).getSection(Section.ANSWER);
        List<Record> signed = ask(OWNER, Type.TLSA, true).getSection(Section.ANSWER);
        List<Record> keys = ask("example.test", Type.DNSKEY, true).getSection(Section.ANSWER);

        assertThat(plain).singleElement().isInstanceOf(TLSARecord.class);
        assertThat(signed).hasSize(2).hasAtLeastOneElementOfType(RRSIGRecord.class);
        DNSKEYRecord key = (DNSKEYRecord) keys.stream().filter(r -> r instanceof DNSKEYRecord).findFirst()
                .orElseThrow();
        RRSIGRecord sig = (RRSIGRecord) signed.stream().filter(r -> r instanceof RRSIGRecord).findFirst()
                .orElseThrow();
        DNSSEC.verify(new RRset(signed.get(0)), sig, key); // throws when the signature does not verify
        assertThat(zone.trustAnchor()).matches("example\\.test\\.\\s+300\\s+IN\\s+DS\\s+" + key.getFootprint()
                + "\\s+13\\s+2\\s+" + new DSRecord(key.getName(), 1, 300, DNSSEC.Digest.SHA256, key)
                        .rdataToString().replaceAll(".* ", ""));
    }

    @Test
    void aForgedRecordDoesNotVerify() throws Exception {
        zone.forgedTlsa(dns, OWNER, 3, 1, 1, new byte[32]);

        List<Record> signed = ask(OWNER, Type.TLSA, true).getSection(Section.ANSWER);
        DNSKEYRecord key = (DNSKEYRecord) ask("example.test", Type.DNSKEY, true).getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof DNSKEYRecord).findFirst().orElseThrow();
        RRSIGRecord sig = (RRSIGRecord) signed.stream().filter(r -> r instanceof RRSIGRecord).findFirst()
                .orElseThrow();
        Record tlsa = signed.stream().filter(r -> r instanceof TLSARecord).findFirst().orElseThrow();

        assertThatThrownBy(() -> DNSSEC.verify(new RRset(tlsa), sig, key))
                .isInstanceOf(DNSSEC.DNSSECException.class);
    }

    @Test
    void nullRecordsAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> dns.records((Record[]) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("records");
        assertThatThrownBy(() -> dns.records((Record) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("records");
    }
}
