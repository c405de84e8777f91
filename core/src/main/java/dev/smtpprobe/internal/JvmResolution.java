package dev.smtpprobe.internal;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Resolution;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JVM's own resolution of a host ({@link InetAddress#getAllByName}, what an application's mail library uses),
 * to compare with the probe's DNS: when they differ, the application would connect elsewhere than the probe did.
 *
 * <p>{@code getAllByName} blocks (glibc's resolver, or an installed {@code InetAddressResolverProvider}), so it runs
 * on a small bounded pool of daemon threads, never on a transport's or the caller's thread; a lookup that waited in
 * the queue past its limit is not made. This class is threadsafe.
 */
final class JvmResolution {

    private static final LazyLogger log = new LazyLogger(JvmResolution.class);

    /** Lookups at once; more wait in the queue. */
    private static final int THREADS = 2;
    /** Lookups waiting; beyond that, a probe skips the comparison rather than queue without bound. */
    private static final int QUEUE = 64;

    private static final ThreadPoolExecutor POOL = pool();

    /**
     * What the JVM answered.
     *
     * @param addresses the addresses, in the JVM's order; empty when it failed
     * @param error     why it failed ({@link UnknownHostException} and its message), or empty
     * @param elapsed   how long the lookup took
     */
    public record Answer(List<InetAddress> addresses, String error, Duration elapsed) {
        public Answer {
            addresses = List.copyOf(addresses);
        }
    }

    private JvmResolution() {
    }

    private static ThreadPoolExecutor pool() {
        return DaemonPool.of("smtp-probe-jvm-resolve-", THREADS, new ArrayBlockingQueue<>(QUEUE));
    }

    /**
     * Starts {@code InetAddress.getAllByName(host)} on the pool. The future completes with the answer, or with
     * {@code null} when the lookup did not finish within {@code limit} (or could not be queued); never
     * exceptionally.
     */
    public static CompletableFuture<Answer> lookup(String host, Duration limit, Ticker ticker) {
        return lookup(host, limit, InetAddress::getAllByName, ticker);
    }

    /** How the JVM is asked: {@link InetAddress#getAllByName}; tests stand in a slow one. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    static CompletableFuture<Answer> lookup(String host, Duration limit, Lookup jvm, Ticker ticker) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        try {
            POOL.execute(() -> {
                if (answer.isDone()) {
                    return; // waited in the queue past its limit: nobody wants the answer any more
                }
                long t0 = ticker.read();
                Answer a;
                try {
                    a = new Answer(Arrays.asList(jvm.all(host)), "", since(ticker, t0));
                } catch (UnknownHostException e) {
                    a = new Answer(List.of(), "UnknownHostException: " + e.getMessage(), since(ticker, t0));
                } catch (RuntimeException e) {
                    a = new Answer(List.of(), e.getClass().getSimpleName() + ": " + e.getMessage(), since(ticker, t0));
                }
                answer.complete(a);
            });
        } catch (RejectedExecutionException e) {
            log.get().debug("the JVM's resolution of {} was skipped: {} lookups already wait", host, QUEUE);
            answer.complete(null);
            return answer;
        }
        return answer.completeOnTimeout(null, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Duration since(Ticker ticker, long t0) {
        return Duration.ofNanos(ticker.read() - t0);
    }

    /**
     * A {@link HintCode#JVM_RESOLVES_DIFFERENTLY} hint when the JVM's answer would send the application elsewhere
     * than the probe went: addresses the probe's DNS did not give, no address where the probe found some, or
     * addresses where the probe's DNS found none. The JVM's addresses of a family {@code ipVersion} excludes are
     * left out; a name the probe resolved only through its search list is no difference (the JVM applies the same
     * list).
     *
     * @param host   the host as given
     * @param probe  the probe's resolution of it
     * @param jvm    the JVM's answer, or {@code null} when there is none (timed out, skipped)
     */
    public static Optional<Hint> compare(String host, Resolution probe, Answer jvm, IpVersion ipVersion) {
        if (jvm == null) {
            return Optional.empty();
        }
        Set<String> ours = new LinkedHashSet<>();
        probe.addresses().forEach(a -> ours.add(a.getHostAddress()));
        List<String> theirs = new ArrayList<>();
        jvm.addresses().stream().filter(ipVersion::allows).forEach(a -> {
            String text = a.getHostAddress();
            if (!theirs.contains(text)) {
                theirs.add(text);
            }
        });
        String asked = "InetAddress.getAllByName(\"" + host + "\") -> "
                + (jvm.error().isEmpty() ? theirs.toString() : jvm.error()) + " in " + jvm.elapsed().toMillis() + " ms";
        String found = "the probe's DNS: " + (probe.isOk() ? ours.toString() : probe.verdict() + " (" + probe.detail()
                + ")");
        List<String> evidence = List.of(asked, found);
        if (probe.isOk() && !jvm.error().isEmpty()) {
            return Optional.of(new Hint(HintCode.JVM_RESOLVES_DIFFERENTLY, "The JVM cannot resolve " + host
                    + ", though the probe's DNS did: the application, which resolves through the JVM, would fail"
                    + " before connecting. Check /etc/nsswitch.conf, a -Djdk.net.hosts.file option and any"
                    + " InetAddressResolverProvider of the application.", evidence));
        }
        if (!probe.isOk() && !theirs.isEmpty()) {
            return Optional.of(new Hint(HintCode.JVM_RESOLVES_DIFFERENTLY, "The JVM resolves " + host + " to "
                    + String.join(", ", theirs) + " where the probe's DNS found none: the application would connect"
                    + " there. Probe that address to test the application's path (SmtpProbe.to(\"" + theirs.get(0)
                    + "\")), and find which source answers (hosts file, nsswitch.conf, -Djdk.net.hosts.file).",
                    evidence));
        }
        List<String> elsewhere = theirs.stream().filter(a -> !ours.contains(a)).collect(Collectors.toList());
        if (probe.isOk() && !elsewhere.isEmpty()) {
            return Optional.of(new Hint(HintCode.JVM_RESOLVES_DIFFERENTLY, "The JVM resolves " + host + " to "
                    + String.join(", ", elsewhere) + ", which the probe's DNS did not give: the application would"
                    + " connect elsewhere than the probe did. Find which source answers the JVM (hosts file,"
                    + " nsswitch.conf, -Djdk.net.hosts.file, a cached answer) and probe that address too.",
                    evidence));
        }
        return Optional.empty();
    }
}
