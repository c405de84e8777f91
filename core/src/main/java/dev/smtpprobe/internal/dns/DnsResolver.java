package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.DnsLookup.Outcome;
import dev.smtpprobe.DnsRecord;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.dns.MxOrder.Candidate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import dev.smtpprobe.internal.LazyLogger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;

/**
 * Resolves like an MTA, without blocking a thread per lookup: dnsjava's {@link LookupSession#lookupAsync} over its
 * NIO clients, every query bounded by the configured timeout.
 *
 * <p>A mail domain (RFC 5321 §5.1): MX records in preference order, equal preferences shuffled; no MX → the domain
 * itself (implicit MX); a null MX ({@code MX 0 .}, RFC 7505) → {@link Verdict#DNS_NULL_MX}; NXDOMAIN →
 * {@link Verdict#DNS_NO_SUCH_DOMAIN}; then A/AAAA of each host, concurrently. A host without address is noted on
 * its {@link MailHost}; {@link Verdict#DNS_NO_MAIL_HOST} only when no host has one, {@link Verdict#DNS_FAILURE}
 * instead when a lookup failed (SERVFAIL, REFUSED, timeout, unreachable resolver: the detail says which, and where).
 *
 * <p>A single host is resolved as the JVM resolves it through glibc: the hosts file with the name as given, then DNS
 * with the names its {@link SearchList} makes ({@code search}/{@code domain} and {@code ndots} of resolv.conf), in
 * glibc's order, until one has an address; every name tried is a {@link MailHost} of the resolution, the one with
 * addresses last. A mail domain is always absolute, as an MTA resolves it: no search list.
 *
 * <p>Several resolvers are tried in order: the next one is asked only when one fails, never when one answers
 * NXDOMAIN or NODATA (that is an answer). Every exchange is recorded in the {@link Resolution}.
 *
 * <p>Futures never complete exceptionally for a DNS outcome. This class is immutable and threadsafe.
 */
public final class DnsResolver {

    private static final LazyLogger log = new LazyLogger(DnsResolver.class);

    /** The label of answers read from the hosts file. */
    static final String HOSTS_FILE = "hosts file";
    /**
     * MX hosts resolved and tried, in order; the rest are listed in the detail. A zone with hundreds of MX records
     * (broken or hostile) must not turn one probe into hundreds of queries and connections. Postfix tries 5
     * addresses by default; a diagnosis may look further, not unboundedly.
     */
    static final int MAX_MX_HOSTS = 16;
    /** CNAME hops followed per lookup; longer chains are broken zones. */
    private static final int MAX_CNAME_HOPS = 8;
    /**
     * Shared: the parser caches the file and re-reads it when it changes. In a holder, made on first use: a probe
     * of an address literal never loads dnsjava.
     */
    private static final class SystemHosts {
        static final HostsFileParser PARSER = new HostsFileParser();
    }

    private final DnsSettings settings;
    private final HostsFileParser hosts;

    /**
     * A resolver with these settings. A single host is looked up in a hosts file first: the one the settings name,
     * else the system's when the system's resolvers are used.
     */
    public DnsResolver(DnsSettings settings) {
        this(settings, hostsFor(settings));
    }

