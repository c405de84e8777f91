package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Ticker;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A resolution and each of its queries are timed on the settings' ticker. */
class DnsTickerTest {

    @Test
    void aResolutionAndItsQueriesAreTimedOnTheSettingsTicker() {
        // Each reading is an hour after the previous one: no real query takes that long.
        AtomicLong now = new AtomicLong();
        Ticker hourly = () -> now.addAndGet(Duration.ofHours(1).toNanos());
        try (MockDnsServer dns = MockDnsServer.start()) {
            dns.a("relay.example.test", "127.0.0.7");
            DnsSettings settings = new DnsSettings(List.of(dns.address()), Duration.ofSeconds(5), IpVersion.V4_ONLY,
                    null, SearchList.NONE, null, hourly);

            Resolution r = new DnsResolver(settings).resolve("relay.example.test", Kind.HOST)
                    .orTimeout(10, TimeUnit.SECONDS).join();

            assertThat(r.verdict()).isEqualTo(Verdict.OK);
            assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofHours(1));
            assertThat(r.lookups()).isNotEmpty();
            for (DnsLookup lookup : r.lookups()) {
                assertThat(lookup.elapsed()).as(lookup.toString()).isGreaterThanOrEqualTo(Duration.ofHours(1));
            }
        }
    }
}
