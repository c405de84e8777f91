package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run()} called from virtual threads (JDK 21+) never pins its carrier: the probe's waits (connect, replies,
 * the TLS handshake on the JDK-socket path) unmount the virtual thread, as the JDK's own blocking sockets do. Seen
 * by the JDK itself: a flight recording of every {@code jdk.VirtualThreadPinned} event (threshold 0) over a few
 * hundred plain and STARTTLS probes, each run on a virtual thread, must hold none from the probes. A control in the
 * same recording (a virtual thread that sleeps in a class initializer, which pins on every JDK) proves the
 * recording sees pinning.
 *
 * <p>One probe of each kind runs on a virtual thread before the recording starts: loading and initializing a class
 * pins the virtual thread that does it (and those waiting for it), once per class and JVM. That is the JVM's
 * start-up, not a probe's wait, and whether it shows here would depend on the tests that ran before in this JVM.
 *
 * <p>The code is compiled for release 17, so virtual threads are reached by reflection; on JDK 17 to 20 the test is
 * skipped, with the reason.
 */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class VirtualThreadsTest {

    private static final int PLAIN_PROBES = 200;
    private static final int TLS_PROBES = 100;
    /** Probes in flight at once: enough to share the carriers, few enough for a loaded build machine. */
    private static final int IN_FLIGHT = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Sleeps in its static initializer: a virtual thread initializing it is pinned for that long. */
    static final class PinsWhileInitializing {
        static {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    /** Counts the phase events that did not run on a virtual thread. */
    private static final class NotVirtual implements ProbeListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
            check();
        }

        @Override
        public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
            check();
        }

        private void check() {
            if (!isVirtual(Thread.currentThread())) {
                count.incrementAndGet();
            }
        }
    }

    @Test
    void runFromVirtualThreadsNeverPinsACarrier(@TempDir Path dir) throws Exception {
        assumeTrue(Runtime.version().feature() >= 21,
                "virtual threads need JDK 21 or later; this JVM is " + Runtime.version());
        TestCertificates certs = TestCertificates.shared();
        Script plain = Script.greeting("220 mx.test ESMTP").ehlo("mx.test");
        Script startTls = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .onStartTls(certs.valid().tls());
        NotVirtual notVirtual = new NotVirtual();
        Path file = dir.resolve("pinned.jfr");
        List<ProbeResult> results = new ArrayList<>();

        try (MockSmtpServer plainServer = new MockSmtpServer().withoutRecording().start(plain);
                MockSmtpServer tlsServer = new MockSmtpServer().withoutRecording().start(startTls);
                Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
            try {
                SmtpProbe plainProbe = SmtpProbe.to("127.0.0.1").port(plainServer.port()).tls(TlsMode.NONE)
                        .ehloName("probe.test").connectTimeout(TIMEOUT).greetingTimeout(TIMEOUT)
                        .replyTimeout(TIMEOUT).listener(notVirtual).build();
                SmtpProbe tlsProbe = SmtpProbe.to("127.0.0.1").port(tlsServer.port())
                        .tls(TlsMode.STARTTLS_REQUIRED).trustManager(certs.trustManager()).verifyHostname(false)
                        .ehloName("probe.test").connectTimeout(TIMEOUT).greetingTimeout(TIMEOUT)
                        .replyTimeout(TIMEOUT).listener(notVirtual).build();
                for (SmtpProbe warmUp : List.of(plainProbe, tlsProbe)) {
                    ProbeResult r = virtualThreads.submit(warmUp::run).get(60, TimeUnit.SECONDS);
                    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK);
                }

                recording.start();
                virtualThreads.submit(PinsWhileInitializing::touch).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                List<Future<ProbeResult>> futures = new ArrayList<>();
                for (int i = 0; i < PLAIN_PROBES + TLS_PROBES; i++) {
                    SmtpProbe probe = i % 3 == 2 ? tlsProbe : plainProbe; // interleaved: 2 plain, 1 STARTTLS
                    Callable<ProbeResult> task = () -> {
                        inFlight.acquire();
                        try {
                            return probe.run();
                        } finally {
                            inFlight.release();
                        }
                    };
                    futures.add(virtualThreads.submit(task));
                }
                for (Future<ProbeResult> f : futures) {
                    results.add(f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                virtualThreads.shutdown();
                assertThat(virtualThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            recording.stop();
            recording.dump(file);
        }

        assertThat(results).hasSize(PLAIN_PROBES + TLS_PROBES);
        assertThat(results).allSatisfy(r -> assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.OK));
        assertThat(results.stream().filter(r -> r.tls() != null).count()).as("STARTTLS probes")
                .isEqualTo(TLS_PROBES);
        assertThat(notVirtual.count).as("phase events off the virtual threads").hasValue(0);

        List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .collect(Collectors.toList());
        assertThat(pinned).as("the control: a virtual thread sleeping in a class initializer is pinned")
                .anyMatch(e -> stack(e).contains(PinsWhileInitializing.class.getName()));
        List<String> byProbes = pinned.stream().map(VirtualThreadsTest::stack)
                .filter(s -> !s.contains(PinsWhileInitializing.class.getName()))
                .collect(Collectors.toList());
        assertThat(byProbes).as("jdk.VirtualThreadPinned events during the probes, with their stacks").isEmpty();
    }

    private static String stack(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return "(no stack trace)";
        }
        return event.getStackTrace().getFrames().stream().map(VirtualThreadsTest::frame)
                .collect(Collectors.joining("\n  at ", "pinned " + event.getDuration().toMillis() + " ms\n  at ", ""));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} (JDK 21+), by reflection: this code targets release 17. */
    private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** {@code Thread.isVirtual()} (JDK 21+), by reflection. */
    private static boolean isVirtual(Thread thread) {
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
