package dev.smtpprobe.transport.testkit;

import dev.smtpprobe.spi.Pipe;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * A {@link PipeHandler} that records every call (and its thread), copies the bytes it is given (a transport's
 * buffer is valid only during the call) and runs scripted reactions. {@link #awaitClosed()} checks the order of
 * events the SPI promises: {@code onConnected} at most once and first, at most one {@code onError}, calls never
 * overlapping, {@code onClosed} exactly once and last. Threadsafe.
 */
public final class RecordingPipeHandler implements PipeHandler {

    /** Each call, in order: {@code connected}, {@code bytes}, {@code tls}, {@code error KIND}, {@code closed}. */
    public final List<String> events = new CopyOnWriteArrayList<>();
    /** The thread of each call, in order. */
    public final List<Thread> threads = new CopyOnWriteArrayList<>();
    /** The errors reported. */
    public final List<TransportException> errors = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean inCall = new AtomicBoolean();
    private volatile Pipe pipe;
    private volatile SSLSession session;
    private volatile int closedCalls;

    private Consumer<Pipe> onConnected = pipe -> { };
    private BiConsumer<Pipe, String> onText = (pipe, all) -> { };
    private Consumer<Pipe> onTls = pipe -> { };

    /**
     * Runs {@code reaction} in {@code onConnected}.
     *
     * @param reaction what to do with the pipe when it connects, e.g. write a command
     * @return this handler
     */
    public RecordingPipeHandler whenConnected(Consumer<Pipe> reaction) {
        this.onConnected = reaction;
        return this;
    }

    /**
     * Runs {@code reaction} after each {@code onBytes} with everything received so far, as ISO-8859-1 text.
     *
     * @param reaction called with the pipe and all text received so far, e.g. to answer once a line is complete
     * @return this handler
     */
    public RecordingPipeHandler whenText(BiConsumer<Pipe, String> reaction) {
        this.onText = reaction;
        return this;
    }

    /**
     * Runs {@code reaction} in {@code onTlsEstablished}.
     *
     * @param reaction what to do with the pipe once the TLS handshake is done
     * @return this handler
     */
    public RecordingPipeHandler whenTls(Consumer<Pipe> reaction) {
        this.onTls = reaction;
        return this;
    }

    @Override
    public void onConnected(Pipe pipe) {
        enter("connected");
        try {
            if (this.pipe != null || events.size() > 1) {
                violations.add("onConnected not first or twice: " + events);
            }
            this.pipe = pipe;
            onConnected.accept(pipe);
        } finally {
            leave();
        }
    }

    @Override
    public void onBytes(ByteBuffer bytes) {
        enter("bytes");
        try {
            String all;
            synchronized (received) {
                while (bytes.hasRemaining()) {
                    received.write(bytes.get());
                }
                all = received.toString(StandardCharsets.ISO_8859_1);
            }
            onText.accept(pipe, all);
        } finally {
            leave();
        }
    }

    @Override
    public void onTlsEstablished(SSLSession session) {
        enter("tls");
        try {
            this.session = session;
            synchronized (received) {
                received.reset(); // what comes next is what TLS carried
            }
            onTls.accept(pipe);
        } finally {
            leave();
        }
    }

    @Override
    public void onError(TransportException error) {
        enter("error " + error.kind());
        try {
            if (!errors.isEmpty()) {
                violations.add("a second onError: " + error);
            }
            errors.add(error);
        } finally {
            leave();
        }
    }

    @Override
    public void onClosed() {
        enter("closed");
        try {
            closedCalls++;
        } finally {
            leave();
            closed.countDown();
        }
    }

    /**
     * Waits for {@code onClosed} (at most 10 s), then checks the order of events.
     *
     * @return this handler, for further checks
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws AssertionError when it did not come or the order was broken
     */
    public RecordingPipeHandler awaitClosed() throws InterruptedException {
        if (!closed.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("onClosed not called within 10 s; events: " + events);
        }
        Thread.sleep(20); // anything (wrongly) reported after onClosed shows up now
        if (closedCalls != 1) {
            violations.add("onClosed called " + closedCalls + " times");
        }
        if (!events.get(events.size() - 1).equals("closed")) {
            violations.add("onClosed not last: " + events);
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("contract broken: " + violations);
        }
        return this;
    }

    /**
     * Whether {@code onClosed} came within {@code timeout}.
     *
     * @param timeout how long to wait
     * @return {@code true} when {@code onClosed} was called within {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean closedWithin(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@return the pipe given to {@code onConnected}, or {@code null}} */
    public Pipe pipe() {
        return pipe;
    }

    /** {@return the session given to {@code onTlsEstablished}, or {@code null}} */
    public SSLSession session() {
        return session;
    }

    /** {@return what was received (since TLS came up, once it did), as ISO-8859-1 text} */
    public String text() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** {@return the only error reported} */
    public TransportException error() {
        if (errors.size() != 1) {
            throw new AssertionError("expected one error, got " + errors + "; events: " + events);
        }
        return errors.get(0);
    }

    /** {@return the events without the {@code bytes} ones (how a peer's bytes are split is the network's choice)} */
    public List<String> eventsWithoutBytes() {
        List<String> out = new ArrayList<>(events);
        out.removeIf("bytes"::equals);
        return out;
    }

    private void enter(String event) {
        if (!inCall.compareAndSet(false, true)) {
            violations.add("overlapping calls at " + event);
        }
        if (closedCalls > 0) {
            violations.add(event + " after onClosed");
        }
        events.add(event);
        threads.add(Thread.currentThread());
    }

    private void leave() {
        inCall.set(false);
    }
}
