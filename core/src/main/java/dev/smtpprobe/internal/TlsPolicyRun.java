package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Phase;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.TlsPolicy;
import dev.smtpprobe.TlsPolicyReport;
import dev.smtpprobe.TlsPolicyReport.StrictSender;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.tls.DomainTlsPolicy;
import dev.smtpprobe.internal.tls.TlsRptResultType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.xbill.DNS.ResolverConfig;

/**
 * The TLS policy of one run: which {@link TlsPolicy} applies to each port, the receiving domain's published policies
 * when it is {@link TlsPolicy#DOMAIN}, and the judgement of each attempt against them. Under a policy other than
 * {@link TlsPolicy#VERIFY} the handshake accepts any chain ({@link LenientTrustManager}); {@link #handshakeDone}
 * then checks the chain as a verifying client would, and {@link #judge} turns the outcome into a finding or a
 * {@link Verdict#TLS_POLICY_FAILED}. Threadsafe.
 */
final class TlsPolicyRun {

    private final ProbeConfig probe;
    private final DomainTlsPolicy domain;
    /**
     * The handshakes and judgements of lenient ports, made on first use: a run whose ports are all verified (every
     * probe of a host by default) makes none.
     */
    private volatile Lenient records;

    /** What a run records for its lenient ports: each attempt's handshake, then its judgement. */
    private record Lenient(Map<Integer, Handshake> handshakes, Map<Attempt, PolicyJudgement> judged) {
    }

    /** The chain an attempt's handshake presented and what a verifying client finds wrong with it (or null). */
    record Handshake(X509Certificate[] chain, CertificateProblems.CertificateProblem problem) {
    }

    private TlsPolicyRun(ProbeConfig probe, DomainTlsPolicy domain) {
        this.probe = probe;
        this.domain = domain;
    }

    /** The policy that applies to {@code port}: the one set, else DOMAIN for an MX probe of port 25, else VERIFY. */
    static TlsPolicy applied(ProbeConfig probe, int port) {
        TlsPolicy set = probe.tlsPolicy().policy();
        if (set != null) {
            return set;
        }
        return probe.kind() == Resolution.Kind.MX && port == 25 ? TlsPolicy.DOMAIN : TlsPolicy.VERIFY;
    }

    /** Why {@link #applied} chose the policy, for the result. */
    static String reason(ProbeConfig probe, int port) {
        if (probe.tlsPolicy().policy() != null) {
            return "set with tlsPolicy(" + probe.tlsPolicy().policy() + ")";
        }
        if (probe.kind() != Resolution.Kind.MX) {
            return "the default for a host: an application's own relay, whose mail library verifies the certificate";
        }
        return port == 25 ? "the default for mx(domain) on port 25: an MTA applies the receiving domain's policy"
                : "the default for mx(domain) on port " + port + " (not 25): verified like a submission relay";
    }

