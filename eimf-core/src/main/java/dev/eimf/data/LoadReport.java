package dev.eimf.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lines skipped while loading in lenient mode. In strict mode a malformed line throws instead, so
 * the report stays empty. Nothing is dropped without being counted here.
 *
 * @param skipped every skipped line, in the order met
 */
public record LoadReport(List<DataFormatException> skipped) {
    public LoadReport {
        skipped = List.copyOf(skipped);
    }

    /** A report with nothing skipped. */
    public static LoadReport empty() {
        return new LoadReport(List.of());
    }

    /** Number of skipped lines. */
    public int skippedCount() {
        return skipped.size();
    }

    /** Skipped lines counted by file and field, e.g. {@code "u.data/timestamp" -> 3}. */
    public Map<String, Integer> countsByReason() {
        Map<String, Integer> m = new TreeMap<>();
        for (DataFormatException e : skipped) {
            String f = e.file() == null ? "<input>" : String.valueOf(e.file().getFileName());
            String key = f + "/" + (e.field() == null ? "record" : e.field());
            m.merge(key, 1, Integer::sum);
        }
        return m;
    }
}
