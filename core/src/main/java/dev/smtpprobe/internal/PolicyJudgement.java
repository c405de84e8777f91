package dev.smtpprobe.internal;

import dev.smtpprobe.TlsPolicyReport.StrictSender;
import dev.smtpprobe.internal.CertificateProblems.CertificateProblem;
import dev.smtpprobe.internal.tls.DaneMatch;
import dev.smtpprobe.internal.tls.DaneMatcher;
import dev.smtpprobe.internal.tls.DomainTlsPolicy;
import dev.smtpprobe.internal.tls.MtaStsPolicy;
import dev.smtpprobe.internal.tls.TlsRptResultType;
import dev.smtpprobe.internal.tls.TlsaAnswer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One attempt judged against the receiving domain's TLS policy, as a strict sender would (RFC 8461 §4 and §5,
 * RFC 7672 §2 and §3): DANE first when DNSSEC-authenticated TLSA records apply (RFC 8461 §2: DANE takes precedence),
 * then MTA-STS, else opportunistic TLS. Pure code; immutable.
 *
 * @param failure      the RFC 8460 result type of what fails, or null
 * @param enforced     whether the failure stops a strict sender (false for MTA-STS {@code testing})
 * @param detail       one sentence: what was checked and found
 * @param requirement  which policy decided, e.g. "authenticated TLS required: MTA-STS enforce"
 * @param certificate  what a verifying client finds wrong with the certificate, or null
 * @param strictSender what a strict sender does
 */
