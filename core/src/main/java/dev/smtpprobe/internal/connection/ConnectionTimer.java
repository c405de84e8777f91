package dev.smtpprobe.internal.connection;

import dev.smtpprobe.spi.Pipe;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one timer of a {@link Connection}: the reply timeout, the TLS handshake timeout and the maximum lifetime are
 * due times on the pipe's clock ({@link Pipe#nanoTime()}), and at most one task is scheduled on the pipe, at the
 * earliest of them. Arming a later due time, disarming and re-arming schedule nothing: the task, when it fires,
 * ends the connection for what is due or aims itself at what is due next. A connection that gets its replies in
 * time so schedules one task and cancels it at the end, where a timer per reply scheduled and cancelled one per
 * command (BENCHMARKS.md, issue 18).
 *
 * <p>A task scheduled from another thread than the pipe's may close a blocking transport's connection to run on
 * time ({@link Pipe#schedule}), so such a task is replaced as soon as the pipe's thread can, and cancelled when
 * nothing is due: only a task that ends the connection is ever left scheduled from another thread. Threadsafe.
 */
final class ConnectionTimer {

    /** What a due time is for, in the order they are looked at when due together. */
    enum Kind {
        LIFETIME, HANDSHAKE, REPLY
    }

    private static final Runnable NOTHING = () -> { };
    private static final Kind[] KINDS = Kind.values();

    private final Pipe pipe;
    private final BooleanSupplier onPipeThread;
    private final Consumer<Kind> expired;
    private final Consumer<Runnable> inCallback;
    private final long[] due = new long[KINDS.length];
    private final boolean[] armed = new boolean[KINDS.length];
    // The task scheduled on the pipe, if any.
    private boolean scheduled;
    private long scheduledDue;
    private boolean scheduledElsewhere;
    /** Counts the tasks scheduled: a task that is not the latest one does nothing. */
    private long generation;
    private Runnable cancel = NOTHING;
    /** Set while a batch of changes is made (see {@link #hold}): the task is aimed once, after it. */
    private boolean held;

    /**
     * @param pipe runs the task, and its clock measures the due times
     * @param onPipeThread whether the calling thread is the pipe's (a handler call or one of its timers)
     * @param expired called with what fell due, outside the timer's lock, on the pipe's thread
     * @param inCallback wraps the task as a handler call of the connection
     */
    ConnectionTimer(Pipe pipe, BooleanSupplier onPipeThread, Consumer<Kind> expired, Consumer<Runnable> inCallback) {
        this.pipe = pipe;
        this.onPipeThread = onPipeThread;
        this.expired = expired;
        this.inCallback = inCallback;
    }

    /** Makes {@code kind} due {@code timeout} from now, replacing its earlier due time. */
    synchronized void arm(Kind kind, Duration timeout) {
        due[kind.ordinal()] = pipe.nanoTime() + Math.max(1, timeout.toNanos());
        armed[kind.ordinal()] = true;
        aim();
    }

    /** {@code kind} is no longer due. */
    synchronized void disarm(Kind kind) {
        armed[kind.ordinal()] = false;
        aim();
    }

    /** Nothing is due any more: cancels the task. */
    synchronized void stop() {
        Arrays.fill(armed, false);
        held = false;
        cancelTask();
    }

    /** Holds the task while {@code changes} run (on the pipe's thread), then aims it once. */
    void hold(Runnable changes) {
        synchronized (this) {
            held = true;
        }
        try {
            changes.run();
        } finally {
            synchronized (this) {
                held = false;
                aim();
            }
        }
    }

    /** Points the task at the earliest due time, unless it already fires by then (from the pipe's thread). */
    private void aim() {
        if (held) {
            return;
        }
        int next = earliest();
        boolean here = onPipeThread.getAsBoolean();
        if (next < 0) {
            if (scheduledElsewhere) {
                cancelTask();
            }
            return;
        }
        long when = due[next];
        if (scheduled && scheduledDue - when <= 0 && !(scheduledElsewhere && here)) {
            return; // fires in time; it aims itself at what is left when it does
        }
        cancelTask();
        scheduled = true;
        scheduledDue = when;
        scheduledElsewhere = !here;
        long delay = Math.max(0, when - pipe.nanoTime());
        Long task = ++generation; // boxed: a lambda capturing a long spins a method-handle form at first use
        cancel = pipe.schedule(() -> inCallback.accept(() -> fire(task)), Duration.ofNanos(delay));
    }

    private void fire(long task) {
        Kind fired = null;
        synchronized (this) {
            if (!scheduled || task != generation) {
                return; // replaced or stopped since
            }
            scheduled = false;
            cancel = NOTHING;
            // The scheduler says the task's time has come: a clock or a delay of coarser grain (milliseconds) must
            // not make it look early, and aim it again and again at the same instant.
            long now = pipe.nanoTime();
            if (now - scheduledDue < 0) {
                now = scheduledDue;
            }
            for (Kind k : KINDS) {
                if (armed[k.ordinal()] && due[k.ordinal()] - now <= 0) {
                    armed[k.ordinal()] = false;
                    fired = k;
                    break;
                }
            }
            if (fired == null) {
                aim();
                return;
            }
        }
        expired.accept(fired);
    }

    private int earliest() {
        int next = -1;
        for (int i = 0; i < KINDS.length; i++) {
            if (armed[i] && (next < 0 || due[i] - due[next] < 0)) {
                next = i;
            }
        }
        return next;
    }

    private void cancelTask() {
        Runnable c = cancel;
        scheduled = false;
        scheduledElsewhere = false;
        cancel = NOTHING;
        c.run();
    }
}
