package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;

/**
 * Thrown by {@link ProbeResult#orThrow()} when a probe did not end {@link Verdict#OK}. It carries the whole
 * result; its message is the result's one-line {@linkplain ProbeResult#summary() summary} and never contains a
 * secret.
 */
public final class ProbeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ProbeResult result;

    /**
     * A probe that did not end {@code OK}; the message is the result's one-line summary.
     *
     * @param result the result that is not {@code OK}
     */
    public ProbeFailedException(ProbeResult result) {
        super(Arguments.requireNonNull(result, "result").summary());
        this.result = result;
    }

    /** {@return the failed result} */
    public ProbeResult result() {
        return result;
    }

    /** {@return the verdict of the failed result} */
    public Verdict verdict() {
        return result.verdict();
    }
}
