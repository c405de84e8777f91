package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.ProbeListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the probe does to the session itself, over real loopback sockets: it waits for a slow banner and says so,
 * never writes before the complete 220, keeps one connection per destination in a batch, tells a 421 about
 * connection counts apart, retries greylisting when asked, and shows the EHLO name it used.
 */
class SessionFindingsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.NONE).transport(new BlockingTransport())
                .ehloName("client.test").connectTimeout(WAIT).greetingTimeout(WAIT).replyTimeout(WAIT)
                .deadline(Duration.ofSeconds(10)).confirmTlsMode(false);
    }

    private static List<HintCode> codes(ProbeResult r) {
        return r.hints().stream().map(Hint::code).toList();
    }

    // ---- slow banners -------------------------------------------------------------------------------------------

    @Test
    void the_default_greeting_timeout_stays_above_postscreens_six_seconds() {
        assertThat(SmtpProbe.DEFAULT_GREETING_TIMEOUT).isGreaterThanOrEqualTo(Duration.ofSeconds(12));
        assertThat(SessionHints.SLOW_BANNER).isLessThan(Duration.ofSeconds(6));
    }

    /**
     * A postscreen-like server: silent for 2.2 s, then a multi-line 220 a few bytes at a time; after every piece it
     * checks that the client has written nothing. Only after the last line may EHLO come.
     */
    @Test
    void a_slow_multi_line_banner_is_waited_for_and_reported_and_nothing_is_written_before_it_ends() throws Exception {
        AtomicBoolean wroteEarly = new AtomicBoolean();
        List<String> received = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(5000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    Thread.sleep(2200);
                    String banner = "220-mx.test ESMTP postscreen-like\r\n220-please wait\r\n220 mx.test ready\r\n";
                    byte[] bytes = banner.getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < bytes.length; i += 7) {
                        out.write(bytes, i, Math.min(7, bytes.length - i));
                        out.flush();
                        Thread.sleep(15);
                        boolean complete = i + 7 >= bytes.length;
                        if (!complete && in.available() > 0) {
                            wroteEarly.set(true);
                        }
                    }
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                    String line;
                    while ((line = reader.readLine()) != null) {
                        received.add(line);
                        if (line.startsWith("EHLO")) {
                            out.write("250 mx.test\r\n".getBytes(StandardCharsets.US_ASCII));
                        } else if (line.equals("QUIT")) {
                            out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                            break;
                        }
                        out.flush();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            ProbeResult result = probe(listener.getLocalPort()).build().run();
            server.get(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);

            assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
            assertThat(wroteEarly).as("the client wrote before the complete 220").isFalse();
            assertThat(received).startsWith("EHLO client.test");
            assertThat(result.greeting().lines()).hasSize(3);
            Hint slow = result.hints().stream().filter(h -> h.code() == HintCode.SLOW_BANNER).findFirst().orElseThrow();
            assertThat(slow.message()).startsWith("slow banner: 2.").contains("postscreen");
            assertThat(result.report()).contains("[SLOW_BANNER] slow banner: 2.");
        }
    }

    @Test
    void a_paused_dripped_banner_from_the_scripted_server_is_a_finding_too() {
        Loopback run = Loopback.probe(Script.greeting(Effect.pause(Duration.ofMillis(2100)),
                Effect.drip(Duration.ofMillis(2), "220-mx.test tarpit", "220 ready")));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.commands()).startsWith("EHLO client.test");
        assertThat(codes(run.result)).contains(HintCode.SLOW_BANNER);
    }

    @Test
    void a_prompt_banner_is_no_finding() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP"));

        assertThat(codes(run.result)).doesNotContain(HintCode.SLOW_BANNER);
    }

    // ---- 421 and our own concurrency ----------------------------------------------------------------------------

    @Test
    void a_421_that_names_connection_counts_says_it_may_be_our_own_concurrency() {
        Loopback run = Loopback.probe(Script.greeting("421 4.7.0 Too many concurrent SMTP connections from this IP"
                + " address; please try again later"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        Hint own = run.result.hints().stream().filter(h -> h.code() == HintCode.OWN_CONCURRENCY).findFirst()
                .orElseThrow();
        assertThat(own.message()).contains("concurrency, not by a policy against you", "perDestination");
        assertThat(own.evidence().get(0)).contains("Too many concurrent SMTP connections");
    }

    @Test
    void a_421_about_something_else_is_not_blamed_on_concurrency() {
        Loopback run = Loopback.probe(Script.greeting("421 4.3.2 System shutting down"));

        assertThat(codes(run.result)).doesNotContain(HintCode.OWN_CONCURRENCY);
    }

    /** Samples how many connections the server has open while the batch runs. */
    private static int maxOpenDuring(MockSmtpServer server, Runnable batch) throws Exception {
        AtomicInteger max = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                max.accumulateAndGet(server.openConnectionCount(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            batch.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        return max.get();
    }

    @Test
    void a_batch_keeps_one_connection_per_destination_by_default() throws Exception {
        Script slow = Script.greeting(Effect.pause(Duration.ofMillis(300)), Effect.reply("220 mx.test ESMTP"));
        try (MockSmtpServer server = new MockSmtpServer().start(slow)) {
            // Connections this client holds open at once: from its connect until its probe's result (which comes
            // after the close). The server's own count also holds a connection until it has read the client's
            // close, which may come after the next probe connected: it bounds the overlap, but that lag is the
            // server's, not the client's.
            AtomicInteger open = new AtomicInteger();
            AtomicInteger maxClientOpen = new AtomicInteger();
            ProbeListener counter = new ProbeListener() {
                @Override
                public void phaseStart(ProbeRun run, Phase phase, AttemptId attempt) {
                    if (phase == Phase.CONNECT) {
                        maxClientOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    }
                }

                @Override
                public void probeEnd(ProbeRun run, ProbeResult result) {
                    open.decrementAndGet();
                }
            };
            List<SmtpProbe> probes = List.of(probe(server.port()).listener(counter).build(),
                    probe(server.port()).listener(counter).build(), probe(server.port()).listener(counter).build());
            BatchResult[] batch = new BatchResult[1];

            int max = maxOpenDuring(server, () -> batch[0] = SmtpProbe.batch(probes).concurrency(3).run());

            assertThat(batch[0].allOk()).as(batch[0].summary()).isTrue();
            assertThat(server.connectionCount()).isEqualTo(3);
            assertThat(maxClientOpen).as("connections open at once, client side").hasValue(1);
            assertThat(max).as("open at once as the server counts them, closes read late included").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void a_batch_may_be_allowed_more_connections_per_destination() throws Exception {
        Script slow = Script.greeting(Effect.pause(Duration.ofMillis(400)), Effect.reply("220 mx.test ESMTP"));
        try (MockSmtpServer server = new MockSmtpServer().start(slow)) {
            List<SmtpProbe> probes = List.of(probe(server.port()).build(), probe(server.port()).build(),
                    probe(server.port()).build());
            BatchResult[] batch = new BatchResult[1];

            int max = maxOpenDuring(server, () -> batch[0] = SmtpProbe.batch(probes).concurrency(3).perDestination(3)
                    .run());

            assertThat(batch[0].allOk()).isTrue();
            assertThat(max).isGreaterThan(1);
        }
    }

    @Test
    void per_destination_is_checked() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test"))) {
            List<SmtpProbe> probes = List.of(probe(server.port()).build());
            assertThatIllegalArgumentException().isThrownBy(() -> SmtpProbe.batch(probes).perDestination(0))
                    .withMessageStartingWith("perDestination must be 1..256");
        }
    }

    // ---- greylisting --------------------------------------------------------------------------------------------

    private static final String FROM = "probe@client.test";

    private static Script greylisting() {
        return Script.greeting("220 mx.test ESMTP").rcpt("a@mx.test",
                "450 4.2.0 <a@mx.test>: Recipient address rejected: Greylisted, try again in 1 seconds");
    }

    @Test
    void with_the_retry_a_greylisted_recipient_is_deliverable_after_greylisting() {
        try (MockSmtpServer server = new MockSmtpServer().start(greylisting(), Script.greeting("220 mx.test ESMTP"))) {
            ProbeResult result = probe(server.port()).envelope(FROM, "a@mx.test").greylistRetry(Duration.ofSeconds(5))
                    .build().run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.attempts()).hasSize(2);
            Attempt first = result.attempts().get(0);
            Attempt retry = result.attempts().get(1);
            assertThat(first.policyReason()).isEqualTo(PolicyReason.GREYLISTED);
            // The server asked for 1 s: the retry waited that long, not the 5 s allowed.
            Duration waited = Duration.between(first.startedAt().plus(first.elapsed()), retry.startedAt());
            assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofMillis(4000));
            assertThat(server.connectionCount()).isEqualTo(2);
            Hint hint = result.hints().stream().filter(h -> h.code() == HintCode.GREYLISTED_THEN_ACCEPTED).findFirst()
                    .orElseThrow();
            assertThat(hint.message()).startsWith("deliverable after greylisting");
            assertThat(result.report()).contains("deliverable after greylisting");
        }
    }

    @Test
    void without_the_retry_greylisting_is_reported_as_it_is() {
        try (MockSmtpServer server = new MockSmtpServer().start(greylisting(), Script.greeting("220 mx.test ESMTP"))) {
            ProbeResult result = probe(server.port()).envelope(FROM, "a@mx.test").build().run();

            assertThat(result.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
            assertThat(result.policyReason()).isEqualTo(PolicyReason.GREYLISTED);
            assertThat(result.attempts()).hasSize(1);
            assertThat(codes(result)).doesNotContain(HintCode.GREYLISTED_THEN_ACCEPTED);
        }
    }

    @Test
    void a_retry_that_does_not_fit_in_the_deadline_is_not_made() {
        Script longWait = Script.greeting("220 mx.test ESMTP").rcpt("a@mx.test",
                "451 4.7.1 Greylisting in action, please come back in 00:05:00");
        try (MockSmtpServer server = new MockSmtpServer().start(longWait, Script.greeting("220 mx.test ESMTP"))) {
            long start = System.nanoTime();
            ProbeResult result = probe(server.port()).envelope(FROM, "a@mx.test").greylistRetry(Duration.ofMinutes(10))
                    .deadline(Duration.ofSeconds(5)).build().run();

            assertThat(result.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
            assertThat(result.attempts()).hasSize(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void the_delay_a_greylisting_reply_names_is_read() {
        assertThat(Greylisting.hintedDelay(SmtpReply.of(450, "Greylisted, try again in 60 seconds")))
                .hasValue(Duration.ofSeconds(60));
        assertThat(Greylisting.hintedDelay(SmtpReply.of(451, "Greylisting in action, please come back in 00:05:00")))
                .hasValue(Duration.ofMinutes(5));
        assertThat(Greylisting.hintedDelay(SmtpReply.of(450, "greylisted for 5 minutes"))).hasValue(Duration.ofMinutes(5));
        assertThat(Greylisting.hintedDelay(SmtpReply.of(450, "Greylisted, see http://postgrey.schweikert.ch/help/a.html")))
                .isEmpty();
        assertThat(Greylisting.hintedDelay(SmtpReply.of(450, "4.2.0 greylisted by host 10.0.0.1 port 25"))).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> SmtpProbe.to("mx.test").greylistRetry(Duration.ZERO))
                .withMessageContaining("greylistRetry");
    }

    // ---- the EHLO name ------------------------------------------------------------------------------------------

    @Test
    void the_result_shows_the_configured_ehlo_name() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP"));

        assertThat(run.attempt.ehloName()).hasValue("client.test");
        assertThat(run.result.ehloName()).hasValue("client.test");
        assertThat(run.result.report()).contains("EHLO name:       client.test");
    }

    @Test
    void the_default_ehlo_name_is_this_hosts_own_never_the_targets() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.recipient.test ESMTP"))) {
            ProbeResult result = SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE)
                    .transport(new BlockingTransport()).deadline(Duration.ofSeconds(10)).confirmTlsMode(false)
                    .build().run();
            String sent = server.takeConnection(WAIT).commands().get(0);

            String name = result.ehloName().orElseThrow();
            assertThat(sent).isEqualTo("EHLO " + name);
            assertThat(name).isEqualTo(EhloName.defaultFor(result.localAddress()));
            assertThat(name).isNotEqualTo("mx.recipient.test").doesNotContain("recipient.test");
        }
    }

    @Test
    void an_attempt_that_never_reached_ehlo_has_no_ehlo_name() {
        Loopback run = Loopback.probe(Script.greeting("554 5.7.1 go away"));

        assertThat(run.attempt.ehloName()).isEmpty();
        assertThat(run.result.report()).doesNotContain("EHLO name:");
    }
}
