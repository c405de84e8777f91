package dev.smtpprobe.internal.tls;

import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.internal.tls.MtaSts.Discovery;
import dev.smtpprobe.internal.tls.MtaSts.Failed;
import dev.smtpprobe.internal.tls.MtaSts.Found;
import dev.smtpprobe.internal.tls.MtaSts.NotPublished;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * What a mail domain publishes about TLS, as a sender looks it up before delivering: its MTA-STS policy (RFC 8461),
 * its TLS-RPT destinations (RFC 8460) and, for each MX host, its TLSA records (RFC 7672) with their DNSSEC status.
 * Nothing here judges a connection; {@code TlsPolicyRun} applies it to each attempt. Immutable.
 */
public final class DomainTlsPolicy {

    private final String domain;
    private final Discovery mtaSts;
    private final List<URI> reportTo;
    private final String tlsRptNote;
    private final Map<String, TlsaAnswer> tlsa;
    private final DnssecMode dnssec;

    private DomainTlsPolicy(String domain, Discovery mtaSts, List<URI> reportTo, String tlsRptNote,
            Map<String, TlsaAnswer> tlsa, DnssecMode dnssec) {
        this.domain = domain;
        this.mtaSts = mtaSts;
        this.reportTo = List.copyOf(reportTo);
        this.tlsRptNote = tlsRptNote;
        this.tlsa = Map.copyOf(tlsa);
        this.dnssec = dnssec;
    }

    /**
     * A domain whose policies could not be looked up in time: a sender without a cached policy delivers as if the
     * domain published none (RFC 8461 §5), so this is opportunistic, with the reason as evidence.
     */
    public static DomainTlsPolicy unavailable(String domain, DnssecMode dnssec, String why) {
        return new DomainTlsPolicy(domain, new NotPublished(why), List.of(), "TLS-RPT: not looked up (" + why + ")",
                Map.of(), dnssec);
    }

