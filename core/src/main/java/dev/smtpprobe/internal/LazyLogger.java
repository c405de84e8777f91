package dev.smtpprobe.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger looked up on first use. A probe that logs nothing (every healthy one) then never initialises the
 * logging back end: slf4j's first lookup scans the whole class path for providers, a large share of an
 * application's first probe (BENCHMARKS.md, cold start). Threadsafe.
 */
public final class LazyLogger {

    private final Class<?> owner;
    private volatile Logger logger;

    public LazyLogger(Class<?> owner) {
        this.owner = owner;
    }

    /** The logger, looked up now if it was not yet. */
    public Logger get() {
        Logger l = logger;
        if (l == null) {
            l = LoggerFactory.getLogger(owner);
            logger = l;
        }
        return l;
    }
}
