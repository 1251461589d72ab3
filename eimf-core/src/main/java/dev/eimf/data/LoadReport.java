package dev.eimf.data;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What loading skipped in lenient mode, and how much it read. In strict mode a malformed line throws instead,
 * so nothing is skipped. Nothing is dropped without being counted here.
 *
 * @param skipped      every skipped record, in the order met
 * @param skippedLines physical lines those records took (a record quoted over several lines counts them all)
 * @param skippedBytes UTF-8 bytes those records took, line breaks included
 * @param linesRead    physical lines of all files read
 * @param bytesRead    UTF-8 bytes of all files read
 */
public record LoadReport(List<DataFormatException> skipped, long skippedLines, long skippedBytes, long linesRead,
                         long bytesRead) {
    public LoadReport {
        skipped = List.copyOf(skipped);
    }

    /** A report of skipped records alone, one line each, with no sizes known. */
    public LoadReport(List<DataFormatException> skipped) {
        this(skipped, skipped.size(), 0, 0, 0);
    }

    /** A report with nothing skipped. */
    public static LoadReport empty() {
        return new LoadReport(List.of());
    }

    /** Number of skipped records. */
    public int skippedCount() {
        return skipped.size();
    }

    /** Skipped records counted by file and field, e.g. {@code "u.data/timestamp" -> 3}. */
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