    /**
     * Looks up the domain's policies: MTA-STS and TLS-RPT on a thread of their own (blocking DNS and HTTPS, each
     * bounded by {@code timeout}), the TLSA records of every MX host concurrently (only when DNSSEC is to be
     * trusted). The future never completes exceptionally.
     *
     * @param domain   the mail domain
     * @param mxHosts  the MX host names, in preference order
     * @param port     the SMTP port probed ({@code _<port>._tcp.<mx>})
     * @param settings the probe's TLS policy settings (DNSSEC mode, MTA-STS trust and port)
     * @param resolver the resolver to ask
     * @param timeout  the bound of each lookup and of the policy fetch
     */
    public static CompletableFuture<DomainTlsPolicy> discover(String domain, List<String> mxHosts, int port,
            TlsPolicySettings settings, InetSocketAddress resolver, Duration timeout) {
        Executor thread = task -> {
            Thread t = new Thread(task, "smtp-probe-mta-sts");
            t.setDaemon(true);
            t.start();
        };
        CompletableFuture<Object[]> sts = CompletableFuture.supplyAsync(() -> {
            TxtLookup txt = TxtLookup.using(resolver, timeout);
            Discovery discovery;
            try {
                discovery = new MtaSts(txt, fetcher(settings, resolver, timeout)).discover(domain);
            } catch (RuntimeException e) {
                discovery = new Failed(null, TlsRptResultType.STS_POLICY_FETCH_ERROR, "MTA-STS lookup failed: " + e);
            }
            List<URI> rua = List.of();
            String note;
            try {
                Optional<TlsRpt> rpt = TlsRpt.read(domain, txt);
                rua = rpt.map(TlsRpt::rua).orElse(List.of());
                note = rpt.isPresent() ? "TLS-RPT: _smtp._tls." + domain + " asks for failure reports to "
                        + rua : "TLS-RPT: no usable v=TLSRPTv1 record at _smtp._tls." + domain;
            } catch (TxtLookup.TxtLookupException | RuntimeException e) {
                note = "TLS-RPT: lookup of _smtp._tls." + domain + " failed: " + e.getMessage();
            }
            return new Object[] {discovery, rua, note};
        }, thread);
        Map<String, CompletableFuture<TlsaAnswer>> answers = new LinkedHashMap<>();
        if (settings.dnssec() != DnssecMode.NONE) {
            TlsaLookup lookup = settings.dnssec() == DnssecMode.VALIDATE
                    ? TlsaLookup.validating(resolver, settings.anchors(), timeout)
                    : TlsaLookup.of(resolver, true, timeout);
            for (String host : mxHosts) {
                try {
                    answers.putIfAbsent(key(host), lookup.lookup(host, port).toCompletableFuture());
                } catch (IllegalArgumentException e) {
                    // not a DNS name: no TLSA to look up
                }
            }
        }
        CompletableFuture<?> all = CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new));
        return sts.thenCombine(all, (found, done) -> {
            Map<String, TlsaAnswer> tlsa = new LinkedHashMap<>();
            answers.forEach((host, answer) -> tlsa.put(host, answer.join()));
            @SuppressWarnings("unchecked")
            List<URI> rua = (List<URI>) found[1];
            return new DomainTlsPolicy(domain, (Discovery) found[0], rua, (String) found[2], tlsa,
                    settings.dnssec());
        }).exceptionally(e -> unavailable(domain, settings.dnssec(), "lookup failed: " + e));
    }

    private static PolicyFetcher fetcher(TlsPolicySettings settings, InetSocketAddress resolver, Duration timeout) {
        PolicyHostRoute route = new PolicyHostRoute(resolver, timeout, settings.httpsPort());
        if (settings.webPkiTrust() == null && settings.httpsPort() == 443) {
            try {
                return new PolicyFetcher(SSLContext.getDefault(), route, timeout);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no default SSL context", e);
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, settings.webPkiTrust() == null ? null : new TrustManager[] {settings.webPkiTrust()},
                    null);
            return new PolicyFetcher(context, route, timeout);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context for the MTA-STS fetch", e);
        }
    }

    private static String key(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** @return the mail domain */
    public String domain() {
        return domain;
    }

    /** @return what MTA-STS discovery found */
    public Discovery mtaSts() {
        return mtaSts;
    }

    /** @return the MTA-STS policy when one was found, whatever its mode */
    public Optional<MtaStsPolicy> stsPolicy() {
        return mtaSts instanceof Found f ? Optional.of(f.policy()) : Optional.empty();
    }

    /** @return where the domain wants TLS failure reports (TLS-RPT {@code rua}) */
    public List<URI> reportTo() {
        return reportTo;
    }

    /** @return the TLSA answer for an MX host, when looked up */
    public Optional<TlsaAnswer> tlsa(String host) {
        return Optional.ofNullable(tlsa.get(key(host)));
    }

    /** @return how DNSSEC was established */
    public DnssecMode dnssec() {
        return dnssec;
    }

    /** One line per fact found: MTA-STS, TLS-RPT, each MX host's TLSA answer. */
    public List<String> evidence() {
        List<String> lines = new ArrayList<>();
        if (mtaSts instanceof Found f) {
            MtaStsPolicy p = f.policy();
            lines.add("MTA-STS: _mta-sts." + domain + " id=" + f.id() + "; policy mode "
                    + p.mode().name().toLowerCase(Locale.ROOT) + ", mx " + p.mxPatterns() + ", max_age "
                    + p.maxAge().toSeconds() + " s");
        } else if (mtaSts instanceof Failed f) {
            lines.add("MTA-STS: " + (f.id() != null ? "record id=" + f.id() + " but no usable policy: "
                    : "the record could not be read: ") + f.type() + ": " + f.detail()
                    + " (a sender without a cached policy delivers as if there were none)");
        } else if (mtaSts instanceof NotPublished n) {
            lines.add("MTA-STS: none (" + n.reason() + ")");
        }
        lines.add(tlsRptNote);
        if (dnssec == DnssecMode.NONE) {
            lines.add("DANE: not checked (DNSSEC mode NONE: no answer is authenticated)");
        }
        tlsa.forEach((host, answer) -> lines.add("DANE: " + answer.queryName() + ": " + answer.detail()));
        return lines;
    }
}
