package dev.smtpprobe.internal;

import dev.smtpprobe.SmtpProbe;
import java.util.function.Function;

/**
 * Lets the engine read a probe's {@link Credentials} without a public accessor on {@link SmtpProbe}: the public API
 * never hands the secret out. {@link SmtpProbe} installs the accessor once, in its static initializer, which has
 * run before any probe exists.
 */
public final class CredentialAccess {

    private static volatile Function<SmtpProbe, Credentials> accessor;

    private CredentialAccess() {
    }

    /**
     * Called once by {@link SmtpProbe}.
     *
     * @throws IllegalStateException when an accessor is already installed
     */
    public static synchronized void install(Function<SmtpProbe, Credentials> access) {
        if (accessor != null) {
            throw new IllegalStateException("the credential accessor is already installed");
        }
        accessor = access;
    }

    /** The probe's credentials, or {@code null} when none were configured. */
    static Credentials of(SmtpProbe probe) {
        return accessor.apply(probe);
    }
}
