package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.JvmResolution.Answer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When the JVM's own answer for a host would send the application elsewhere than the probe went. The answers are
 * values here; {@code SystemResolutionTest} (netty-transport) has the JVM answer for real in a child JVM.
 */
class JvmResolutionTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Resolution found(String... addresses) {
        List<InetAddress> list = java.util.Arrays.stream(addresses).map(JvmResolutionTest::ip).toList();
        return new Resolution("relay", "relay", Kind.HOST, Verdict.OK, "relay.example.test " + list,
                List.of(new MailHost("relay.example.test", 0, false, list, List.of())), List.of(), Duration.ZERO);
    }

    private static Resolution notFound() {
        return new Resolution("relay", "relay", Kind.HOST, Verdict.DNS_NO_SUCH_DOMAIN, "relay does not exist",
                List.of(new MailHost("relay", 0, false, List.of(), List.of("does not exist (NXDOMAIN)"))), List.of(),
                Duration.ZERO);
    }

    private static Answer jvm(String... addresses) {
        return new Answer(java.util.Arrays.stream(addresses).map(JvmResolutionTest::ip).toList(), "",
                Duration.ofMillis(2));
    }

    private static Optional<Hint> compare(Resolution probe, Answer jvm) {
        return JvmResolution.compare("relay", probe, jvm, IpVersion.ANY);
    }

    @Test
    void theSameAddressesOrFewerAreNoDifference() {
        assertThat(compare(found("127.0.0.5"), jvm("127.0.0.5"))).isEmpty();
        assertThat(compare(found("127.0.0.5", "::1"), jvm("::1", "127.0.0.5"))).isEmpty();
        assertThat(compare(found("127.0.0.5", "127.0.0.6"), jvm("127.0.0.6"))).isEmpty();
    }

    @Test
    void noAnswerAndBothFailingAreNoHint() {
        assertThat(compare(found("127.0.0.5"), null)).isEmpty();
        assertThat(compare(notFound(), new Answer(List.of(), "UnknownHostException: relay", Duration.ZERO))).isEmpty();
    }

    @Test
    void anAddressTheProbeDidNotGetIsAHint() {
        Hint hint = compare(found("127.0.0.5"), jvm("127.0.0.9", "127.0.0.5")).orElseThrow();

        assertThat(hint.code()).isEqualTo(HintCode.JVM_RESOLVES_DIFFERENTLY);
        assertThat(hint.message()).startsWith("The JVM resolves relay to 127.0.0.9, which the probe's DNS did not give");
        assertThat(hint.evidence()).containsExactly("InetAddress.getAllByName(\"relay\") -> [127.0.0.9, 127.0.0.5] in 2 ms",
                "the probe's DNS: [127.0.0.5]");
    }

    @Test
    void aFamilyTheProbeDoesNotUseIsLeftOut() {
        assertThat(JvmResolution.compare("relay", found("127.0.0.5"), jvm("127.0.0.5", "::1"), IpVersion.V4_ONLY))
                .isEmpty();
        assertThat(compare(found("127.0.0.5"), jvm("127.0.0.5", "::1"))).isPresent();
    }

    @Test
    void theJvmFailingWhereTheProbeResolvedIsAHint() {
        Hint hint = compare(found("127.0.0.5"), new Answer(List.of(), "UnknownHostException: relay", Duration.ZERO))
                .orElseThrow();

        assertThat(hint.message()).startsWith("The JVM cannot resolve relay, though the probe's DNS did");
        assertThat(hint.evidence().get(0)).isEqualTo("InetAddress.getAllByName(\"relay\") -> UnknownHostException: relay"
                + " in 0 ms");
    }

    @Test
    void theJvmResolvingWhereTheProbeFoundNothingIsAHint() {
        Hint hint = compare(notFound(), jvm("127.0.0.3")).orElseThrow();

        assertThat(hint.message()).startsWith("The JVM resolves relay to 127.0.0.3 where the probe's DNS found none");
        assertThat(hint.evidence().get(1)).isEqualTo("the probe's DNS: DNS_NO_SUCH_DOMAIN (relay does not exist)");
    }

    @Test
    void aLookupThatDoesNotAnswerWithinItsLimitIsLeftOutNotWaitedFor() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try {
            CompletableFuture<Answer> answer = JvmResolution.lookup("relay", Duration.ofMillis(200), host -> {
                try {
                    release.await(); // a resolver that hangs, as glibc does on an unreachable name server
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new InetAddress[] {ip("127.0.0.5")};
            }, Ticker.SYSTEM);

            assertThat(answer.orTimeout(5, TimeUnit.SECONDS).join()).isNull();
        } finally {
            release.countDown();
        }
    }

    @Test
    void theLookupRunsOffTheCallersThreadAndAnswers() {
        Thread caller = Thread.currentThread();
        Thread[] ran = new Thread[1];
        Answer a = JvmResolution.lookup("127.0.0.1", Duration.ofSeconds(5), host -> {
            ran[0] = Thread.currentThread();
            return InetAddress.getAllByName(host);
        }, Ticker.SYSTEM).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(a.addresses()).containsExactly(ip("127.0.0.1"));
        assertThat(a.error()).isEmpty();
        assertThat(ran[0]).isNotSameAs(caller);
        assertThat(ran[0].getName()).startsWith("smtp-probe-jvm-resolve-");
        assertThat(ran[0].isDaemon()).isTrue();
    }

    @Test
    void theLookupTimesItselfOnTheProbesTicker() {
        AtomicLong now = new AtomicLong(-5_000_000_000L); // any origin, even a negative one
        Answer a = JvmResolution.lookup("127.0.0.1", Duration.ofSeconds(5), host -> {
            now.addAndGet(Duration.ofMillis(42).toNanos()); // the lookup "takes" 42 ms of the ticker's time
            return new InetAddress[] {ip("127.0.0.1")};
        }, now::get).orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(a.elapsed()).isEqualTo(Duration.ofMillis(42));
    }
}
