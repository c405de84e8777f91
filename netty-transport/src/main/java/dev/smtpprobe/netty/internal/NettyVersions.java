package dev.smtpprobe.netty.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Whether the Netty on the class path is one this transport runs on: Netty 4.1 from {@value #MIN_41}, or 4.2 from
 * {@value #MIN_42}, every artifact of the transport on the same line. Checked once per process, when the first
 * transport is made, so an application whose Netty is too old gets a message that names the versions found and
 * needed at its first probe, not a {@code NoSuchMethodError} or {@code NoClassDefFoundError} from an event loop.
 *
 * <p>{@value #MIN_41} is the first 4.1 release with {@code SslContextBuilder.endpointIdentificationAlgorithm},
 * which the TLS handlers call. Versions are read from the file each Netty jar carries for
 * {@code io.netty.util.Version}; an artifact whose version cannot be read (a shaded jar that kept one such file) is
 * not judged. Threadsafe.
 */
public final class NettyVersions {

    /** The oldest Netty 4.1 release this transport runs on. */
    public static final String MIN_41 = "4.1.112.Final";
    /** The oldest Netty 4.2 release this transport runs on (the one it is built and tested with first). */
    public static final String MIN_42 = "4.2.7.Final";

    /** Each Netty jar's file of versions (Netty's own format: {@code netty-common.version=4.2.7.Final}, ...). */
    static final String RESOURCE = "META-INF/io.netty.versions.properties";
    private static final String VERSION_SUFFIX = ".version";

    /** The Netty artifacts this transport runs on; others on the class path are the application's business. */
    static final List<String> ARTIFACTS = List.of("netty-common", "netty-buffer", "netty-resolver", "netty-transport",
            "netty-codec", "netty-codec-base", "netty-handler", "netty-transport-native-unix-common",
            "netty-transport-classes-epoll", "netty-transport-native-epoll");

    private NettyVersions() {
    }

    /**
     * Throws when the Netty on this class loader's path is not supported; the outcome is decided once.
     *
     * @throws IllegalStateException naming the versions found and needed
     */
    public static void requireSupported() {
        String problem = Checked.PROBLEM;
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    private static final class Checked {
        static final String PROBLEM = problem(onClassPath(NettyVersions.class.getClassLoader()));
    }

    /**
     * The version of each Netty artifact that {@code loader} sees, by artifact id ({@code netty-transport} to
     * {@code 4.1.137.Final}): the {@code ARTIFACT.version} lines of every {@value #RESOURCE} (one per Netty jar),
     * which is what {@code io.netty.util.Version.identify} reports. Read here rather than through it: it also
     * parses each jar's build and commit dates, tens of milliseconds of date-format start-up at an application's
     * first probe, for nothing this check uses. Missing or unreadable files leave artifacts out (not judged).
     */
    static Map<String, String> onClassPath(ClassLoader loader) {
        Properties lines = new Properties();
        try {
            for (URL url : Collections.list(loader.getResources(RESOURCE))) {
                try (InputStream in = url.openStream()) {
                    lines.load(in);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // what was read so far is judged; the rest is not
        }
        Map<String, String> versions = new TreeMap<>();
        for (String key : lines.stringPropertyNames()) {
            if (key.endsWith(VERSION_SUFFIX)) {
                versions.put(key.substring(0, key.length() - VERSION_SUFFIX.length()), lines.getProperty(key));
            }
        }
        return versions;
    }

    /**
     * What is wrong with these Netty artifact versions for this transport, or {@code null} when they are
     * supported: a line other than 4.1 or 4.2 (or later 4.x), a release older than the line's minimum, or the
     * transport's artifacts on different lines (e.g. {@code netty-transport} 4.1 beside {@code netty-handler} 4.2).
     *
     * @param found artifact id to version, as {@link #onClassPath} gives them; artifacts not in {@link #ARTIFACTS}
     *              and versions that do not parse are ignored
     */
    public static String problem(Map<String, String> found) {
        Map<String, String> ours = new TreeMap<>();
        List<String> tooOld = new ArrayList<>();
        String line = null;
        boolean mixed = false;
        for (String artifact : ARTIFACTS) {
            String version = found.get(artifact);
            int[] v = version == null ? null : parse(version);
            if (v == null) {
                continue;
            }
            ours.put(artifact, version);
            String thisLine = v[0] + "." + v[1];
            if (line == null) {
                line = thisLine;
            } else if (!line.equals(thisLine)) {
                mixed = true;
            }
            if (!supported(v)) {
                tooOld.add(artifact);
            }
        }
        if (!tooOld.isEmpty()) {
            return "smtp-probe-netty needs Netty " + supported() + ", but found " + describe(ours)
                    + ": upgrade Netty (e.g. import io.netty:netty-bom at a supported version)";
        }
        if (mixed) {
            return "smtp-probe-netty needs the Netty artifacts on one release line (" + supported() + "), but found "
                    + describe(ours) + ": align them (e.g. import io.netty:netty-bom)";
        }
        return null;
    }

    /** The supported range in words, for messages. */
    static String supported() {
        return MIN_41 + " or a later 4.1.x, or " + MIN_42 + " or later";
    }

    private static boolean supported(int[] v) {
        if (v[0] != 4) {
            return false; // Netty 5 has other packages; 3 is long gone
        }
        if (v[1] == 1) {
            return atLeast(v, parse(MIN_41));
        }
        return v[1] >= 2 && atLeast(v, parse(MIN_42));
    }

    /** Compares major, minor, micro, then a final release above a pre-release of the same numbers. */
    private static boolean atLeast(int[] v, int[] min) {
        for (int i = 0; i < v.length; i++) {
            if (v[i] != min[i]) {
                return v[i] > min[i];
            }
        }
        return true;
    }

    /**
     * {@code 4.1.137.Final} as {major, minor, micro, 1 for a final release or 0}, or {@code null} when the text is
     * not of that form. {@code 4.2.8.Final-SNAPSHOT} counts as a pre-release of 4.2.8.
     */
    static int[] parse(String version) {
        String[] parts = version.split("\\.", 4);
        if (parts.length < 3) {
            return null;
        }
        int[] v = new int[4];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        v[3] = parts.length == 4 && parts[3].equals("Final") ? 1 : 0;
        return v;
    }

    private static String describe(Map<String, String> versions) {
        StringBuilder s = new StringBuilder();
        versions.forEach((artifact, version) -> s.append(s.length() == 0 ? "" : ", ")
                .append(artifact).append(' ').append(version));
        return s.toString();
    }
}
