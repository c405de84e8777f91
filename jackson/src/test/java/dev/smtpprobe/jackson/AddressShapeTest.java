package dev.smtpprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.Attempt;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Phase;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Addresses are the addresses, never a host name the JDK remembers for them, and sub-millisecond durations keep
 * their microseconds. Constructed values: the serializers are pure code over them (the real-socket cases are in
 * {@link SmtpProbeModuleTest}).
 */
class AddressShapeTest {

    @Test
    void addressesAreWrittenAsAddressesEvenWhenTheJdkRemembersAName() throws Exception {
        InetAddress v4 = InetAddress.getByAddress("mx.example.net", new byte[] {(byte) 192, 0, 2, 1});
        InetAddress v6 = InetAddress.getByAddress("mx6.example.net", InetAddress.getByName("2001:db8::1").getAddress());
        MailHost host = new MailHost("mx.example.net", 10, false, List.of(v4, v6), List.of());

        JsonNode tree = Schemas.MAPPER.readTree(Schemas.write(host));

        assertThat(tree.get("addresses").get(0).asText()).isEqualTo("192.0.2.1");
        assertThat(tree.get("addresses").get(1).asText()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void socketAddressesPutIpv6InBracketsAndDurationsKeepMicroseconds() throws Exception {
        InetAddress v6 = InetAddress.getByAddress("mx6.example.net", InetAddress.getByName("2001:db8::1").getAddress());
        Attempt attempt = Attempt.builder().host("mx6.example.net").remote(new InetSocketAddress(v6, 25))
                .local(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40112)).tlsMode(TlsMode.STARTTLS)
                .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT).detail("refused")
                .startedAt(Instant.parse("2026-11-22T06:30:00Z")).elapsed(Duration.ofNanos(138_105_507))
                .timings(Map.of(Phase.CONNECT, Duration.ofNanos(250_400)))
                .transcript(List.of(new TranscriptLine(Duration.ofMillis(3), TranscriptLine.Direction.INFO, "x")))
                .build();

        JsonNode tree = Schemas.MAPPER.readTree(Schemas.write(attempt));

        assertThat(tree.get("remote").asText()).isEqualTo("[2001:db8:0:0:0:0:0:1]:25");
        assertThat(tree.get("local").asText()).isEqualTo("[2001:db8:0:0:0:0:0:7]:40112");
        assertThat(tree.get("elapsedMs").decimalValue()).isEqualByComparingTo("138.105");
        assertThat(tree.get("timingsMs").get("CONNECT").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(tree.get("transcript").get(0).get("offsetMs").isIntegralNumber()).isTrue();
        assertThat(tree.get("startedAt").asText()).isEqualTo("2026-11-22T06:30:00Z");
    }
}
