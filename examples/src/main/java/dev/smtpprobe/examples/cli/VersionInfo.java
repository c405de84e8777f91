package dev.smtpprobe.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of {@code smtp-probe}: the jar manifest's {@code Implementation-Version}, else the
 * {@code version.properties} resource the build writes (so a run from the classes directory, as in tests or an IDE
 * after a Maven build, knows it too).
 */
final class VersionInfo {

    static final String RESOURCE = "version.properties";

    private VersionInfo() {
    }

    /** {@code "smtp-probe 1.2.3"}, or {@code "smtp-probe (development build)"} when neither source has it. */
    static String line() {
        String version = SmtpProbeCli.class.getPackage().getImplementationVersion();
        if (version == null) {
            version = fromResource(SmtpProbeCli.class.getResourceAsStream(RESOURCE));
        }
        return "smtp-probe " + (version == null ? "(development build)" : version);
    }

    /** The {@code version} of a properties stream, or {@code null} when absent or not filled by the build. */
    static String fromResource(InputStream in) {
        if (in == null) {
            return null;
        }
        try (in) {
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("version", "").strip();
            return version.isEmpty() || version.startsWith("${") ? null : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of {@code --version}: the tool, then the Java runtime it runs on. */
    static String[] lines() {
        return new String[] {line(), "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }
}
