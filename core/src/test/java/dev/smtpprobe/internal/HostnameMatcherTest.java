package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.X509Bundle;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {

    static X509Bundle ca;

    @BeforeAll
    static void authority() throws Exception {
        ca = TlsHandshake.ca("Test CA");
    }

    static X509Certificate cert(String cn, String... names) throws Exception {
        return TlsHandshake.validServer(cn, names).buildIssuedBy(ca).getCertificate();
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "mx.example.net        | mx.example.net             | true",
            "MX.Example.NET        | mx.example.net             | true",
            "mx.example.net        | MX.EXAMPLE.NET             | true",
            "mx.example.net.       | mx.example.net             | true",
            "mx.example.net        | mx.example.net.            | true",
            "mx2.example.net       | mx.example.net             | false",
            "example.net           | mx.example.net             | false",
            "mx.example.net        | *.example.net              | true",
            "MX.EXAMPLE.NET        | *.Example.Net              | true",
            "example.net           | *.example.net              | false",
            "a.mx.example.net      | *.example.net              | false",
            ".example.net          | *.example.net              | false",
            "example.net           | *.net                      | false",
            "mx.net                | *.net                      | false",
            "mx.example.net        | m*.example.net             | false",
            "mx.example.net        | *x.example.net             | false",
            "mx.example.net        | mx.*.net                   | false",
            "mx.example.net        | *.*.net                    | false",
            "mx.example.net        | *                          | false",
            "xn--bcher-kva.example | xn--bcher-kva.example      | true",
            "bücher.example        | xn--bcher-kva.example      | true",
            "BÜCHER.example        | xn--bcher-kva.example      | true",
    })
    void matches_dns_names(String host, String san, boolean expected) throws Exception {
        assertThat(HostnameMatcher.matches(host, cert("ignored.example", san))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.25            | 192.0.2.25    | true",
            "[192.0.2.25]          | 192.0.2.25    | true",
            "192.0.2.26            | 192.0.2.25    | false",
            "2001:db8::25          | 2001:db8::25  | true",
            "2001:DB8:0:0:0:0:0:25 | 2001:db8::25  | true",
            "[IPv6:2001:db8::25]   | 2001:db8::25  | true",
            "[2001:db8::25]        | 2001:db8::25  | true",
            "2001:db8::26          | 2001:db8::25  | false",
    })
    void matches_ip_literals_against_ip_entries_only(String host, String sanIp, boolean expected) throws Exception {
        assertThat(HostnameMatcher.matches(host, cert("ignored.example", sanIp))).isEqualTo(expected);
    }

    @Test
    void an_ip_literal_never_matches_a_dns_entry_or_the_cn_spelling_it() throws Exception {
        // A certificate whose DNS name or CN reads "192.0.2.25" is not a certificate for that address.
        X509Certificate byCn = cert("192.0.2.25");
        X509Certificate dnsSpelled = TlsHandshake.validServer("x").addSanDnsName("192.0.2.25").buildIssuedBy(ca)
                .getCertificate();

        assertThat(HostnameMatcher.matches("192.0.2.25", byCn)).isFalse();
        assertThat(HostnameMatcher.matches("192.0.2.25", dnsSpelled)).isFalse();
    }

    @Test
    void a_dns_name_never_matches_an_ip_entry() throws Exception {
        assertThat(HostnameMatcher.matches("mx.example.net", cert("mx.example.net", "192.0.2.25"))).isFalse();
    }

    @Test
    void falls_back_to_the_cn_only_without_any_dns_name() throws Exception {
        assertThat(HostnameMatcher.matches("mx.example.net", cert("mx.example.net"))).isTrue();
        assertThat(HostnameMatcher.matches("mx.example.net", cert("*.example.net"))).isTrue();
        assertThat(HostnameMatcher.matches("mx.example.net", cert("other.example.net"))).isFalse();
        // With DNS names present, the CN is ignored even when it would match.
        assertThat(HostnameMatcher.matches("mx.example.net", cert("mx.example.net", "other.example.net"))).isFalse();
    }

    @Test
    void any_of_several_names_matches() throws Exception {
        X509Certificate c = cert("a", "a.example", "b.example", "*.c.example");

        assertThat(HostnameMatcher.matches("b.example", c)).isTrue();
        assertThat(HostnameMatcher.matches("x.c.example", c)).isTrue();
        assertThat(HostnameMatcher.matches("d.example", c)).isFalse();
    }

    @Test
    void nothing_matches_a_missing_host() throws Exception {
        X509Certificate c = cert("mx.example.net", "mx.example.net");

        assertThat(HostnameMatcher.matches(null, c)).isFalse();
        assertThat(HostnameMatcher.matches("", c)).isFalse();
        assertThat(HostnameMatcher.matches(" ", c)).isFalse();
        assertThat(HostnameMatcher.matches(".", c)).isFalse();
        assertThat(HostnameMatcher.matches("mx.example.net", null)).isFalse();
    }

    @Test
    void check_names_what_the_certificate_is_for() throws Exception {
        X509Certificate c = cert("a.example", "a.example", "b.example");

        assertThatThrownBy(() -> HostnameMatcher.check("mx.example.net", c))
                .isInstanceOf(HostnameMatcher.MismatchException.class)
                .hasMessage("certificate is for [a.example, b.example], not mx.example.net");
        HostnameMatcher.check("b.example", c);
        assertThat(HostnameMatcher.namesOf(cert("only.cn.example"))).containsExactly("CN=only.cn.example");
    }
}
