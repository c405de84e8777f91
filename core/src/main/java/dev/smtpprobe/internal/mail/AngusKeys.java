package dev.smtpprobe.internal.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP keys Angus Mail documents (the resource {@code angus-smtp-keys.txt}, without the {@code mail.smtp.}
 * prefix), and the nearest of them to a key it does not know. Pure; threadsafe.
 */
final class AngusKeys {

    private static final Set<String> KEYS = load();

    private AngusKeys() {
    }

    /** Whether {@code suffix} (a key without its {@code mail.smtp.} prefix) is documented. */
    static boolean isKnown(String suffix) {
        return KEYS.contains(suffix);
    }

    /**
     * The documented key nearest to {@code suffix}, when one is close enough to be the likely intent: the same key
     * in another case, or at most a quarter of its length (at least 2) edits away.
     */
    static Optional<String> nearest(String suffix) {
        String lower = suffix.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : KEYS) {
            int d = distance(lower, key.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = key;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, suffix.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost 1. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Set<String> load() {
        Set<String> keys = new LinkedHashSet<>();
        try (InputStream in = AngusKeys.class.getResourceAsStream("angus-smtp-keys.txt")) {
            if (in == null) {
                throw new IllegalStateException("angus-smtp-keys.txt is missing from the core jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read angus-smtp-keys.txt", e);
        }
        return Collections.unmodifiableSet(keys); // file order: ties in nearest() go to the first listed
    }
}
