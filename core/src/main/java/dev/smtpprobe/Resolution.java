package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What name resolution found, as an immutable value: the mail hosts in the order to try them, or a DNS verdict
 * with its detail, and every query and answer it rests on.
 *
 * <pre>{@code
 * Resolution r = SmtpProbe.mx("example.com").run().resolution();
 * for (MailHost host : r.hosts()) {
 *     System.out.println(host); // 10 mx1.example.com [192.0.2.1]
 * }
 * r.records().forEach(System.out::println); // names, preferences, addresses, TTLs, which resolver
 * }</pre>
 *
 * <p>Resolution follows RFC 5321 §5.1 for a domain: MX records sorted by preference, equal preferences in random
 * order; no MX → the domain itself (implicit MX); a null MX (RFC 7505) → {@link Verdict#DNS_NULL_MX}. A host's
 * problem (an MX target without address, a failed AAAA query) is noted on the {@link MailHost} and only becomes
 * the verdict when no host has an address.
 *
 * @param query   the domain or host as given
 * @param name    the name resolved: ASCII (IDNA) form, lower case, without the trailing dot; the address for a
 *                literal
 * @param kind    what was resolved
 * @param verdict {@link Verdict#OK} when at least one host has an address, otherwise the DNS verdict
 * @param detail  a precise description: what was found, or what failed and at which resolver
 * @param hosts   the mail hosts in the order to try them, with and without addresses
 * @param lookups every DNS query sent, in the order sent (empty for a literal)
 * @param elapsed how long resolution took
 */
public record Resolution(String query, String name, Kind kind, Verdict verdict, String detail, List<MailHost> hosts,
                         List<DnsLookup> lookups, Duration elapsed) {

    /** What a resolution was for. */
    public enum Kind {
        /** A mail domain: its MX records, then their addresses (like an MTA). */
        MX,
        /** One host: its A and AAAA records. */
        HOST,
        /** An address literal: no DNS at all. */
        LITERAL
    }

    /**
     * Checks and copies the components.
     *
     * @param query the domain or host as given
     * @param name the name resolved: ASCII (IDNA) form, lower case, without the trailing dot; the address for a literal
     * @param kind what was resolved
     * @param verdict {@link Verdict#OK} when at least one host has an address, otherwise the DNS verdict
     * @param detail a precise description: what was found, or what failed and at which resolver
     * @param hosts the mail hosts in the order to try them, with and without addresses
     * @param lookups every DNS query sent, in the order sent (empty for a literal)
     * @param elapsed how long resolution took
     */
    public Resolution {
        Arguments.requireNonNull(query, "query");
        Arguments.requireNonNull(name, "name");
        Arguments.requireNonNull(kind, "kind");
        Arguments.requireNonNull(verdict, "verdict");
        if (!verdict.isOk() && verdict.layer() != Layer.DNS) {
            throw new IllegalArgumentException("verdict must be OK or a DNS verdict: " + verdict);
        }
        Arguments.requireNonNull(detail, "detail");
        hosts = List.copyOf(Arguments.requireNonNull(hosts, "hosts"));
        lookups = List.copyOf(Arguments.requireNonNull(lookups, "lookups"));
        Arguments.requireNonNull(elapsed, "elapsed");
    }

    /** {@return whether at least one mail host has an address} */
    public boolean isOk() {
        return verdict.isOk();
    }

    /** {@return the hosts that have at least one address, in the order to try them} */
    public List<MailHost> reachableHosts() {
        for (MailHost h : hosts) { // a loop: one call per probe, and the usual answer is every host
            if (!h.hasAddress()) {
                List<MailHost> reachable = new ArrayList<>();
                for (MailHost r : hosts) {
                    if (r.hasAddress()) {
                        reachable.add(r);
                    }
                }
                return List.copyOf(reachable);
            }
        }
        return hosts;
    }

    /** {@return every address to try, host by host, in order} */
    public List<InetAddress> addresses() {
        List<InetAddress> all = new ArrayList<>();
        hosts.forEach(h -> all.addAll(h.addresses()));
        return List.copyOf(all);
    }

    /** {@return every record received, query by query, in the order received} */
    public List<DnsRecord> records() {
        List<DnsRecord> all = new ArrayList<>();
        lookups.forEach(l -> all.addAll(l.answers()));
        return List.copyOf(all);
    }

    /** {@return the resolvers that were asked, in the order first asked} */
    public List<String> resolvers() {
        Set<String> seen = new LinkedHashSet<>();
        lookups.forEach(l -> seen.add(l.resolver()));
        return List.copyOf(seen);
    }

    /** {@code "MX example.com -> OK: 10 mx1.example.com [192.0.2.1]; 20 mx2.example.com [192.0.2.2]"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(kind).append(' ').append(name).append(" -> ").append(verdict);
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }
}
