package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.Verdict;
import java.io.IOException;
import java.util.Objects;

/**
 * Why a proxy did not open the tunnel, with the verdict it stands for: the proxy's own failure (unreachable, bad
 * credentials, destination denied by rule) or what the proxy reports about the target (refused, unreachable, timed
 * out), always naming the proxy in the message.
 */
public final class ProxyFailure extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Verdict verdict;

    public ProxyFailure(Verdict verdict, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.verdict = Objects.requireNonNull(verdict, "verdict");
    }

    /** @return the verdict this failure stands for */
    public Verdict verdict() {
        return verdict;
    }
}
