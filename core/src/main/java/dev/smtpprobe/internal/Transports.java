package dev.smtpprobe.internal;

import dev.smtpprobe.spi.Transport;
import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the default {@link Transport} with {@link ServiceLoader}, once. */
public final class Transports {

    /** The artifact that provides the default transport, named in the error when none is found. */
    public static final String DEFAULT_ARTIFACT = "dev.smtpprobe:smtp-probe-netty";

    private Transports() {
    }

    private static final class Holder {
        static final Transport DEFAULT = load();
    }

    /**
     * The transport found on the class or module path.
     *
     * @throws IllegalStateException when there is none, naming the artifact to add
     */
    public static Transport defaultTransport() {
        Transport t = Holder.DEFAULT;
        if (t == null) {
            throw new IllegalStateException("No smtp-probe Transport found on the class path or module path: add the "
                    + "dependency " + DEFAULT_ARTIFACT + " (or pass one with SmtpProbe.Builder.transport(...))");
        }
        return t;
    }

    private static Transport load() {
        Iterator<Transport> it = ServiceLoader.load(Transport.class, Transports.class.getClassLoader()).iterator();
        return it.hasNext() ? it.next() : null;
    }
}
