package dev.smtpprobe.examples.cli;

import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.SmtpProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** The CLI's DNSSEC options: {@code --dnssec-trust-ad}, {@code --dnssec-validate}, {@code --dnssec-trust-anchors}. */
final class DnssecOptions {

    /** A trust anchor file is a few DS/DNSKEY lines: anything larger is a mistake (or /dev/zero). */
    static final int MAX_ANCHOR_BYTES = 64 * 1024;

    private DnssecOptions() {
    }

    /**
     * Applies the options to {@code builder} ({@code --dnssec-trust-ad} is applied by the caller).
     *
     * @throws RuntimeException from {@code usage} for contradictory options or an unusable anchor file
     */
    static void apply(SmtpProbe.Builder builder, boolean trustAd, boolean validate, Path anchors,
            Function<String, ? extends RuntimeException> usage) {
        if (trustAd && validate) {
            throw usage.apply("--dnssec-trust-ad and --dnssec-validate exclude each other: trust the resolver's AD "
                    + "flag, or validate here");
        }
        if (anchors != null && !validate) {
            throw usage.apply("--dnssec-trust-anchors needs --dnssec-validate");
        }
        if (!validate) {
            return;
        }
        builder.dnssec(DnssecMode.VALIDATE);
        if (anchors == null) {
            return;
        }
        String text;
        try (InputStream in = Files.newInputStream(anchors)) {
            byte[] bytes = in.readNBytes(MAX_ANCHOR_BYTES + 1);
            if (bytes.length > MAX_ANCHOR_BYTES) {
                throw usage.apply("--dnssec-trust-anchors: " + anchors + " is larger than " + MAX_ANCHOR_BYTES
                        + " bytes");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage.apply("--dnssec-trust-anchors: cannot read " + anchors);
        }
        try {
            builder.dnssecTrustAnchors(text);
        } catch (IllegalArgumentException e) {
            throw usage.apply("--dnssec-trust-anchors: " + e.getMessage());
        }
    }
}
