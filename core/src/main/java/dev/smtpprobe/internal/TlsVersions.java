package dev.smtpprobe.internal;

import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TLS protocol versions: the minimum a user sets ({@code minTlsVersion}), the versions the probe offers, and their
 * order. The probe offers TLS 1.0 to 1.3 itself, each one this JVM's security policy
 * ({@code jdk.tls.disabledAlgorithms}) allows, rather than the JVM's default client protocols (which drop 1.0 and
 * 1.1): an old server then negotiates what it speaks, and the result says so as a finding, instead of a bare
 * handshake failure. Pure code; threadsafe.
 */
public final class TlsVersions {

    /** The JDK's names, oldest first. */
    static final List<String> ALL = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    /** The default minimum: TLS 1.2 (RFC 8996 deprecates 1.0 and 1.1). */
    public static final String DEFAULT_MINIMUM = "TLSv1.2";

    private TlsVersions() {
    }

    /**
     * The JDK name of a minimum the user gave: {@code "1.2"}, {@code "1.3"}, {@code "TLSv1.2"} or {@code "TLSv1.3"}
     * (case-insensitive).
     *
     * @throws IllegalArgumentException naming {@code minTlsVersion} for null or anything else
     */
    public static String parseMinimum(String version) {
        Arguments.requireNonNull(version, "minTlsVersion");
        String v = version.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("tlsv")) {
            v = v.substring(4);
        }
        return switch (v) {
            case "1.2" -> "TLSv1.2";
            case "1.3" -> "TLSv1.3";
            default -> throw new IllegalArgumentException(
                    "minTlsVersion must be 1.2 or 1.3 (or TLSv1.2, TLSv1.3): '" + version + "'");
        };
    }

    /** The rank of a JDK protocol name (TLSv1 = 0 ... TLSv1.3 = 3), -1 for SSLv3 and older, or unknown names. */
    static int rank(String protocol) {
        return ALL.indexOf(protocol);
    }

    /** Whether {@code negotiated} (a session's protocol) is older than {@code minimum}; unknown names are not. */
    static boolean below(String negotiated, String minimum) {
        int n = rank(negotiated);
        return negotiated != null && (n >= 0 ? n < rank(minimum) : negotiated.toUpperCase(Locale.ROOT).startsWith("SSL"));
    }

    /** The last {@link #offered()} answer and the property value it was made from: parsed once, not per handshake. */
    private static volatile Offered lastOffered = new Offered(null, ALL);

    private record Offered(String disabledAlgorithms, List<String> versions) {
    }

    /** The versions the probe offers: TLS 1.0 to 1.3, each one this JVM's security policy allows. */
    static List<String> offered() {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        Offered last = lastOffered;
        if (!Objects.equals(last.disabledAlgorithms(), disabled)) {
            last = new Offered(disabled, offered(disabled));
            lastOffered = last;
        }
        return last.versions();
    }

    /** {@link #offered()} for a given value of {@code jdk.tls.disabledAlgorithms} (null: nothing disabled). */
    static List<String> offered(String disabledAlgorithms) {
        Set<String> disabled = disabledAlgorithms == null ? Set.of()
                : Arrays.stream(disabledAlgorithms.split(","))
                        .map(entry -> entry.strip().split("\\s+", 2)[0]) // "TLSv1", or "RSA keySize < 1024"
                        .collect(Collectors.toSet());
        List<String> offered = new ArrayList<>();
        for (String p : ALL) {
            if (!disabled.contains(p)) {
                offered.add(p);
            }
        }
        return List.copyOf(offered);
    }

    /** {@code "TLS 1.2"} for {@code "TLSv1.2"}, {@code "TLS 1.0"} for {@code "TLSv1"}; other names unchanged. */
    static String display(String protocol) {
        return switch (protocol) {
            case "TLSv1" -> "TLS 1.0";
            case "TLSv1.1" -> "TLS 1.1";
            case "TLSv1.2" -> "TLS 1.2";
            case "TLSv1.3" -> "TLS 1.3";
            default -> protocol;
        };
    }
}
