package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Findings about the negotiated TLS version: a session older than the probe's minimum, and a handshake the server
 * refused because it speaks none of the versions offered. Facts first; the verdict never changes. Pure code.
 */
final class TlsFindings {

    private TlsFindings() {
    }

    /**
     * A {@link HintCode#TLS_VERSION_BELOW_MINIMUM} hint when the deciding attempt negotiated a version older than
     * {@code minimum}, or when its handshake failed with the server's {@code protocol_version} alert (it accepts
     * none of the versions offered, which are listed as evidence: the older ones the JVM's policy disables are
     * the likely ones the server speaks).
     */
    static Optional<Hint> belowMinimum(Attempt a, String minimum, List<String> offered) {
        if (a.tls() != null && !a.tls().protocol().isEmpty()) {
            String negotiated = a.tls().protocol();
            if (!TlsVersions.below(negotiated, minimum)) {
                return Optional.empty();
            }
            return Optional.of(new Hint(HintCode.TLS_VERSION_BELOW_MINIMUM, "The server negotiated "
                    + TlsVersions.display(negotiated) + ", older than the minimum " + TlsVersions.display(minimum)
                    + ": clients that require " + TlsVersions.display(minimum) + " or newer (most current mail "
                    + "libraries and large providers; RFC 8996 deprecates TLS 1.0 and 1.1) will fail the handshake."
                    + " Enable " + TlsVersions.display(minimum) + " on the server.",
                    List.of("negotiated " + negotiated + " (" + a.tls().cipherSuite() + ")",
                            "minimum " + minimum, "offered " + String.join(", ", offered))));
        }
        if (a.verdict() == Verdict.TLS_HANDSHAKE_FAILED && protocolVersionAlert(a)) {
            List<String> disabled = new ArrayList<>(TlsVersions.ALL);
            disabled.removeAll(offered);
            List<String> evidence = new ArrayList<>();
            evidence.add("handshake failure: " + (a.failure() != null ? a.failure().message() : a.detail()));
            evidence.add("offered " + String.join(", ", offered));
            if (!disabled.isEmpty()) {
                evidence.add("disabled by this JVM (jdk.tls.disabledAlgorithms): " + String.join(", ", disabled));
            }
            return Optional.of(new Hint(HintCode.TLS_VERSION_BELOW_MINIMUM, "The server refused every TLS version "
                    + "the probe offered (" + String.join(", ", offered) + ") with a protocol_version alert: it "
                    + (disabled.isEmpty() ? "speaks none of them." : "most likely speaks only "
                    + String.join(" or ", disabled.stream().map(TlsVersions::display).toList())
                    + ", which this JVM disables.") + " Enable " + TlsVersions.display(minimum)
                    + " or newer on the server.", evidence));
        }
        return Optional.empty();
    }

    private static boolean protocolVersionAlert(Attempt a) {
        String text = ((a.failure() != null ? a.failure().message() : "") + " " + a.detail()).toLowerCase(Locale.ROOT);
        return text.contains("protocol_version") || text.contains("no appropriate protocol");
    }
}
