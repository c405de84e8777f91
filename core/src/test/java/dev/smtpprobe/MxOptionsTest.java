package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The MX, resolver and port-sweep options of the builder: validated at once, copied on build. */
class MxOptionsTest {

    @Test
    void targetsAreValidatedAtOnceNamingTheArgument() {
        assertThatThrownBy(() -> SmtpProbe.mx(" ")).hasMessage("domain must not be blank");
        assertThatThrownBy(() -> SmtpProbe.mx(null)).hasMessage("domain must not be null");
        assertThatThrownBy(() -> SmtpProbe.mx("bad domain.example")).hasMessageStartingWith("domain has a character");
        assertThatThrownBy(() -> SmtpProbe.to("bad host.example")).hasMessageStartingWith("host has a character");
        assertThat(SmtpProbe.mx("bücher.example").build().kind()).isEqualTo(Resolution.Kind.MX);
        assertThat(SmtpProbe.mx("[192.0.2.1]").build().host()).isEqualTo("[192.0.2.1]");
        assertThat(SmtpProbe.to("mx.example.net").build().kind()).isEqualTo(Resolution.Kind.HOST);
    }

    @Test
    void portsAreValidatedAndEachGetsItsDefaultTlsMode() {
        var b = SmtpProbe.mx("example.com");
        assertThatThrownBy(() -> b.ports()).hasMessageContaining("ports");
        assertThatThrownBy(() -> b.ports(25, 0)).hasMessageContaining("ports must be 1..65535");
        assertThatThrownBy(() -> b.ports(25, 25)).hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> b.ports(new int[17])).hasMessageContaining("1..16");

        SmtpProbe sweep = SmtpProbe.mx("example.com").ports(25, 587, 465, 2525).build();

        assertThat(sweep.ports()).containsExactly(25, 587, 465, 2525);
        assertThat(sweep.port()).isEqualTo(25);
        assertThat(sweep.ports()).extracting(sweep::tlsModeFor)
                .containsExactly(TlsMode.STARTTLS, TlsMode.STARTTLS, TlsMode.IMPLICIT, TlsMode.STARTTLS);
        SmtpProbe forced = SmtpProbe.mx("example.com").ports(25, 465).tls(TlsMode.NONE).build();
        assertThat(forced.tlsModeFor(465)).isEqualTo(TlsMode.NONE);
        assertThat(SmtpProbe.mx("example.com").ports(25, 587).port(465).build().ports()).containsExactly(465);
    }

    @Test
    void resolversAreAddressLiteralsWithAnOptionalPort() throws Exception {
        SmtpProbe p = SmtpProbe.mx("example.com").resolver("192.0.2.53").resolver("192.0.2.54:5353")
                .resolver("[2001:db8::53]:5300").resolver("2001:db8::54").resolver("198.51.100.53", 1053).build();

        assertThat(p.resolvers()).containsExactly(
                new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53),
                new InetSocketAddress(InetAddress.getByName("192.0.2.54"), 5353),
                new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 5300),
                new InetSocketAddress(InetAddress.getByName("2001:db8::54"), 53),
                new InetSocketAddress(InetAddress.getByName("198.51.100.53"), 1053));
        var b = SmtpProbe.mx("example.com");
        assertThatThrownBy(() -> b.resolver("dns.example.net")).hasMessageStartingWith("resolver must be an IP address literal");
        assertThatThrownBy(() -> b.resolver("192.0.2.53:0")).hasMessageStartingWith("resolver must be an IP address literal");
        assertThatThrownBy(() -> b.resolver("192.0.2.53", 70000)).hasMessageStartingWith("resolver port");
        assertThatThrownBy(() -> b.resolver((String) null)).hasMessage("resolver must not be null");
        assertThatThrownBy(() -> b.resolver(InetSocketAddress.createUnresolved("dns.example", 53)))
                .hasMessageStartingWith("resolver must be a resolved address");
    }

    @Test
    void dnsOptionsAreBounded() {
        var b = SmtpProbe.mx("example.com");
        assertThatThrownBy(() -> b.dnsTimeout(Duration.ZERO)).hasMessageContaining("dnsTimeout");
        assertThatThrownBy(() -> b.dnsTimeout(2, TimeUnit.MINUTES)).hasMessageContaining("dnsTimeout must be at most 1 minute");
        assertThatThrownBy(() -> b.ipVersion(null)).hasMessage("ipVersion must not be null");
        assertThatThrownBy(() -> b.compareResolvers("192.0.2.53")).hasMessageContaining("at least two");
        assertThatThrownBy(() -> b.compareResolvers("192.0.2.53", "resolver.example")).hasMessageContaining("compareResolvers");
        assertThatThrownBy(() -> SmtpProbe.to("::1").ipVersion(IpVersion.V4_ONLY).build())
                .hasMessageContaining("ipVersion V4_ONLY excludes the address literal ::1");

        SmtpProbe p = SmtpProbe.mx("example.com").dnsTimeout(300, TimeUnit.MILLISECONDS).ipVersion(IpVersion.V6_ONLY)
                .allAttempts().shuffleSeed(7).compareResolvers("192.0.2.53", "192.0.2.54:5353").build();

        assertThat(p.dnsTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(p.ipVersion()).isEqualTo(IpVersion.V6_ONLY);
        assertThat(p.allAttempts()).isTrue();
        assertThat(p.shuffleSeed()).hasValue(7);
        assertThat(p.comparedResolvers()).hasSize(2);
        SmtpProbe defaults = SmtpProbe.mx("example.com").build();
        assertThat(defaults.dnsTimeout()).isEqualTo(SmtpProbe.DEFAULT_DNS_TIMEOUT);
        assertThat(defaults.ipVersion()).isEqualTo(IpVersion.ANY);
        assertThat(defaults.allAttempts()).isFalse();
        assertThat(defaults.resolvers()).isEmpty();
        assertThat(defaults.shuffleSeed()).isEmpty();
    }

    @Test
    void aBuiltProbeKeepsItsResolversAndPorts() {
        SmtpProbe.Builder b = SmtpProbe.mx("example.com").resolver("192.0.2.53").ports(25, 587);
        SmtpProbe built = b.build();

        b.resolver("192.0.2.54").ports(2525);

        assertThat(built.resolvers()).hasSize(1);
        assertThat(built.ports()).containsExactly(25, 587);
        assertThatThrownBy(() -> built.ports().add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void batchesAreValidated() {
        assertThatThrownBy(() -> SmtpProbe.batch(List.of())).hasMessageContaining("probes must not be empty");
        assertThatThrownBy(() -> SmtpProbe.batch(List.of(), SmtpProbe::mx)).hasMessageContaining("targets");
        assertThatThrownBy(() -> SmtpProbe.batch(List.of("a.example"), null)).hasMessageContaining("configure");
        assertThatThrownBy(() -> SmtpProbe.batch(List.of("a.example"), d -> null)).hasMessageContaining("configure returned null");
        var batch = SmtpProbe.batch(List.of("a.example", "b.example"), SmtpProbe::mx);
        assertThatThrownBy(() -> batch.concurrency(0)).hasMessageContaining("concurrency");
        assertThat(batch.probes()).extracting(SmtpProbe::host).containsExactly("a.example", "b.example");
    }
}
