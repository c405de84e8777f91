package dev.smtpprobe.internal;

import dev.smtpprobe.ProbeInterruptedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The waiting caller's thread as the executor of its probe's connections ({@code SmtpProbe.run()}): tasks may be
 * submitted from any thread (the caller's own, a resolver's callback, a timer) and all run on the caller's thread,
 * one after another, while it waits for the result. So a synchronous probe does its I/O where it waits, as a
 * blocking socket would, with no thread hand-off per connection.
 *
 * <p>The caller stays in charge: an interrupt stops the probe (its result future is cancelled, which closes its
 * connections) and surfaces as {@link ProbeInterruptedException} with the interrupt status kept. A transport call
 * that overstays the deadline is woken by {@link #rescue()} with an interrupt of its own, which is cleared again
 * when the call returns.
 */
public final class CallerLoop implements Executor {

    private static final LazyLogger log = new LazyLogger(CallerLoop.class);
    /**
     * The tasks. A lock-free queue and a park of the waiting thread, not a blocking queue: most tasks are queued by
     * the waiting thread itself and need no wake-up, and a probe makes no locks and conditions of its own.
     */
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The thread in {@link #runUntil}, to wake when another thread queues a task; {@code null} before. */
    private volatile Thread waiter;
    /** The thread inside a blocking transport call ({@link #runBlocking}), or {@code null}; guarded by this. */
    private Thread blocked;
    /** Whether {@link #rescue()} interrupted {@link #blocked}; guarded by this. */
    private boolean rescued;

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Wakes the waiting thread, unless it is the caller (it looks at the queue before it parks again). */
    private void wake() {
        Thread t = waiter;
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Runs the submitted tasks on this thread until {@code result} completes, then returns its value. A task that
     * throws is a bug in it: logged by the future that observes it, never allowed to stop the loop.
     *
     * @param host the host of the probe the caller waits for, named by the exception ("the probe of HOST"), whose
     *             message is made only if it is thrown
     * @throws ProbeInterruptedException when this thread is interrupted (before or while waiting): {@code result}
     *                                   is cancelled first, and the interrupt status stays set
     */
    public <T> T runUntil(CompletableFuture<T> result, String host) {
        waiter = Thread.currentThread();
        result.whenComplete((r, e) -> wake());
        while (true) {
            // Before the result: a connection that an interrupt closed may have completed it with a made-up end.
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(result, host, new InterruptedException());
            }
            if (result.isDone()) {
                return result.join();
            }
            Runnable task = tasks.poll();
            if (task == null) {
                // A task queued or a result completed after the poll has unparked this thread already, so the park
                // returns at once; an interrupt also ends it, and the loop looks again.
                LockSupport.park(this);
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.get().error("a task of a synchronous probe threw", e);
            }
        }
    }

    private static ProbeInterruptedException interrupted(CompletableFuture<?> result, String host,
                                                         InterruptedException e) {
        result.cancel(true); // stops the probe: its connections close, no new one opens
        return new ProbeInterruptedException("the probe of " + host, e);
    }

    /**
     * Runs a blocking transport call on this thread so that {@link #rescue()} can wake it. An interrupt that
     * {@code rescue()} made is cleared when the call returns; the caller's own interrupt stays.
     */
    void runBlocking(Runnable call) {
        synchronized (this) {
            blocked = Thread.currentThread();
        }
        try {
            call.run();
        } finally {
            synchronized (this) {
                blocked = null;
                if (rescued) {
                    rescued = false;
                    Thread.interrupted(); // ours, not the caller's: the probe goes on to its result
                }
            }
        }
    }

    /**
     * Interrupts this loop's thread if it is inside a transport call ({@link #runBlocking}): the deadline passed and
     * the transport did not return. The transport contract says an interrupt ends {@code runPipeOnCallingThread}.
     */
    void rescue() {
        synchronized (this) {
            if (blocked != null && !rescued) {
                rescued = true;
                blocked.interrupt();
            }
        }
    }
}
