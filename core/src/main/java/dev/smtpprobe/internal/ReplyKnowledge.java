package dev.smtpprobe.internal;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.KnownReply;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The table of known provider replies: from a rejection to a {@link KnownReply} (cause, owner, fix, source).
 *
 * <p>The table is a UTF-8 text file of tab-separated lines. The first line is the schema line
 * {@value #SCHEMA}; then blank lines and lines starting with {@code #} are ignored, and every other line is one
 * entry of ten fields: provider, code, enhanced code, text, reason, owner, cause, fix, source, checked.
 * <ul>
 * <li>code: {@code *}, {@code 421}, {@code 4xx}, or a range {@code 550-554};</li>
 * <li>enhanced code: {@code *} (any, or none), {@code 5.7.9}, or a range of the last number
 * {@code 5.7.606-649}; a class of {@code x} ({@code x.7.1}) matches 4 and 5;</li>
 * <li>text: {@code *}, or alternatives separated by {@code |}, each a list of words separated by {@code &} that
 * must all occur in the reply's text, case-insensitively ({@code application-specific password},
 * {@code blocked using & spamhaus | zen.spamhaus.org});</li>
 * <li>reason: a {@link PolicyReason} name, or {@code -}: the reason to report when the classifier finds no
 * more specific one;</li>
 * <li>owner: {@code you}, {@code your provider} or {@code the recipient's admin}.</li>
 * </ul>
 * The first entry that matches wins; the user's entries come before the built-in ones.
 *
 * <p>Matching is plain substring search over the first {@value Texts#MAX_CLASSIFIED} characters of the reply (the
 * text {@link Policies} classifies): no regular expression, so the cost is linear in that bounded text for each
 * entry, however the server words its reply. Immutable and threadsafe.
 */
public final class ReplyKnowledge {

    /** The first line of every table. */
    public static final String SCHEMA = "smtp-probe-known-replies 1";
    /** The built-in table, a resource of this library. */
    static final String RESOURCE = "/dev/smtpprobe/known-replies.tsv";
    /** The largest table a user may give. */
    static final int MAX_FILE_BYTES = 1 << 20;
    private static final int FIELDS = 10;

    /** The built-in table, read when first matched: a probe whose replies are all positive never parses it. */
    private static final ReplyKnowledge BUILT_IN = new ReplyKnowledge(null);
    private static final ReplyKnowledge NONE = new ReplyKnowledge(List.of());

    /** The entries, or {@code null} for {@link #BUILT_IN}, whose entries are {@link BuiltIn#ENTRIES}. */
    private final List<Entry> own;

    private ReplyKnowledge(List<Entry> entries) {
        this.own = entries == null ? null : List.copyOf(entries);
    }

    /** The built-in entries, parsed on first use (a holder: threadsafe, once). */
    private static final class BuiltIn {
        static final List<Entry> ENTRIES = loadBuiltIn().own;
    }

    private List<Entry> table() {
        return own != null ? own : BuiltIn.ENTRIES;
    }

    /** The table shipped with the library. */
    public static ReplyKnowledge builtIn() {
        return BUILT_IN;
    }

    /** No entries at all. */
    public static ReplyKnowledge none() {
        return NONE;
    }

    /**
     * The user's table in {@code file}, checked whole now.
     *
     * @throws IllegalArgumentException naming {@code argument}, the file and the line when it cannot be read, is
     *                                  over 1 MiB, lacks the schema line, or has a malformed entry
     */
    public static ReplyKnowledge fromFile(Path file, String argument) {
        Arguments.requireNonNull(file, argument);
        byte[] bytes = BoundedFiles.read(file, MAX_FILE_BYTES, argument);
        return parse(new String(bytes, StandardCharsets.UTF_8), argument + " (" + file + ")");
    }

    /** These entries first, then {@code other}'s. */
    public ReplyKnowledge then(ReplyKnowledge other) {
        List<Entry> all = new ArrayList<>(table());
        all.addAll(other.table());
        return new ReplyKnowledge(all);
    }

    /** How many entries the table has. */
    public int size() {
        return table().size();
    }

    /** Every entry's knowledge, in order. */
    public List<KnownReply> entries() {
        return table().stream().map(Entry::known).toList();
    }

    /** What the table knows about {@code reply}: the first entry that matches it, if any. */
    public Optional<KnownReply> match(SmtpReply reply) {
        return matchEntry(reply).map(Entry::known);
    }

    /** The reason the first matching entry gives, or {@code null} for none (or no match). */
    PolicyReason reasonFor(SmtpReply reply) {
        return matchEntry(reply).map(Entry::reason).orElse(null);
    }

    /** The first entry that matches {@code reply}, if any. */
    Optional<Entry> entryFor(SmtpReply reply) {
        return matchEntry(reply);
    }

    private Optional<Entry> matchEntry(SmtpReply reply) {
        if (reply == null) {
            return Optional.empty();
        }
        List<Entry> entries = table();
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        String text = Policies.classifiedText(reply);
        for (Entry e : entries) {
            if (e.matches(reply, text)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    // ---- the table ------------------------------------------------------------------------------------------------

    private static ReplyKnowledge loadBuiltIn() {
        try (InputStream in = ReplyKnowledge.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Parses a table; {@code where} names it in errors. */
    static ReplyKnowledge parse(String table, String where) {
        String[] lines = table.split("\r?\n", -1);
        Arguments.requireArgument(lines.length > 0 && lines[0].strip().equals(SCHEMA),
                "%s: the first line must be the schema line '%s'", where, SCHEMA);
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            entries.add(Entry.parse(line, where + " line " + (i + 1)));
        }
        return new ReplyKnowledge(entries);
    }

    /** One entry: its rule and its knowledge. */
    record Entry(int codeLow, int codeHigh, int statusClass, int subject, int detailLow, int detailHigh,
                 List<List<String>> text, PolicyReason reason, KnownReply known) {

        static Entry parse(String line, String where) {
            String[] f = line.split("\t", -1);
            Arguments.requireArgument(f.length == FIELDS, "%s: an entry has %d tab-separated fields (provider, code,"
                    + " enhanced code, text, reason, owner, cause, fix, source, checked), not %d", where, FIELDS, f.length);
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
                Arguments.requireArgument(!f[i].isEmpty(), "%s: field %d is empty", where, i + 1);
            }
            int[] code = codeRange(f[1], where);
            int[] status = statusRule(f[2], where);
            List<List<String>> text = textRule(f[3], where);
            PolicyReason reason = null;
            if (!f[4].equals("-")) {
                try {
                    reason = PolicyReason.valueOf(f[4]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": unknown reason '" + f[4] + "' (a PolicyReason or -)");
                }
            }
            KnownReply.Owner owner = owner(f[5], where);
            String rule = f[1] + " " + f[2] + " " + (f[3].equals("*") ? "*" : "\"" + f[3] + "\"");
            KnownReply known;
            try {
                known = new KnownReply(f[0], rule, f[6], owner, f[7], f[8], f[9]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            return new Entry(code[0], code[1], status[0], status[1], status[2], status[3], text, reason, known);
        }

        boolean matches(SmtpReply reply, String lowerText) {
            if (reply.code() < codeLow || reply.code() > codeHigh) {
                return false;
            }
            if (subject >= 0) {
                EnhancedStatus s = reply.enhancedStatus();
                if (s == null || s.subject() != subject || s.detail() < detailLow || s.detail() > detailHigh
                        || (statusClass > 0 && s.statusClass() != statusClass)) {
                    return false;
                }
            }
            if (text.isEmpty()) {
                return true;
            }
            for (List<String> all : text) {
                boolean every = true;
                for (String word : all) {
                    if (!lowerText.contains(word)) {
                        every = false;
                        break;
                    }
                }
                if (every) {
                    return true;
                }
            }
            return false;
        }

        private static int[] codeRange(String spec, String where) {
            if (spec.equals("*")) {
                return new int[] {200, 599};
            }
            if (spec.length() == 3 && spec.endsWith("xx") && (spec.charAt(0) == '4' || spec.charAt(0) == '5')) {
                int c = (spec.charAt(0) - '0') * 100;
                return new int[] {c, c + 99};
            }
            int[] r = range(spec, where, "code");
            Arguments.requireArgument(r[0] >= 200 && r[1] <= 599, "%s: code must be within 200-599: %s", where, spec);
            return r;
        }

        /** {class (0 for any), subject, detail low, detail high}; subject -1 for any. */
        private static int[] statusRule(String spec, String where) {
            if (spec.equals("*")) {
                return new int[] {0, -1, 0, 0};
            }
            String[] p = spec.split("\\.", -1);
            Arguments.requireArgument(p.length == 3, "%s: enhanced code must be *, like 5.7.9 or like 5.7.606-649: %s",
                    where, spec);
            int cls;
            if (p[0].equalsIgnoreCase("x")) {
                cls = 0;
            } else {
                Arguments.requireArgument(p[0].equals("2") || p[0].equals("4") || p[0].equals("5"),
                        "%s: enhanced code class must be 2, 4, 5 or x: %s", where, spec);
                cls = p[0].charAt(0) - '0';
            }
            int subject = range(p[1], where, "enhanced code subject")[0];
            int[] detail = range(p[2], where, "enhanced code detail");
            return new int[] {cls, subject, detail[0], detail[1]};
        }

        private static int[] range(String spec, String where, String what) {
            int dash = spec.indexOf('-');
            try {
                int low = Integer.parseInt(dash < 0 ? spec : spec.substring(0, dash));
                int high = dash < 0 ? low : Integer.parseInt(spec.substring(dash + 1));
                Arguments.requireArgument(low >= 0 && low <= high && high <= 999, "%s: %s must be a number or a"
                        + " range low-high of 0..999: %s", where, what, spec);
                return new int[] {low, high};
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": " + what + " must be a number or a range: " + spec, e);
            }
        }

        private static List<List<String>> textRule(String spec, String where) {
            if (spec.equals("*")) {
                return List.of();
            }
            List<List<String>> any = new ArrayList<>();
            for (String alternative : spec.split("\\|", -1)) {
                List<String> all = new ArrayList<>();
                for (String word : alternative.split("&", -1)) {
                    String w = word.strip().toLowerCase(Locale.ROOT);
                    Arguments.requireArgument(!w.isEmpty(), "%s: the text rule has an empty word: %s", where, spec);
                    all.add(w);
                }
                any.add(List.copyOf(all));
            }
            return List.copyOf(any);
        }

        private static KnownReply.Owner owner(String text, String where) {
            for (KnownReply.Owner o : KnownReply.Owner.values()) {
                if (o.text().equalsIgnoreCase(text)) {
                    return o;
                }
            }
            throw new IllegalArgumentException(where + ": owner must be 'you', 'your provider' or 'the recipient's"
                    + " admin': " + text);
        }
    }
}
