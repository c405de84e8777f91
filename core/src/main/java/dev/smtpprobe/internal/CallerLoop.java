package dev.smtpprobe.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The waiting caller's thread as the executor of its probe's connections ({@code SmtpProbe.run()}): tasks may be
 * submitted from any thread (the caller's own, a resolver's callback, a timer) and all run on the caller's thread,
 * one after another, while it waits for the result. So a synchronous probe does its I/O where it waits, as a
 * blocking socket would, with no thread hand-off per connection.
 */
public final class CallerLoop implements Executor {

    private static final LazyLogger log = new LazyLogger(CallerLoop.class);
    private static final Runnable WAKE = () -> { };
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the submitted tasks on this thread until {@code result} completes, then returns its value. A task that
     * throws is a bug in it: logged by the future that observes it, never allowed to stop the loop.
     */
    public <T> T runUntil(CompletableFuture<T> result) {
        result.whenComplete((r, e) -> tasks.add(WAKE));
        boolean interrupted = false;
        while (!result.isDone()) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                interrupted = true; // keep serving the probe: its deadline bounds the wait; restore the flag after
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.get().error("a task of a synchronous probe threw", e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result.join();
    }
}
