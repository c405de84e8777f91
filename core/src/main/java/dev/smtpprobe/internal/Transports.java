package dev.smtpprobe.internal;

import dev.smtpprobe.spi.Transport;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the default {@link Transport} with {@link ServiceLoader}, once. */
public final class Transports {

    /** The artifact that provides the default transport, named in the error when none is found. */
    public static final String DEFAULT_ARTIFACT = "dev.smtpprobe:smtp-probe-netty";

    private Transports() {
    }

    private static final class Holder {
        static final Transport DEFAULT;
        /** Why the transport found could not be made (e.g. an unsupported Netty), or {@code null}. */
        static final ServiceConfigurationError FAILURE;

        static {
            Transport found = null;
            ServiceConfigurationError failure = null;
            try {
                found = load();
            } catch (ServiceConfigurationError e) {
                failure = e;
            }
            DEFAULT = found;
            FAILURE = failure;
        }
    }

    /**
     * The transport found on the class or module path.
     *
     * @throws IllegalStateException when there is none, naming the artifact to add, or when the one found could
     *                               not be made, with its reason (e.g. the versions of a library it needs)
     */
    public static Transport defaultTransport() {
        Transport t = Holder.DEFAULT;
        if (t != null) {
            return t;
        }
        ServiceConfigurationError failure = Holder.FAILURE;
        if (failure != null) {
            // Every probe fails the same way, at once: the provider's own reason, not a class initialisation error.
            Throwable reason = failure.getCause() != null ? failure.getCause() : failure;
            throw new IllegalStateException("The smtp-probe Transport on the class path could not be made: "
                    + reason.getMessage(), failure);
        }
        throw new IllegalStateException("No smtp-probe Transport found on the class path or module path: add the "
                + "dependency " + DEFAULT_ARTIFACT + " (or pass one with SmtpProbe.Builder.transport(...))");
    }

    private static Transport load() {
        Iterator<Transport> it = ServiceLoader.load(Transport.class, Transports.class.getClassLoader()).iterator();
        return it.hasNext() ? it.next() : null;
    }
}
