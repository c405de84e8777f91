package dev.smtpprobe;

/**
 * Thrown by {@link SmtpProbe#run()} and {@link ProbeBatch#run()} when the waiting thread is interrupted: an
 * interrupt is the caller's decision, not a network outcome, so no verdict is made up for it.
 *
 * <p>By the time it is thrown, the probe's connections are closed (or closing) and no new one will open, and the
 * thread's interrupt status is still set, so code further up sees the interrupt as well. A thread already
 * interrupted when it calls {@code run()} gets it at once, before any connection opens. Its cause is the
 * {@link InterruptedException} that was caught (or a new one when the status was found set).
 *
 * <pre>{@code
 * try {
 *     ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();
 *     System.out.println(result.summary());
 * } catch (ProbeInterruptedException e) {
 *     return; // shutting down: Thread.currentThread().isInterrupted() is still true
 * }
 * }</pre>
 */
public final class ProbeInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what  what was interrupted, for the message (for example the probe's target)
     * @param cause the interrupt
     */
    public ProbeInterruptedException(String what, InterruptedException cause) {
        super("interrupted while waiting for " + what + "; its connections were closed", cause);
    }

    @Override
    public synchronized InterruptedException getCause() {
        return (InterruptedException) super.getCause();
    }
}
