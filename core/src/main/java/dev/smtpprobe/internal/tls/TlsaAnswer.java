package dev.smtpprobe.internal.tls;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of looking up one host's TLSA records ({@code _25._tcp.<mx-host>}) and how far DNSSEC vouches for
 * it. Only {@link Status#AUTHENTICATED} records may be used for DANE (RFC 7672 §2.2); the records of a
 * {@link Status#NOT_AUTHENTICATED} answer are kept as evidence only.
 *
 * @param queryName the name asked, e.g. {@code _25._tcp.mx.example.net}, without the trailing dot
 * @param status    what the answer means for DANE
 * @param records   the TLSA records of the answer, in the order received (empty when none)
 * @param trust     how DNSSEC was established for this lookup, as the caller chose it
 * @param resolver  the resolver asked
 * @param detail    one line for a person: what the resolver said
 */
public record TlsaAnswer(String queryName, Status status, List<Tlsa> records, DnssecTrust trust,
        InetSocketAddress resolver, String detail) {

    /** How the lookup decides that an answer is DNSSEC-authenticated; the caller chooses, the result records it. */
    public enum DnssecTrust {
        /** No DNSSEC: every answer is unauthenticated, so DANE never applies. */
        NONE,
        /**
         * The caller declared the resolver validating and trusts the path to it: the AD flag of its answers says
         * "authenticated", and a SERVFAIL is taken to be a DNSSEC validation failure.
         */
        RESOLVER_AD_BIT,
        /**
         * Validated locally from a configured trust anchor (dnsjava's validating resolver): a secure answer is
         * authenticated, an insecure one (an unsigned zone) is not, a bogus one is a DNSSEC failure.
         */
        LOCAL_VALIDATION
    }

    /** What an answer means for DANE. */
    public enum Status {
        /** Authenticated TLSA records: DANE applies to the host, and its records must be matched. */
        AUTHENTICATED,
        /** DNSSEC proves the host has no TLSA records (NODATA or NXDOMAIN with AD): DANE does not apply. */
        AUTHENTICATED_DENIAL,
        /** The answer (records or none) is not DNSSEC-authenticated: DANE does not apply (RFC 7672 §2.2). */
        NOT_AUTHENTICATED,
        /**
         * The validating resolver failed (SERVFAIL), or local validation found the DNSSEC data bogus: a DANE client
         * must not deliver.
         */
        BOGUS,
        /** No usable answer (timeout, refusal, a garbled reply): nothing is known. */
        FAILED
    }

    /** Checks and copies the components. */
    public TlsaAnswer {
        Objects.requireNonNull(queryName, "queryName");
        Objects.requireNonNull(status, "status");
        records = List.copyOf(Objects.requireNonNull(records, "records"));
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return true when the records are authenticated and must be matched against the server's chain */
    public boolean daneApplies() {
        return status == Status.AUTHENTICATED;
    }

    /** @return {@code dnssec-invalid} (RFC 8460 §4.3.2) for a {@link Status#BOGUS} answer, empty otherwise */
    public Optional<String> rfc8460ResultType() {
        return status == Status.BOGUS ? Optional.of("dnssec-invalid") : Optional.empty();
    }
}