record PolicyJudgement(TlsRptResultType failure, boolean enforced, String detail, String requirement,
        CertificateProblem certificate, StrictSender strictSender) {

    private static final String OPPORTUNISTIC = "opportunistic TLS: the domain publishes no MTA-STS policy in enforce"
            + " mode and no usable DNSSEC-authenticated TLSA records";

    /** Opportunistic TLS without looking at the domain: a certificate problem is only a finding. */
    static PolicyJudgement opportunistic(TlsPolicyRun.Handshake handshake) {
        CertificateProblem problem = handshake != null ? handshake.problem() : null;
        return new PolicyJudgement(null, false, "the domain's policies were not looked up", "opportunistic TLS",
                problem, StrictSender.NOT_CHECKED);
    }

    /**
     * Judges one MX host.
     *
     * @param handshake the attempt's handshake, or null when there was none
     * @param plainOk   whether the attempt succeeded in plain text because the server offered no STARTTLS
     */
    static PolicyJudgement domain(DomainTlsPolicy domain, String host, TlsPolicyRun.Handshake handshake,
            boolean plainOk, Instant now) {
        CertificateProblem problem = handshake != null ? handshake.problem() : null;
        Optional<TlsaAnswer> tlsa = domain.tlsa(host);
        String daneNote = "";
        if (tlsa.isPresent() && tlsa.get().status() == TlsaAnswer.Status.BOGUS) {
            return refuse(TlsRptResultType.DNSSEC_INVALID, tlsa.get().detail() + "; a DANE sender does not deliver",
                    "DANE: the TLSA lookup failed DNSSEC validation", problem);
        }
        if (tlsa.isPresent() && tlsa.get().daneApplies()) {
            String requirement = "authenticated TLS required: DNSSEC-authenticated DANE TLSA records at "
                    + tlsa.get().queryName() + " (RFC 7672)";
            if (handshake == null) {
                return plainOk ? refuse(TlsRptResultType.STARTTLS_NOT_SUPPORTED, host + " does not offer STARTTLS,"
                        + " which its TLSA records make mandatory", requirement, null) : pending(requirement);
            }
            DaneMatch match = DaneMatcher.match(tlsa.get().records(), handshake.chain(), List.of(host, domain.domain()),
                    now);
            switch (match.outcome()) {
                case MATCH:
                    // DANE authenticates the server: its WebPKI status does not matter to a DANE sender.
                    return new PolicyJudgement(null, false, "DANE authenticates " + host + ": " + match.detail()
                            + (problem != null ? " (its WebPKI check alone would fail: " + problem.detail() + ")" : ""),
                            requirement, null, StrictSender.DELIVERS);
                case NO_MATCH:
                    return refuse(TlsRptResultType.TLSA_INVALID, "no TLSA record at " + tlsa.get().queryName()
                            + " matches the chain " + host + " presented: " + match.detail(), requirement, problem);
                default:
                    daneNote = "DANE: " + match.detail() + " (TLS stays mandatory); ";
            }
        }
        Optional<MtaStsPolicy> sts = domain.stsPolicy().filter(p -> p.mode() != MtaStsPolicy.Mode.NONE);
        if (sts.isPresent()) {
            MtaStsPolicy policy = sts.get();
            boolean enforce = policy.mode() == MtaStsPolicy.Mode.ENFORCE;
            String requirement = (enforce ? "authenticated TLS required: MTA-STS enforce (RFC 8461)"
                    : "MTA-STS testing (RFC 8461): failures are reported, not enforced");
            TlsRptResultType failure = null;
            String what = null;
            if (!policy.allowsMx(host)) {
                failure = TlsRptResultType.VALIDATION_FAILURE;
                what = "the MX host " + host + " matches none of the MTA-STS mx patterns " + policy.mxPatterns();
            } else if (handshake == null && plainOk) {
                failure = TlsRptResultType.STARTTLS_NOT_SUPPORTED;
                what = host + " does not offer STARTTLS, which the MTA-STS policy requires";
            } else if (problem != null) {
                failure = typeOf(problem);
                what = "the certificate of " + host + " fails WebPKI validation: " + problem.detail();
            }
            if (failure == null) {
                return handshake == null ? pending(requirement) : new PolicyJudgement(null, false, daneNote + host
                        + " matches the MTA-STS mx patterns and presents a valid certificate for its name",
                        requirement, null, StrictSender.DELIVERS);
            }
            if (enforce) {
                return refuse(failure, daneNote + what, requirement, problem);
            }
            return new PolicyJudgement(failure, false, daneNote + what + " (policy mode testing: a strict sender"
                    + " delivers and reports " + failure.rfcName() + ")", requirement, problem, StrictSender.DELIVERS);
        }
        if (!daneNote.isEmpty()) {
            String requirement = "encrypted TLS required: TLSA records present but none usable (RFC 7672 §2.2)";
            if (handshake == null) {
                return plainOk ? refuse(TlsRptResultType.STARTTLS_NOT_SUPPORTED, host + " does not offer STARTTLS",
                        requirement, null) : pending(requirement);
            }
            return new PolicyJudgement(null, false, daneNote + "the session is encrypted", requirement, problem,
                    StrictSender.DELIVERS);
        }
        String detail = handshake == null ? (plainOk ? "no STARTTLS offered; " : "") + "the domain requires no"
                + " authenticated TLS" : problem != null ? "the domain requires no authenticated TLS, so the"
                + " certificate problem does not stop delivery" : "the domain requires no authenticated TLS";
        return new PolicyJudgement(null, false, detail, OPPORTUNISTIC, problem, StrictSender.DELIVERS);
    }

    private static PolicyJudgement refuse(TlsRptResultType type, String detail, String requirement,
            CertificateProblem problem) {
        return new PolicyJudgement(type, true, detail, requirement, problem, StrictSender.REFUSES);
    }

    /** The attempt ended before TLS could be judged (a network failure): nothing to say about the policy. */
    private static PolicyJudgement pending(String requirement) {
        return new PolicyJudgement(null, false, "the attempt ended before TLS", requirement, null,
                StrictSender.NOT_CHECKED);
    }

    /** The RFC 8460 result type of a certificate problem. */
    static TlsRptResultType typeOf(CertificateProblem problem) {
        return switch (problem.kind()) {
            case EXPIRED, NOT_YET_VALID -> TlsRptResultType.CERTIFICATE_EXPIRED;
            case HOSTNAME_MISMATCH -> TlsRptResultType.CERTIFICATE_HOST_MISMATCH;
            case UNTRUSTED -> TlsRptResultType.CERTIFICATE_NOT_TRUSTED;
        };
    }

    /** The kind of a certificate problem in words. */
    static String words(CertificateProblem problem) {
        return problem.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
