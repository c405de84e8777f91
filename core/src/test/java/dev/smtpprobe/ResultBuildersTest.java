package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The builders are the only way to make an {@link Attempt} or a {@link ProbeResult} outside the engine. */
class ResultBuildersTest {

    private static Attempt.Builder attempt(int port, Verdict verdict, Phase phase) throws Exception {
        return Attempt.builder().host("mx.example").remote(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), port))
                .tlsMode(TlsMode.STARTTLS).verdict(verdict).phase(phase).startedAt(Instant.EPOCH)
                .elapsed(Duration.ofMillis(3));
    }

    @Test
    void anAttemptHasDefaultsForEverythingOptional() throws Exception {
        Attempt a = attempt(25, Verdict.CONNECTION_REFUSED, Phase.CONNECT).build();

        assertThat(a.detail()).isEmpty();
        assertThat(a.capabilities()).isSameAs(Capabilities.NONE);
        assertThat(a.timings()).isEmpty();
        assertThat(a.transcript()).isEmpty();
        assertThat(a.recipients()).isEmpty();
        assertThat(a.local()).isNull();
        assertThat(a.auth()).isNull();
    }

    @Test
    void aCopyThroughToBuilderIsEqualAndAChangedOneIsNot() throws Exception {
        Attempt a = attempt(25, Verdict.GREETING_TIMEOUT, Phase.GREETING).detail("no banner")
                .lastReply(SmtpReply.of(421, "busy")).build();

        assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toBuilder().verdict(Verdict.TLS_MODE_MISMATCH).build()).isNotEqualTo(a);
        ProbeResult r = ProbeResult.builder().target("mx.example").ports(List.of(25)).verdict(a.verdict())
                .phase(a.phase()).startedAt(Instant.EPOCH).elapsed(Duration.ZERO).attempts(List.of(a)).build();
        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toBuilder().detail("other").build()).isNotEqualTo(r);
    }

    @Test
    void derivedHintsAreMadeOnceOnTheFirstReadAndThenAreTheResultsOwn() throws Exception {
        AtomicInteger derivations = new AtomicInteger();
        Hint hint = new Hint(HintCode.REJECT_VS_DROP, "refused, not dropped", List.of("port 25 refused"));
        ProbeResult r = ProbeResult.builder().target("mx.example").ports(List.of(25))
                .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT).startedAt(Instant.EPOCH)
                .elapsed(Duration.ZERO).derivedHints(() -> {
                    derivations.incrementAndGet();
                    return new ArrayList<>(List.of(hint));
                }).build();

        assertThat(derivations).hasValue(0);
        assertThat(r.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(derivations).as("reading the verdict derives no hint").hasValue(0);

        // Eight threads read at once: one derivation, one list for all.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Hint>>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(pool.submit(() -> {
                    go.await();
                    return r.hints();
                }));
            }
            go.countDown();
            for (Future<List<Hint>> read : reads) {
                assertThat(read.get()).containsExactly(hint).isSameAs(r.hints());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(derivations).hasValue(1);
        assertThatThrownBy(() -> r.hints().add(hint)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toBuilder().build().hints()).containsExactly(hint);
        assertThat(derivations).hasValue(1);
    }

    @Test
    void aListOfHintsReplacesADerivationAndTheOtherWayRound() {
        Hint hint = new Hint(HintCode.REJECT_VS_DROP, "refused, not dropped", List.of());
        ProbeResult.Builder b = ProbeResult.builder().target("mx.example").ports(List.of(25))
                .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT).startedAt(Instant.EPOCH)
                .elapsed(Duration.ZERO);

        assertThat(b.derivedHints(() -> List.of(hint)).hints(List.of()).build().hints()).isEmpty();
        assertThat(b.hints(List.of()).derivedHints(() -> List.of(hint)).build().hints()).containsExactly(hint);
        assertThatThrownBy(() -> b.derivedHints(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("derivation");
    }

    @Test
    void theDetailIsMadePrintableLikeTheEnginesOwn() throws Exception {
        Attempt a = attempt(25, Verdict.PROTOCOL_ERROR, Phase.EHLO).detail("bad\r\nline").build();
        assertThat(a.detail()).doesNotContain("\r", "\n");
    }

    @Test
    void aMissingRequiredValueIsNamedAtBuild() throws Exception {
        assertThatThrownBy(() -> Attempt.builder().host("mx.example").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("remote is not set");
        assertThatThrownBy(() -> ProbeResult.builder().target("example.com").ports(List.of(25)).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("verdict is not set");
    }

    @Test
    void aNullForAValueThatCannotBeNullIsRejectedAtOnce() {
        assertThatThrownBy(() -> Attempt.builder().verdict(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("verdict");
        assertThatThrownBy(() -> ProbeResult.builder().attempts(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("attempts");
    }

    @Test
    void withoutADecidingIndexTheEnginesRuleChooses() throws Exception {
        Attempt refused = attempt(25, Verdict.CONNECTION_REFUSED, Phase.CONNECT).build();
        Attempt rejected = attempt(587, Verdict.SMTP_PERMANENT_REJECTION, Phase.EHLO).build();
        ProbeResult.Builder b = ProbeResult.builder().target("mx.example").ports(List.of(25, 587))
                .verdict(Verdict.SMTP_PERMANENT_REJECTION).phase(Phase.EHLO).startedAt(Instant.EPOCH)
                .elapsed(Duration.ZERO).attempts(List.of(refused, rejected));

        assertThat(b.build().decidingIndex()).isEqualTo(1); // got furthest
        assertThat(b.build().decidingAttempt()).isEqualTo(rejected);
        assertThat(b.decidingIndex(0).build().decidingAttempt()).isEqualTo(refused);
        assertThatThrownBy(() -> b.decidingIndex(2).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decidingIndex");
        assertThat(ProbeResult.builder().target("nowhere.invalid").ports(List.of(25))
                .verdict(Verdict.DNS_NO_SUCH_DOMAIN).phase(Phase.RESOLVE).startedAt(Instant.EPOCH)
                .elapsed(Duration.ZERO).build().decidingIndex()).isEqualTo(-1);
    }
}
