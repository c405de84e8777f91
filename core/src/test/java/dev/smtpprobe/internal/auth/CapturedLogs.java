package dev.smtpprobe.internal.auth;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The test SLF4J binding of core's tests: every logger is enabled at TRACE, and while a capture is running every
 * formatted line (with the full stack trace text of its throwable) is kept, so that a test can prove no log line
 * holds a secret. Outside a capture it drops everything, like the no-op binding it replaces.
 */
public final class CapturedLogs implements SLF4JServiceProvider {

    private static final Object LOCK = new Object();
    private static List<String> lines;

    /** Starts keeping log lines (clearing any kept before). */
    static void start() {
        synchronized (LOCK) {
            lines = new ArrayList<>();
        }
    }

    /** Stops keeping log lines and returns them. */
    static List<String> stop() {
        synchronized (LOCK) {
            List<String> kept = lines == null ? List.of() : List.copyOf(lines);
            lines = null;
            return kept;
        }
    }

    private static void keep(String line) {
        synchronized (LOCK) {
            if (lines != null && lines.size() < 100_000) {
                lines.add(line);
            }
        }
    }

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory factory = CapturingLogger::new;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** A logger enabled at every level that hands each formatted call to the capture. */
    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            StringBuilder sb = new StringBuilder().append(level).append(' ').append(name).append(": ")
                    .append(MessageFormatter.basicArrayFormat(pattern, arguments));
            if (throwable != null) {
                StringWriter trace = new StringWriter();
                throwable.printStackTrace(new PrintWriter(trace));
                sb.append('\n').append(trace);
            }
            keep(sb.toString());
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
