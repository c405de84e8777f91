package dev.smtpprobe.netty.transport;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, installed for every test JVM of this module through the system property
 * {@code io.netty.customResourceLeakDetector} (see the pom), that also records each leak report so a test can
 * fail on it instead of the report ending up unread in a log.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    /** Set while a test leaks on purpose, so its expected report does not flood the build log. */
    static volatile boolean quiet;

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** Netty looks for this older signature first (and logs an error when it is missing). */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    @Override
    protected boolean needReport() {
        return true; // report even when Netty's own logger is quiet: the recording is what the tests read
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK: " + resourceType + records);
        if (!quiet) {
            super.reportTracedLeak(resourceType, records);
        }
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK: " + resourceType + " (untraced)");
        if (!quiet) {
            super.reportUntracedLeak(resourceType);
        }
    }
}
