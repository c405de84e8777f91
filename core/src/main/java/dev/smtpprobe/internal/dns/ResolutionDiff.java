package dev.smtpprobe.internal.dns;

import dev.smtpprobe.MailHost;
import dev.smtpprobe.Resolution;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How resolutions of one target through different resolvers differ, in what decides where mail goes: the verdict,
 * the mail hosts with their preferences, each host's addresses. TTLs and the shuffled order of equal preferences
 * are not differences. Pure code.
 */
final class ResolutionDiff {

    private ResolutionDiff() {
    }

    /** One sentence per difference, each naming what every resolver said; empty when they all agree. */
    static List<String> differences(List<String> resolvers, List<Resolution> resolutions) {
        List<String> out = new ArrayList<>();
        compare(out, "verdict", resolvers, resolutions, r -> r.verdict().name()
                + (r.isOk() ? "" : " (" + r.detail() + ")"), r -> r.verdict().name());
        compare(out, "mail hosts", resolvers, resolutions, ResolutionDiff::hostSet, ResolutionDiff::hostSet);
        Set<String> common = null;
        for (Resolution r : resolutions) {
            Set<String> names = r.hosts().stream().map(MailHost::name).collect(Collectors.toCollection(LinkedHashSet::new));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        for (String host : common == null ? Set.<String>of() : common) {
            compare(out, host + " addresses", resolvers, resolutions, r -> addresses(r, host), r -> addresses(r, host));
        }
        return List.copyOf(out);
    }

    private interface View {
        String of(Resolution r);
    }

    /** Adds a sentence when the {@code key} view differs: each resolver with what it said ({@code shown}). */
    private static void compare(List<String> out, String aspect, List<String> resolvers, List<Resolution> resolutions,
                                View shown, View key) {
        Set<String> keys = new LinkedHashSet<>();
        resolutions.forEach(r -> keys.add(key.of(r)));
        if (keys.size() <= 1) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < resolutions.size(); i++) {
            parts.add(shown.of(resolutions.get(i)) + " via " + resolvers.get(i));
        }
        out.add(aspect + " differ: " + String.join("; ", parts));
    }

    /** {@code "{10 mx1.example.com, 20 mx2.example.com}"}, sorted, so that shuffling is not a difference. */
    private static String hostSet(Resolution r) {
        Map<String, Integer> byName = new TreeMap<>();
        r.hosts().forEach(h -> byName.put(h.name(), h.preference()));
        return byName.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String addresses(Resolution r, String host) {
        Set<String> sorted = new TreeSet<>();
        r.hosts().stream().filter(h -> Objects.equals(h.name(), host))
                .forEach(h -> h.addresses().stream().map(InetAddress::getHostAddress).forEach(sorted::add));
        return sorted.isEmpty() ? "[none]" : sorted.toString();
    }
}
