package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * A {@link Dialogue} that records every call (and its thread) and runs scripted reactions: the client side of
 * the transport tests. {@link #awaitClosed()} also checks the SPI's ordering guarantees.
 */
final class RecordingDialogue implements Dialogue {

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<SmtpReply> replies = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger closedCount = new AtomicInteger();
    volatile Link link;
    /** System.nanoTime() of the onFailure call, or 0. */
    volatile long failedAtNanos;
    volatile SSLSession session;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    private Consumer<Link> onConnected = link -> { };
    private BiConsumer<Link, SmtpReply> onReply = (link, reply) -> { };
    private BiConsumer<Link, SSLSession> onTls = (link, session) -> { };

    RecordingDialogue whenConnected(Consumer<Link> action) {
        this.onConnected = action;
        return this;
    }

    RecordingDialogue whenReply(BiConsumer<Link, SmtpReply> action) {
        this.onReply = action;
        return this;
    }

    RecordingDialogue whenTls(BiConsumer<Link, SSLSession> action) {
        this.onTls = action;
        return this;
    }

    @Override
    public void onConnected(Link link) {
        enter("connected");
        this.link = link;
        try {
            onConnected.accept(link);
        } finally {
            leave();
        }
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        enter("tls");
        this.session = session;
        try {
            onTls.accept(link, session);
        } finally {
            leave();
        }
    }

    @Override
    public void onReply(SmtpReply reply) {
        enter("reply " + reply.code());
        replies.add(reply);
        try {
            onReply.accept(link, reply);
        } finally {
            leave();
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        failedAtNanos = System.nanoTime();
        // A transport's typed failure by its kind; timers, undecodable input and bugs by their type.
        enter("failure " + (cause instanceof TransportException te ? te.kind().name() : cause.getClass().getSimpleName()));
        failures.add(cause);
        leave();
    }

    @Override
    public void onClosed() {
        enter("closed");
        closedCount.incrementAndGet();
        leave();
        closed.countDown();
    }

    private void enter(String event) {
        if (!inCall.compareAndSet(false, true)) {
            violations.add("overlapping call: " + event);
        }
        if (closedCount.get() > 0) {
            violations.add("call after onClosed: " + event);
        }
        events.add(event);
        threads.add(Thread.currentThread());
    }

    private void leave() {
        inCall.set(false);
    }

    /**
     * Waits for onClosed, then checks the contract: onClosed exactly once and last, at most one failure, no
     * overlapping calls, onConnected at most once and first.
     */
    RecordingDialogue awaitClosed() throws InterruptedException {
        assertThat(closed.await(3, TimeUnit.SECONDS)).as("onClosed within 3 s; events " + events).isTrue();
        Thread.sleep(50); // anything arriving late would be a violation
        List<String> snapshot = new ArrayList<>(events);
        assertThat(violations).as("SPI violations").isEmpty();
        assertThat(closedCount.get()).as("onClosed calls").isEqualTo(1);
        assertThat(snapshot.get(snapshot.size() - 1)).isEqualTo("closed");
        assertThat(failures.size()).as("onFailure calls").isLessThanOrEqualTo(1);
        assertThat(snapshot.stream().filter("connected"::equals).count()).isLessThanOrEqualTo(1);
        if (snapshot.contains("connected")) {
            assertThat(snapshot.get(0)).isEqualTo("connected");
        }
        return this;
    }

    Throwable failure() {
        assertThat(failures).as("one failure; events " + events).hasSize(1);
        return failures.get(0);
    }
}