    /**
     * Starts a run: looks up the domain's policies when DOMAIN applies to a port of an MX probe, bounded by half
     * the time left; never completes exceptionally.
     */
    static CompletableFuture<TlsPolicyRun> start(ProbeConfig probe, Resolution resolution, Deadline deadline) {
        Integer port = null;
        for (int p : probe.ports()) { // a loop: this runs for every probe
            if (port == null && applied(probe, p) == TlsPolicy.DOMAIN) {
                port = p;
            }
        }
        if (port == null || resolution.kind() != Resolution.Kind.MX || !resolution.isOk()) {
            return CompletableFuture.completedFuture(new TlsPolicyRun(probe, null));
        }
        String name = resolution.name();
        List<InetSocketAddress> servers = probe.resolvers().isEmpty() ? ResolverConfig.getCurrentConfig().servers()
                : probe.resolvers();
        if (servers.isEmpty()) {
            return CompletableFuture.completedFuture(new TlsPolicyRun(probe,
                    DomainTlsPolicy.unavailable(name, probe.tlsPolicy().dnssec(), "no resolver to ask")));
        }
        List<String> hosts = resolution.reachableHosts().stream().map(MailHost::name).toList();
        Duration each = deadline.cap(probe.replyTimeout());
        Duration bound = deadline.remaining().dividedBy(2);
        bound = bound.compareTo(each.multipliedBy(2)) > 0 ? each.multipliedBy(2) : bound;
        DomainTlsPolicy late = DomainTlsPolicy.unavailable(name, probe.tlsPolicy().dnssec(),
                "the lookup did not finish within " + bound.toMillis() + " ms");
        return DomainTlsPolicy.discover(name, hosts, port, probe.tlsPolicy(), servers.get(0), each)
                .completeOnTimeout(late, bound.toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(d -> new TlsPolicyRun(probe, d));
    }

    private Lenient records() {
        Lenient l = records;
        if (l == null) {
            synchronized (this) {
                l = records;
                if (l == null) {
                    l = new Lenient(new ConcurrentHashMap<>(), Collections.synchronizedMap(new IdentityHashMap<>()));
                    records = l;
                }
            }
        }
        return l;
    }

    /** The judgement of {@code attempt}, or {@code null} when it was not judged (a verified port). */
    private PolicyJudgement judgementOf(Attempt attempt) {
        Lenient l = records;
        return l == null ? null : l.judged().get(attempt);
    }

    /** Whether the handshake to {@code port} accepts any chain, to judge it afterwards. */
    boolean lenient(int port) {
        return applied(probe, port) != TlsPolicy.VERIFY;
    }

    /** Records the chain of an established session and what a verifying client would find wrong with it. */
    void handshakeDone(AttemptPlan plan, SSLSession session) {
        if (!lenient(plan.remote().getPort())) {
            return;
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: nothing to check
        }
        X509Certificate[] array = chain.toArray(X509Certificate[]::new);
        records().handshakes().put(plan.index(), new Handshake(array, CertificateCheck.problem(array, StartTlsStep.serverName(plan),
                probe.trustManager(), probe.verifyHostname(), plan.now()).orElse(null)));
    }

    /**
     * Judges an ended attempt by the policy of its port: the same attempt, or one relabelled
     * {@link Verdict#TLS_POLICY_FAILED} when the domain requires authenticated TLS and the host fails it.
     */
    Attempt judge(AttemptPlan plan, Attempt attempt) {
        TlsPolicy policy = applied(probe, plan.remote().getPort());
        if (policy == TlsPolicy.VERIFY) {
            return attempt; // a verified port records no handshake (handshakeDone) and needs no judgement
        }
        Handshake handshake = records().handshakes().remove(plan.index());
        boolean plainOk = attempt.isOk() && attempt.tls() == null && plan.tlsMode().usesStartTls();
        PolicyJudgement j = policy == TlsPolicy.DOMAIN && domain != null
                ? PolicyJudgement.domain(domain, plan.host(), handshake, plainOk, plan.now())
                : PolicyJudgement.opportunistic(handshake);
        Attempt out = attempt;
        if (j.failure() != null && j.enforced() && (attempt.tls() != null || attempt.isOk())) {
            out = attempt.toBuilder().verdict(Verdict.TLS_POLICY_FAILED).phase(Phase.STARTTLS)
                    .detail(j.failure().rfcName() + ": " + j.detail()).build();
        }
        records().judged().put(out, j);
        return out;
    }

    /** The hints of the deciding attempt: a certificate finding under opportunistic TLS, the domain's policies. */
    List<Hint> hints(Attempt deciding) {
        List<Hint> hints = new ArrayList<>();
        PolicyJudgement j = judgementOf(deciding);
        if (j == null) {
            return hints;
        }
        if (deciding.isOk() && j.certificate() != null) {
            String type = PolicyJudgement.typeOf(j.certificate()).rfcName();
            hints.add(new Hint(HintCode.TLS_CERTIFICATE_NOT_VERIFIED, "TLS works, but the certificate would fail "
                    + "verification (" + PolicyJudgement.words(j.certificate()) + ", " + type
                    + "): " + j.certificate().detail() + ". An opportunistic sender (RFC 7435) delivers anyway; a "
                    + "sender that verifies certificates would refuse" + (domain == null
                    ? ", and so would a strict sender if the domain published MTA-STS enforce or DANE."
                    : "; what a strict sender does with this domain is in the " + HintCode.TLS_DOMAIN_POLICY + " hint."),
                    List.of("certificate check: " + j.certificate().detail())));
        }
        if (domain != null) {
            String strict = switch (j.strictSender()) {
                case DELIVERS -> "a strict sender (one that enforces MTA-STS and DANE) would also deliver: " + j.detail();
                case REFUSES -> "a strict sender (one that enforces MTA-STS and DANE) would not deliver: "
                        + (j.failure() != null ? j.failure().rfcName() + ": " : "") + j.detail();
                case NOT_CHECKED -> j.detail();
            };
            List<String> evidence = new ArrayList<>(domain.evidence());
            hints.add(new Hint(HintCode.TLS_DOMAIN_POLICY, "The domain " + domain.domain() + ": " + strict
                    + (j.failure() != null && !domain.reportTo().isEmpty()
                    ? " It asks for TLS failure reports (RFC 8460) to " + domain.reportTo() + "." : ""), evidence));
        }
        return hints;
    }

    /** What the result says about the policy of the deciding attempt. */
    TlsPolicyReport report(Attempt deciding) {
        int port = deciding.remote().getPort();
        TlsPolicy policy = applied(probe, port);
        PolicyJudgement j = judgementOf(deciding);
        String reason = j != null && policy == TlsPolicy.DOMAIN ? reason(probe, port) + "; " + j.requirement()
                : reason(probe, port);
        List<String> evidence = domain != null ? domain.evidence() : List.of();
        List<String> reportTo = List.of();
        if (domain != null) {
            reportTo = new ArrayList<>();
            for (URI uri : domain.reportTo()) {
                reportTo.add(uri.toString());
            }
        }
        StrictSender strict = j != null ? j.strictSender() : StrictSender.NOT_CHECKED;
        return new TlsPolicyReport(policy, reason, probe.tlsPolicy().dnssec(), evidence, reportTo,
                j != null && j.failure() != null ? j.failure().rfcName() : null, strict);
    }

    /** The domain's looked-up policies, when DOMAIN applies to an MX probe. */
    Optional<DomainTlsPolicy> domain() {
        return Optional.ofNullable(domain);
    }
}
