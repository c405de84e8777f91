package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code _smtp._tls} record (RFC 8460 §3), read from the testkit's DNS server on loopback. */
class TlsRptTest {

    private MockDnsServer dns;
    private TxtLookup lookup;

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        lookup = TxtLookup.using(dns.address(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void readsTheReportDestinations() throws Exception {
        dns.txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tlsrpt@example.test,",
                "https://reports.example.test/v1");
        dns.txt("_smtp._tls.example.test", "some other record");

        assertThat(TlsRpt.read("Example.Test.", lookup)).hasValueSatisfying(r -> assertThat(r.rua()).containsExactly(
                URI.create("mailto:tlsrpt@example.test"), URI.create("https://reports.example.test/v1")));
        assertThat(dns.queries("_smtp._tls.example.test")).isNotEmpty();
    }

    @Test
    void noRecordTwoRecordsOrNoUsableDestinationMeanNoTlsRpt() throws Exception {
        assertThat(TlsRpt.read("none.test", lookup)).isEmpty();

        dns.txt("_smtp._tls.two.test", "v=TLSRPTv1; rua=mailto:a@two.test");
        dns.txt("_smtp._tls.two.test", "v=TLSRPTv1; rua=mailto:b@two.test");
        assertThat(TlsRpt.read("two.test", lookup)).isEmpty();

        dns.txt("_smtp._tls.ftp.test", "v=TLSRPTv1; rua=ftp://reports.ftp.test/");
        assertThat(TlsRpt.read("ftp.test", lookup)).isEmpty();
    }

    @Test
    void aFailedLookupIsNotMistakenForNoRecord() {
        dns.behave("_smtp._tls.broken.test", MockDnsServer.Behaviour.SERVFAIL);

        assertThatThrownBy(() -> TlsRpt.read("broken.test", lookup)).isInstanceOf(TxtLookup.TxtLookupException.class)
                .hasMessageContaining("SERVFAIL");
    }
}
