package dev.eimf.cli;

import dev.eimf.eval.MetricsResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain-text tables for the terminal. */
final class Tables {
    private Tables() {}

    /** Prints metric rows (one per named result) with one column per metric key. */
    static void metrics(PrintStream out, Map<String, MetricsResult> rows) {
        List<String> keys = new ArrayList<>();
        for (MetricsResult r : rows.values()) for (String k : r.values().keySet()) if (!keys.contains(k)) keys.add(k);
        StringBuilder head = new StringBuilder(String.format("%-12s %6s", "", "users"));
        for (String k : keys) head.append(String.format(" %11s", k));
        out.println(head);
        for (Map.Entry<String, MetricsResult> e : rows.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format("%-12s %6d", e.getKey(), e.getValue().users()));
            for (String k : keys) {
                Double v = e.getValue().values().get(k);
                sb.append(v == null ? String.format(" %11s", "-") : String.format(" %11.4f", v));
            }
            out.println(sb);
        }
    }

    static Map<String, MetricsResult> rows(String n1, MetricsResult r1, String n2, MetricsResult r2) {
        Map<String, MetricsResult> m = new LinkedHashMap<>();
        m.put(n1, r1);
        m.put(n2, r2);
        return m;
    }
}
