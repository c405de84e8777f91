package dev.smtpprobe.internal.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The order in which an MTA tries MX hosts (RFC 5321 §5.1): lowest preference first; hosts of equal preference in
 * random order, so that senders spread their load across them. Pure code, no DNS.
 */
final class MxOrder {

    /** An MX target and its preference. */
    record Candidate(String host, int preference) {
    }

    private MxOrder() {
    }

    /**
     * The candidates sorted by preference, equal preferences shuffled with {@code random}. A host listed twice keeps
     * its lowest preference only.
     */
    static List<Candidate> order(List<Candidate> candidates, Random random) {
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            best.merge(c.host(), c.preference(), Math::min);
        }
        TreeMap<Integer, List<Candidate>> byPreference = new TreeMap<>();
        best.forEach((host, pref) -> byPreference.computeIfAbsent(pref, p -> new ArrayList<>()).add(new Candidate(host, pref)));
        List<Candidate> ordered = new ArrayList<>(best.size());
        for (List<Candidate> group : byPreference.values()) {
            if (group.size() > 1) {
                Collections.shuffle(group, random);
            }
            ordered.addAll(group);
        }
        return List.copyOf(ordered);
    }
}