    private DnsResolver(DnsSettings settings, HostsFileParser hosts) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hosts = hosts;
    }

    private static HostsFileParser hostsFor(DnsSettings settings) {
        if (settings.hostsFile() != null) {
            return new HostsFileParser(settings.hostsFile());
        }
        return settings.usesSystemResolvers() ? SystemHosts.PARSER : null;
    }

    /** The settings. */
    public DnsSettings settings() {
        return settings;
    }

    /**
     * Resolves a mail domain ({@link Kind#MX}) or a single host ({@link Kind#HOST}). An address literal
     * ({@code 192.0.2.1}, {@code [192.0.2.1]}, {@code ::1}, {@code [IPv6:::1]}) skips DNS either way.
     *
     * @throws IllegalArgumentException at once when the name is not a valid host or domain name
     */
    public CompletableFuture<Resolution> resolve(String target, Kind kind) {
        Objects.requireNonNull(target, "target");
        if (kind == null || kind == Kind.LITERAL) {
            throw new IllegalArgumentException("kind must be MX or HOST: " + kind);
        }
        Optional<InetAddress> literal = Addresses.parseLiteral(target);
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(literal(target, literal.get(), settings.ipVersion()));
        }
        String ascii = DnsNames.toAscii(target, kind == Kind.MX ? "domain" : "host");
        boolean absolute = target.strip().endsWith(".");
        Run run = new Run(target, ascii, absolute, kind, settings.servers());
        return run.start().exceptionally(run::unexpected);
    }

    /**
     * Resolves the same target through each resolver independently (no failover) and reports how the answers
     * differ.
     *
     * @throws IllegalArgumentException when fewer than two resolvers are given, or the name is invalid
     */
    public CompletableFuture<ResolverComparison> compare(String target, Kind kind, List<InetSocketAddress> resolvers) {
        if (resolvers == null || resolvers.size() < 2) {
            throw new IllegalArgumentException("compareResolvers needs at least two resolvers: " + resolvers);
        }
        List<CompletableFuture<Resolution>> each = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (InetSocketAddress r : resolvers) {
            each.add(new DnsResolver(settings.withServers(List.of(r)), hosts).resolve(target, kind));
            labels.add(Addresses.format(r));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Resolution> resolutions = each.stream().map(CompletableFuture::join).toList();
            return new ResolverComparison(resolutions.get(0).name(), labels, resolutions,
                    ResolutionDiff.differences(labels, resolutions));
        });
    }

    /**
     * The resolution of an address literal the caller has already parsed ({@link Addresses#parseLiteral}): no
     * DNS, no resolver, and the literal is not parsed again. Static, so a probe of a literal loads no DNS classes
     * (nor the logging they set up): part of an application's cold start (BENCHMARKS.md).
     */
    public static Resolution resolveLiteral(String query, InetAddress address, IpVersion ipVersion) {
        return literal(Objects.requireNonNull(query, "query"), Objects.requireNonNull(address, "address"),
                Objects.requireNonNull(ipVersion, "ipVersion"));
    }

    private static Resolution literal(String query, InetAddress address, IpVersion v) {
        String text = address.getHostAddress();
        if (!v.allows(address)) {
            String detail = "the address literal " + text + " is IPv" + (address instanceof java.net.Inet6Address ? "6" : "4")
                    + " but ipVersion is " + v;
            return new Resolution(query, text, Kind.LITERAL, Verdict.DNS_NO_MAIL_HOST, detail,
                    List.of(new MailHost(text, 0, false, List.of(), List.of(detail))), List.of(), Duration.ZERO);
        }
        return new Resolution(query, text, Kind.LITERAL, Verdict.OK, "address literal " + text + ": no DNS",
                List.of(new MailHost(text, 0, false, List.of(address), List.of())), List.of(), Duration.ZERO);
    }

    /** One lookup's conclusion, after failover. */
    private record Step(Outcome outcome, List<Record> records, String detail, String resolver) {
    }

    /**
     * What resolving one host's addresses found. {@code searchGoesOn}: no failure other than SERVFAIL, so that the
     * next name of a search list is tried (glibc's {@code res_search} stops at a timeout or a refusal).
     */
    private record HostOutcome(MailHost host, boolean failed, boolean noSuchDomain, boolean searchGoesOn) {
    }

    /** A resolver to ask, with the session that asks it. */
    private record Server(String label, LookupSession session) {
    }

    /** One resolution: its own query log, sessions and random order. */
    private final class Run {
        private final String query;
        private final String ascii;
        private final boolean absolute;
        private final Kind kind;
        private final QueryLog queries = new QueryLog(settings.ticker());
        private final List<Server> servers = new ArrayList<>();
        private final Random random;

        Run(String query, String ascii, boolean absolute, Kind kind, List<InetSocketAddress> configured) {
            this.query = query;
            this.ascii = ascii;
            this.absolute = absolute;
            this.kind = kind;
            this.random = settings.shuffleSeed() == null ? new Random() : new Random(settings.shuffleSeed());
            boolean system = configured.isEmpty();
            List<InetSocketAddress> addresses = system ? ResolverConfig.getCurrentConfig().servers() : configured;
            for (InetSocketAddress address : addresses) {
                String label = Addresses.format(address) + (system ? " (system)" : "");
                RecordingResolver recording = new RecordingResolver(new SimpleResolver(address), label,
                        settings.timeout(), queries);
                // No cache: a diagnosis wants what the resolver says now. No search path here: every name asked is
                // absolute, and a single host's search list is applied by searchHost, name by name, as glibc does
                // (A and AAAA of one name together, on to the next name after NODATA too); LookupSession's own
                // search path runs per record type and stops at NODATA.
                LookupSession session = LookupSession.builder().resolver(recording).maxRedirects(MAX_CNAME_HOPS).build();
                servers.add(new Server(label, session));
            }
        }

        CompletableFuture<Resolution> start() {
            log.get().debug("resolving {} {} via {}", kind, ascii, servers.stream().map(Server::label).toList());
            if (kind == Kind.HOST) {
                Resolution fromHostsFile = hosts != null ? fromHostsFile() : null;
                if (fromHostsFile != null) {
                    return CompletableFuture.completedFuture(fromHostsFile);
                }
                SearchList search = settings.search() != null ? settings.search() : SearchList.system();
                List<String> names = search.candidates(ascii, absolute);
                if (names.size() > 1) {
                    log.get().debug("{} with {}: trying {}", ascii, search, names);
                }
                return searchHost(names, 0, new ArrayList<>()).thenApply(tried -> hostVerdict(tried, search));
            }
            return lookup(DnsNames.absolute(ascii), Type.MX).thenCompose(step -> switch (step.outcome()) {
                case NO_SUCH_DOMAIN -> done(Verdict.DNS_NO_SUCH_DOMAIN, ascii + " does not exist (NXDOMAIN for MX from "
                        + step.resolver() + ")", List.of());
                case NO_DATA -> allAddresses(List.of(new Candidate(ascii, 0)), true, null);
                case ANSWER -> fromMx(step);
                default -> done(Verdict.DNS_FAILURE, "the MX lookup for " + ascii + " failed: " + step.detail(), List.of());
            });
        }

        private CompletableFuture<Resolution> fromMx(Step step) {
            List<Candidate> candidates = new ArrayList<>();
            boolean nullMx = false;
            for (Record r : step.records()) {
                MXRecord mx = (MXRecord) r;
                if (mx.getTarget().equals(Name.root)) {
                    nullMx = true;
                } else {
                    candidates.add(new Candidate(DnsNames.text(mx.getTarget()), mx.getPriority()));
                }
            }
            if (candidates.isEmpty()) {
                return done(Verdict.DNS_NULL_MX, ascii + " publishes a null MX (MX 0 ., RFC 7505): it accepts no mail",
                        List.of());
            }
            List<String> notes = new ArrayList<>();
            if (nullMx) {
                notes.add("a null MX (target .) is mixed with other MX records, which RFC 7505 forbids; it was ignored");
            }
            List<Candidate> ordered = MxOrder.order(candidates, random);
            if (ordered.size() > MAX_MX_HOSTS) {
                notes.add((ordered.size() - MAX_MX_HOSTS) + " more MX hosts after the first " + MAX_MX_HOSTS
                        + " were not resolved");
                ordered = ordered.subList(0, MAX_MX_HOSTS);
            }
            return allAddresses(ordered, false, notes.isEmpty() ? null : String.join("; ", notes));
        }

        private CompletableFuture<Resolution> allAddresses(List<Candidate> candidates, boolean implicit, String note) {
            List<CompletableFuture<HostOutcome>> each = candidates.stream().map(c -> hostAddresses(c, implicit)).toList();
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<HostOutcome> outcomes = each.stream().map(CompletableFuture::join).toList();
                return mxVerdict(outcomes, implicit, note);
            });
        }

        private CompletableFuture<HostOutcome> hostAddresses(Candidate candidate, boolean implicit) {
            Name name = DnsNames.absolute(candidate.host());
            IpVersion v = settings.ipVersion();
            CompletableFuture<Step> v4 = v.usesV4() ? lookup(name, Type.A) : CompletableFuture.completedFuture(null);
            CompletableFuture<Step> v6 = v.usesV6() ? lookup(name, Type.AAAA) : CompletableFuture.completedFuture(null);
            return v4.thenCombine(v6, (a, aaaa) -> hostOutcome(candidate, implicit, a, aaaa));
        }

        private HostOutcome hostOutcome(Candidate candidate, boolean implicit, Step a, Step aaaa) {
            List<InetAddress> found = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            boolean failed = false;
            boolean onlyServerFailures = true;
            boolean allNx = true;
            for (Step step : new Step[] {a, aaaa}) {
                if (step == null) {
                    continue;
                }
                for (Record r : step.records()) {
                    if (r instanceof ARecord ar) {
                        found.add(ar.getAddress());
                    } else if (r instanceof AAAARecord ar) {
                        found.add(ar.getAddress());
                    }
                }
                if (step.outcome().isFailure()) {
                    failed = true;
                    onlyServerFailures &= step.outcome() == Outcome.SERVER_FAILURE;
                    problems.add((step == a ? "A" : "AAAA") + ": " + step.detail());
                }
                allNx &= step.outcome() == Outcome.NO_SUCH_DOMAIN;
            }
            if (found.isEmpty() && !failed) {
                String what = allNx ? "does not exist (NXDOMAIN)" : "has no " + families() + " record";
                if (kind == Kind.MX && !implicit) {
                    what += " (dangling MX target)";
                }
                problems.add(what);
            }
            MailHost host = new MailHost(candidate.host(), candidate.preference(), implicit,
                    settings.ipVersion().order(found), problems);
            return new HostOutcome(host, failed, allNx && !failed, found.isEmpty() && onlyServerFailures);
        }

        private Resolution mxVerdict(List<HostOutcome> outcomes, boolean implicit, String note) {
            List<MailHost> hostList = outcomes.stream().map(HostOutcome::host).toList();
            String hostsText = hostList.stream().map(this::describe).collect(Collectors.joining("; "));
            String suffix = note == null ? "" : " (" + note + ")";
            if (hostList.stream().anyMatch(MailHost::hasAddress)) {
                String head = implicit ? ascii + " has no MX record; implicit MX (the domain's own address): "
                        : "mail hosts in order: ";
                return resolution(Verdict.OK, head + hostsText + suffix, hostList);
            }
            if (outcomes.stream().anyMatch(HostOutcome::failed)) {
                return resolution(Verdict.DNS_FAILURE, "no mail host of " + ascii
                        + " has an address and a lookup failed: " + hostsText + suffix, hostList);
            }
            if (implicit) {
                return resolution(Verdict.DNS_NO_MAIL_HOST, ascii + " has no MX record and no " + families()
                        + " record" + suffix, hostList);
            }
            return resolution(Verdict.DNS_NO_MAIL_HOST, "no MX target of " + ascii + " has an address: " + hostsText
                    + suffix, hostList);
        }

        /**
         * Each name of the search list in turn, as glibc's {@code res_search} does (the hosts file was read before):
         * the first with an address ends the search; NXDOMAIN, NODATA and SERVFAIL go on to the next name; any other
         * failure ends it. The outcomes come back in the order tried.
         */
        private CompletableFuture<List<HostOutcome>> searchHost(List<String> names, int index, List<HostOutcome> tried) {
            return hostAddresses(new Candidate(names.get(index), 0), false).thenCompose(outcome -> {
                tried.add(outcome);
                if (outcome.host().hasAddress() || !outcome.searchGoesOn() || index + 1 >= names.size()) {
                    return CompletableFuture.completedFuture(tried);
                }
                return searchHost(names, index + 1, tried);
            });
        }

        private Resolution hostVerdict(List<HostOutcome> tried, SearchList search) {
            List<MailHost> hostList = tried.stream().map(HostOutcome::host).toList();
            HostOutcome last = tried.get(tried.size() - 1);
            MailHost host = last.host();
            boolean searched = tried.size() > 1 || !host.name().equals(ascii);
            String names = hostList.stream().map(MailHost::name).collect(Collectors.joining(", "));
            if (host.hasAddress()) {
                if (!searched) {
                    return resolution(Verdict.OK, describe(host), hostList);
                }
                String before = tried.size() == 1 ? "" : "; tried before: " + hostList.subList(0, hostList.size() - 1)
                        .stream().map(this::describe).collect(Collectors.joining("; "));
                return resolution(Verdict.OK, describe(host) + " (" + ascii + " through the " + search + before + ")",
                        hostList);
            }
            String each = hostList.stream().map(this::describe).collect(Collectors.joining("; "));
            if (tried.stream().anyMatch(HostOutcome::failed)) {
                String problems = searched ? each : String.join("; ", host.problems());
                return resolution(Verdict.DNS_FAILURE, "resolving " + ascii + " failed: " + problems, hostList);
            }
            if (tried.stream().allMatch(HostOutcome::noSuchDomain)) {
                String from = queries.lookups().stream().map(DnsLookup::resolver).findFirst().orElse("?");
                String which = searched ? " for every name of the " + search + ": " + names : "";
                return resolution(Verdict.DNS_NO_SUCH_DOMAIN, ascii + " does not exist (NXDOMAIN" + which + " from "
                        + from + ")", hostList);
            }
            return resolution(Verdict.DNS_NO_MAIL_HOST, ascii + " has no " + families() + " record"
                    + (searched ? " under any name of the " + search + ": " + each : ""), hostList);
        }

        /** {@code "10 mx1.example.com [192.0.2.1, 2001:db8::1]"} or {@code "... [no address: NXDOMAIN]"}. */
        private String describe(MailHost h) {
            StringBuilder sb = new StringBuilder();
            if (kind == Kind.MX) {
                sb.append(h.preference()).append(' ');
            }
            sb.append(h.name()).append(" [");
            if (h.hasAddress()) {
                sb.append(h.addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
            } else {
                sb.append("no address");
            }
            sb.append(']');
            if (!h.problems().isEmpty()) {
                sb.append(' ').append(String.join("; ", h.problems()));
            }
            return sb.toString();
        }

        private String families() {
            return switch (settings.ipVersion()) {
                case V4_ONLY -> "A (IPv4 only)";
                case V6_ONLY -> "AAAA (IPv6 only)";
                default -> "A or AAAA";
            };
        }

        // ---- lookups with failover ----------------------------------------------------------------------------

        private CompletableFuture<Step> lookup(Name name, int type) {
            if (servers.isEmpty()) {
                return CompletableFuture.completedFuture(new Step(Outcome.ERROR, List.of(),
                        "no resolver configured (the system configuration lists none)", "-"));
            }
            return lookup(name, type, 0, List.of());
        }

        private CompletableFuture<Step> lookup(Name name, int type, int index, List<String> earlierFailures) {
            Server server = servers.get(index);
            CompletableFuture<LookupResult> sent;
            try {
                sent = server.session().lookupAsync(name, type).toCompletableFuture();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.handle((result, error) -> {
                if (error == null) {
                    List<Record> typed = result.getRecords().stream().filter(r -> r.getType() == type).toList();
                    return new Step(typed.isEmpty() ? Outcome.NO_DATA : Outcome.ANSWER, typed, "", server.label());
                }
                Failures.Failure f = Failures.classify(error, settings.timeout());
                String detail = f.outcome().label() + " from " + server.label()
                        + (f.detail().isEmpty() ? "" : " (" + f.detail() + ")");
                return new Step(f.outcome(), List.of(), detail, server.label());
            }).thenCompose(step -> {
                if (!step.outcome().isFailure()) {
                    return CompletableFuture.completedFuture(step);
                }
                List<String> failures = new ArrayList<>(earlierFailures);
                failures.add(step.detail());
                if (index + 1 < servers.size()) {
                    log.get().debug("{} {} failed at {}: {}; asking the next resolver", Type.string(type), name, server.label(),
                            step.detail());
                    return lookup(name, type, index + 1, failures);
                }
                return CompletableFuture.completedFuture(new Step(step.outcome(), List.of(), String.join("; ", failures),
                        step.resolver()));
            });
        }

        private Resolution fromHostsFile() {
            Name name = DnsNames.absolute(ascii);
            List<InetAddress> found = new ArrayList<>();
            List<DnsLookup> lookups = new ArrayList<>();
            for (int type : new int[] {Type.A, Type.AAAA}) {
                if (type == Type.A ? !settings.ipVersion().usesV4() : !settings.ipVersion().usesV6()) {
                    continue;
                }
                try {
                    Optional<InetAddress> a = hosts.getAddressForHost(name, type);
                    if (a.isPresent()) {
                        found.add(a.get());
                        lookups.add(new DnsLookup(ascii, Type.string(type), HOSTS_FILE, Outcome.ANSWER,
                                List.of(new DnsRecord(ascii, Type.string(type), 0, a.get().getHostAddress(), HOSTS_FILE)),
                                "", queries.since(queries.now()), Duration.ZERO));
                    }
                } catch (IOException e) {
                    log.get().debug("the hosts file could not be read; using DNS for {}", ascii, e);
                    return null;
                }
            }
            if (found.isEmpty()) {
                return null;
            }
            MailHost host = new MailHost(ascii, 0, false, settings.ipVersion().order(found), List.of());
            return new Resolution(query, ascii, kind, Verdict.OK, describe(host) + " (from the hosts file)",
                    List.of(host), lookups, elapsed());
        }

        private CompletableFuture<Resolution> done(Verdict verdict, String detail, List<MailHost> hostList) {
            return CompletableFuture.completedFuture(resolution(verdict, detail, hostList));
        }

        private Resolution resolution(Verdict verdict, String detail, List<MailHost> hostList) {
            Resolution r = new Resolution(query, ascii, kind, verdict, detail, hostList, queries.lookups(), elapsed());
            log.get().debug("resolved {} {}: {}", kind, ascii, r);
            return r;
        }

        /** A bug, not a DNS outcome: still a value, so that a probe never throws. */
        Resolution unexpected(Throwable error) {
            log.get().error("smtp-probe: resolving {} failed unexpectedly", ascii, error);
            return resolution(Verdict.DNS_FAILURE, "resolution failed unexpectedly: " + Failures.unwrap(error), List.of());
        }

        private Duration elapsed() {
            return queries.elapsed();
        }
    }
}
