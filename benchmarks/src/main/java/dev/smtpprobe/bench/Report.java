package dev.smtpprobe.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's figures: per section, per metric, per competitor, one value per round. Rendered as Markdown tables
 * with the median over rounds and the min-max, and ratios against a reference competitor.
 */
final class Report {

    /** One benchmark's figures. */
    static final class Section {
        final String title;
        /** metric -> competitor -> values, one per round. */
        final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        final List<String> competitors = new ArrayList<>();
        final List<String[]> ratios = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Section(String title) {
            this.title = title;
        }

        void add(String metric, String competitor, double value) {
            if (!competitors.contains(competitor)) {
                competitors.add(competitor);
            }
            values.computeIfAbsent(metric, m -> new LinkedHashMap<>()).computeIfAbsent(competitor, c -> new ArrayList<>())
                    .add(value);
        }

        /** Adds a column: the median of {@code metric} divided by the reference competitor's. */
        void ratio(String metric, String reference) {
            ratios.add(new String[] {metric, reference});
        }

        void note(String note) {
            notes.add(note);
        }

        double median(String metric, String competitor) {
            List<Double> v = values.getOrDefault(metric, Map.of()).get(competitor);
            return v == null || v.isEmpty() ? Double.NaN : Report.median(v);
        }
    }

    final Map<String, Section> sections = new LinkedHashMap<>();
    final List<String> header = new ArrayList<>();

    Section section(String title) {
        return sections.computeIfAbsent(title, Section::new);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The value at quantile {@code q} (0..1) of sorted nanosecond latencies, in milliseconds. */
    static double percentileMillis(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    static long[] sorted(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        for (String h : header) {
            sb.append(h).append('\n');
        }
        for (Section s : sections.values()) {
            sb.append("\n### ").append(s.title).append('\n');
            if (s.values.isEmpty()) {
                for (String n : s.notes) {
                    sb.append("\n").append(n).append('\n');
                }
                continue;
            }
            sb.append("\n| |");
            for (String metric : s.values.keySet()) {
                sb.append(' ').append(metric).append(" |");
            }
            for (String[] r : s.ratios) {
                sb.append(' ').append(r[0]).append(" ÷ ").append(r[1]).append(" |");
            }
            sb.append("\n|---|");
            sb.append("---|".repeat(s.values.size() + s.ratios.size()));
            sb.append('\n');
            for (String c : s.competitors) {
                sb.append("| ").append(c).append(" |");
                for (Map<String, List<Double>> byCompetitor : s.values.values()) {
                    List<Double> v = byCompetitor.get(c);
                    sb.append(' ').append(cell(v)).append(" |");
                }
                for (String[] r : s.ratios) {
                    double ratio = s.median(r[0], c) / s.median(r[0], r[1]);
                    sb.append(' ').append(Double.isNaN(ratio) ? "" : format(ratio) + "×").append(" |");
                }
                sb.append('\n');
            }
            for (String n : s.notes) {
                sb.append("\n").append(n).append('\n');
            }
        }
        return sb.toString();
    }

    private static String cell(List<Double> v) {
        if (v == null || v.isEmpty()) {
            return "";
        }
        if (v.size() == 1) {
            return format(v.get(0));
        }
        double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return format(median(v)) + " (" + format(min) + "–" + format(max) + ")";
    }
}
