package dev.smtpprobe.internal.tls;

import java.util.Objects;
import java.util.Optional;

/**
 * What matching a presented chain against a host's DNSSEC-authenticated TLSA records found (RFC 7672 §3).
 *
 * @param outcome the outcome
 * @param record  the record that matched, present exactly when the outcome is {@link Outcome#MATCH}
 * @param problem why nothing matched, present exactly when the outcome is {@link Outcome#NO_MATCH}
 * @param detail  one line for a person: which record matched, or what was compared and why it failed
 */
public record DaneMatch(Outcome outcome, Optional<Tlsa> record, Optional<Problem> problem, String detail) {

    /** The three answers a DANE client can reach for one host. */
    public enum Outcome {
        /** A usable record matched: the server is authenticated by DANE. */
        MATCH,
        /**
         * The host publishes TLSA records but none an SMTP client may use (PKIX usages, unknown selectors or matching
         * types): RFC 7672 §2.2 says to fall back to mandatory unauthenticated TLS.
         */
        NO_USABLE_TLSA,
        /** Usable records exist and none is satisfied by the presented chain: a DANE client must not deliver. */
        NO_MATCH;

        /**
         * The RFC 8460 result type a TLS report names for this outcome.
         *
         * @return {@code tlsa-invalid} for {@link #NO_MATCH}, empty otherwise (no failure to report)
         */
        public Optional<String> rfc8460ResultType() {
            return this == NO_MATCH ? Optional.of("tlsa-invalid") : Optional.empty();
        }
    }

    /** Why usable records did not authenticate the server. */
    public enum Problem {
        /** The server sent no certificate at all. */
        NO_CHAIN,
        /** No usable record matches the server's certificate (DANE-EE) or any issuer in its chain (DANE-TA). */
        NO_RECORD_MATCHES,
        /** A DANE-TA record matched an issuer, but the chain from the server's certificate to it does not verify. */
        CHAIN_BROKEN,
        /** A DANE-TA record matched, but a certificate below the trust anchor is expired or not yet valid. */
        CERTIFICATE_EXPIRED,
        /** A DANE-TA record matched, but the server's certificate names none of the reference names. */
        HOST_MISMATCH
    }

    /** Checks that the optionals agree with the outcome. */
    public DaneMatch {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(detail, "detail");
        if (record.isPresent() != (outcome == Outcome.MATCH)) {
            throw new IllegalArgumentException("record must be present exactly for MATCH: " + outcome);
        }
        if (problem.isPresent() != (outcome == Outcome.NO_MATCH)) {
            throw new IllegalArgumentException("problem must be present exactly for NO_MATCH: " + outcome);
        }
    }

    static DaneMatch matched(Tlsa record, String detail) {
        return new DaneMatch(Outcome.MATCH, Optional.of(record), Optional.empty(), detail);
    }

    static DaneMatch noUsable(String detail) {
        return new DaneMatch(Outcome.NO_USABLE_TLSA, Optional.empty(), Optional.empty(), detail);
    }

    static DaneMatch failed(Problem problem, String detail) {
        return new DaneMatch(Outcome.NO_MATCH, Optional.empty(), Optional.of(problem), detail);
    }

    /** @return true when a usable record authenticated the server */
    public boolean isMatch() {
        return outcome == Outcome.MATCH;
    }
}
