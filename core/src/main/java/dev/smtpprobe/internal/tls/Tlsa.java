package dev.smtpprobe.internal.tls;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One TLSA record's RDATA (RFC 6698 §2.1): certificate usage, selector, matching type and certificate association
 * data. Any value 0..255 is accepted, as DNS may carry it; {@link #usableForSmtp()} says whether RFC 7672 lets an
 * SMTP client use the record. The data is copied in and out, so an instance is immutable and threadsafe.
 *
 * <pre>{@code
 * Tlsa ee = Tlsa.of(Tlsa.DANE_EE, Tlsa.SPKI, Tlsa.SHA2_256, digest);
 * }</pre>
 */
public final class Tlsa {

    /** Certificate usage PKIX-TA(0): unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int PKIX_TA = 0;
    /** Certificate usage PKIX-EE(1): unusable for SMTP (RFC 7672 §3.1.3). */
    public static final int PKIX_EE = 1;
    /** Certificate usage DANE-TA(2): the record matches a trust anchor of the presented chain. */
    public static final int DANE_TA = 2;
    /** Certificate usage DANE-EE(3): the record matches the server's own certificate or key. */
    public static final int DANE_EE = 3;

    /** Selector Cert(0): the whole DER certificate. */
    public static final int CERT = 0;
    /** Selector SPKI(1): the DER SubjectPublicKeyInfo. */
    public static final int SPKI = 1;

    /** Matching type Full(0): the selected bytes themselves. */
    public static final int FULL = 0;
    /** Matching type SHA2-256(1). */
    public static final int SHA2_256 = 1;
    /** Matching type SHA2-512(2). */
    public static final int SHA2_512 = 2;

    private static final int MAX_FIELD = 255;

    private final int usage;
    private final int selector;
    private final int matchingType;
    private final byte[] data;

    private Tlsa(int usage, int selector, int matchingType, byte[] data) {
        this.usage = usage;
        this.selector = selector;
        this.matchingType = matchingType;
        this.data = data;
    }

    /**
     * A record from its four fields.
     *
     * @throws IllegalArgumentException naming the argument when a field is outside 0..255 or the data is null or
     *                                  empty
     */
    public static Tlsa of(int usage, int selector, int matchingType, byte[] data) {
        checkField(usage, "usage");
        checkField(selector, "selector");
        checkField(matchingType, "matchingType");
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("data must not be null or empty");
        }
        return new Tlsa(usage, selector, matchingType, data.clone());
    }

    private static void checkField(int value, String argument) {
        if (value < 0 || value > MAX_FIELD) {
            throw new IllegalArgumentException(argument + " must be 0..255: " + value);
        }
    }

    /** @return the certificate usage field */
    public int usage() {
        return usage;
    }

    /** @return the selector field */
    public int selector() {
        return selector;
    }

    /** @return the matching type field */
    public int matchingType() {
        return matchingType;
    }

    /** @return a copy of the certificate association data */
    public byte[] data() {
        return data.clone();
    }

    /**
     * Whether an SMTP client may use this record (RFC 7672 §3.1): usage DANE-TA(2) or DANE-EE(3), selector Cert(0)
     * or SPKI(1), matching type Full(0), SHA2-256(1) or SHA2-512(2); and a digest of the right length for its
     * matching type (a record that can never match is as good as absent).
     *
     * @return true when the record takes part in matching
     */
    public boolean usableForSmtp() {
        boolean knownFields = (usage == DANE_TA || usage == DANE_EE)
                && (selector == CERT || selector == SPKI)
                && (matchingType == FULL || matchingType == SHA2_256 || matchingType == SHA2_512);
        if (!knownFields) {
            return false;
        }
        return switch (matchingType) {
            case SHA2_256 -> data.length == 32;
            case SHA2_512 -> data.length == 64;
            default -> true;
        };
    }

    /** The record in presentation form, e.g. {@code 3 1 1 4a5b...} (public data: nothing to redact). */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data).toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matchingType == matchingType
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * usage + selector) + matchingType) + Arrays.hashCode(data);
    }
}
