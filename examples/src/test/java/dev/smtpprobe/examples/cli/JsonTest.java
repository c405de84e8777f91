package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void theWholeResultSerialisesAndParsesBackToAnEqualValue() throws Exception {
        ProbeResult result = Results.okStartTls();
        String json = Json.write(result);

        ProbeResult back = Json.mapper().readValue(json, ProbeResult.class);
        assertThat(back).isEqualTo(result);
    }

    @Test
    void timesAreIsoStringsAndAddressesAreAddressesNotRememberedNames() throws Exception {
        JsonNode tree = Json.mapper().readTree(Json.write(Results.okStartTls()));

        assertThat(tree.get("verdict").asText()).isEqualTo("OK");
        assertThat(tree.get("startedAt").asText()).isEqualTo("2026-11-22T06:30:00.123Z");
        assertThat(tree.get("elapsed").asText()).isEqualTo("PT0.042S");
        JsonNode attempt = tree.get("attempts").get(0);
        assertThat(attempt.get("remote").asText()).isEqualTo("192.0.2.10:587");
        assertThat(attempt.get("local").asText()).isEqualTo("198.51.100.7:40112");
        assertThat(attempt.get("tls").get("peerCertificates").get(0).get("notAfter").asText()).isEqualTo("2027-01-31T00:00:00Z");
        assertThat(attempt.get("timings").get("STARTTLS").asText()).isEqualTo("PT0.025S");
        assertThat(attempt.get("transcript").get(1).get("text").asText()).isEqualTo("220 mx.example.net ESMTP");
    }

    @Test
    void addressesAreWrittenAsAddressesEvenWhenTheJdkRemembersAName() throws Exception {
        InetAddress v4 = InetAddress.getByAddress("mx.example.net", new byte[] {(byte) 192, 0, 2, 1});
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThat(Json.write(List.of(v4, v6))).isEqualToIgnoringWhitespace("[\"192.0.2.1\", \"2001:db8:0:0:0:0:0:1\"]");
        assertThat(Json.write(new InetSocketAddress(v6, 25))).isEqualTo("\"[2001:db8:0:0:0:0:0:1]:25\"");
        assertThat(Json.mapper().readValue("\"192.0.2.1\"", InetAddress.class)).isEqualTo(v4);
    }

    @Test
    void rejectionCarriesItsPolicyReasonAndEnhancedStatus() throws Exception {
        JsonNode tree = Json.mapper().readTree(Json.write(Results.blocklisted()));
        assertThat(tree.get("policyReason").asText()).isEqualTo("BLOCKLIST");
        assertThat(tree.get("attempts").get(0).get("greeting").get("enhancedStatus").get("subject").asInt()).isEqualTo(7);
        assertThat(Json.mapper().readValue(Json.write(Results.blocklisted()), ProbeResult.class)).isEqualTo(Results.blocklisted());
    }
}
