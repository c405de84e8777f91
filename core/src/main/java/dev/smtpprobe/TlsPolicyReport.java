package dev.smtpprobe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which TLS policy a probe applied and why, with the domain's published policies (MTA-STS, DANE, TLS-RPT) as
 * evidence, and whether a strict sender (one that enforces MTA-STS and DANE) would deliver.
 *
 * @param policy       the policy applied
 * @param reason       why it applies, e.g. "mx(domain) on port 25: the domain publishes MTA-STS in enforce mode"
 * @param dnssec       how DNSSEC was established for DANE
 * @param evidence     one line per fact: the MTA-STS record and policy, each MX host's TLSA answer, TLS-RPT
 * @param reportTo     where the domain wants TLS failure reports (its TLS-RPT {@code rua}); empty when none
 * @param failureType  the RFC 8460 result type of the policy failure of the deciding attempt, or null
 * @param strictSender whether a strict sender would deliver to the deciding host
 */
public record TlsPolicyReport(TlsPolicy policy, String reason, DnssecMode dnssec, List<String> evidence,
        List<String> reportTo, String failureType, StrictSender strictSender) {

    /** What a strict sender (enforcing MTA-STS and DANE) would do. */
    public enum StrictSender {
        /** It would deliver. */
        DELIVERS,
        /** It would not deliver: the host fails the domain's policy, or is not reachable over TLS as required. */
        REFUSES,
        /** Not known: the domain's policies were not looked up (a policy other than {@link TlsPolicy#DOMAIN}). */
        NOT_CHECKED
    }

    /**
     * Checks and copies the components.
     *
     * @param policy the policy applied
     * @param reason why it applies, e.g. "mx(domain) on port 25: the domain publishes MTA-STS in enforce mode"
     * @param dnssec how DNSSEC was established for DANE
     * @param evidence one line per fact: the MTA-STS record and policy, each MX host's TLSA answer, TLS-RPT
     * @param reportTo where the domain wants TLS failure reports (its TLS-RPT {@code rua}); empty when none
     * @param failureType the RFC 8460 result type of the policy failure of the deciding attempt, or null
     * @param strictSender whether a strict sender would deliver to the deciding host
     */
    public TlsPolicyReport {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(dnssec, "dnssec");
        evidence = escaped(evidence);
        reportTo = escaped(reportTo);
        Objects.requireNonNull(strictSender, "strictSender");
    }

    /** An immutable copy of {@code lines}, each made printable (a loop: one report is made per probe). */
    private static List<String> escaped(List<String> lines) {
        if (lines.isEmpty()) {
            return List.of();
        }
        String[] out = new String[lines.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = PrintableText.escape(lines.get(i));
        }
        return List.of(out);
    }

    /** @return the RFC 8460 result type of the failure, e.g. {@code certificate-host-mismatch}, when there is one */
    public Optional<String> failure() {
        return Optional.ofNullable(failureType);
    }

    @Override
    public String toString() {
        return "TLS policy " + policy + " (" + reason + ")" + (failureType != null ? ", failure " + failureType : "")
                + ", strict sender " + strictSender;
    }
}
