package dev.smtpprobe.internal.dns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.config.ResolvConfResolverConfigProvider;

/**
 * The {@code search} (or {@code domain}) list and {@code ndots} of resolv.conf, and the names they make of a host
 * name, in the order glibc's resolver (and so the JVM, which resolves through it) tries them.
 *
 * <p>The system's list is read with dnsjava's own configuration ({@link ResolverConfig}): the {@code dns.search}
 * and {@code dns.ndots} system properties, else {@code /etc/resolv.conf} with the {@code LOCALDOMAIN} and
 * {@code RES_OPTIONS} environment variables. This class is immutable and threadsafe.
 *
 * @param domains the search domains, in order: ASCII, lower case, without the trailing dot
 * @param ndots   a name with at least this many dots is tried as given first, before the search domains
 */
public record SearchList(List<String> domains, int ndots) {

    /** No search list: every name is absolute. */
    public static final SearchList NONE = new SearchList(List.of(), 1);
    /** The largest ndots glibc accepts. */
    public static final int MAX_NDOTS = 15;

    public SearchList {
        domains = List.copyOf(Objects.requireNonNull(domains, "domains"));
        if (ndots < 0 || ndots > MAX_NDOTS) {
            throw new IllegalArgumentException("ndots must be 0.." + MAX_NDOTS + ": " + ndots);
        }
    }

    /**
     * A search list from names as users write them ({@code "ns.svc.cluster.local"}, with or without the trailing
     * dot, internationalised names allowed).
     *
     * @throws IllegalArgumentException naming {@code argument} when a domain is not a valid name
     */
    public static SearchList of(List<String> domains, int ndots, String argument) {
        List<String> ascii = new ArrayList<>();
        for (String d : Objects.requireNonNull(domains, argument)) {
            ascii.add(DnsNames.toAscii(d, argument));
        }
        return new SearchList(ascii, ndots);
    }

    /**
     * The search list of a probe: {@code null} (the system's, read when a resolution starts) when neither part is
     * given, else the parts given with the system's for the other.
     *
     * @param domains the search domains (ASCII, as {@link #of} makes them), or {@code null} for the system's
     * @param ndots   the ndots, or {@code null} for the system's
     */
    public static SearchList overriding(List<String> domains, Integer ndots) {
        if (domains == null && ndots == null) {
            return null;
        }
        SearchList system = domains == null || ndots == null ? system() : null;
        return new SearchList(domains != null ? domains : system.domains(), ndots != null ? ndots : system.ndots());
    }

    /** The system's search list and ndots, as dnsjava's {@link ResolverConfig} reads them now. */
    public static SearchList system() {
        ResolverConfig config = ResolverConfig.getCurrentConfig();
        return fromDnsjava(config.searchPath(), config.ndots());
    }

    /**
     * The search list and ndots of a resolv.conf file, parsed by dnsjava's own resolv.conf reader (which also
     * applies the {@code LOCALDOMAIN} and {@code RES_OPTIONS} environment variables, as glibc does).
     *
     * @throws IOException when the file cannot be read
     */
    public static SearchList fromResolvConf(Path resolvConf) throws IOException {
        ResolvConfReader reader = new ResolvConfReader();
        try (InputStream in = Files.newInputStream(resolvConf)) {
            reader.read(in);
        }
        return fromDnsjava(reader.searchPaths(), reader.ndots());
    }

    private static SearchList fromDnsjava(List<Name> path, int ndots) {
        List<String> domains = new ArrayList<>();
        for (Name n : path) {
            String text = DnsNames.text(n);
            if (!text.equals(".")) {
                domains.add(text);
            }
        }
        return new SearchList(domains, Math.max(0, Math.min(MAX_NDOTS, ndots)));
    }

    /**
     * The names to try for a host name, in order (glibc's {@code res_search}): a name that ends with a dot is
     * absolute, tried alone; a name with at least {@link #ndots} dots is tried as given first, then with each
     * search domain; a name with fewer dots with each search domain first and as given last.
     *
     * @param ascii    the name in ASCII form without the trailing dot ({@link DnsNames#toAscii})
     * @param absolute whether the name was written with a trailing dot
     */
    public List<String> candidates(String ascii, boolean absolute) {
        if (absolute || domains.isEmpty()) {
            return List.of(ascii);
        }
        List<String> names = new ArrayList<>();
        for (String d : domains) {
            String candidate = ascii + "." + d;
            if (candidate.length() <= 253) {
                names.add(candidate);
            }
        }
        if (dots(ascii) >= ndots) {
            names.add(0, ascii);
        } else {
            names.add(ascii);
        }
        return List.copyOf(names);
    }

    private static int dots(String name) {
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    /** {@code "search [ns.example, example] ndots 5"}. */
    @Override
    public String toString() {
        return "search " + domains + " ndots " + ndots;
    }

    /** dnsjava's resolv.conf parser, given a file of our choosing instead of {@code /etc/resolv.conf}. */
    private static final class ResolvConfReader extends ResolvConfResolverConfigProvider {
        void read(InputStream in) throws IOException {
            parseResolvConf(in);
        }
    }
}
