package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import dev.eimf.internal.data.LoadSupport.InteractionBuffer;
import dev.eimf.internal.data.LoadSupport.Problems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a plain CSV dataset (UTF-8, comma-separated, RFC 4180 quoting, LF or CRLF):
 * <ul>
 *   <li>{@code interactions.csv} with header columns {@code user,item,timestamp} and optionally
 *       {@code rating}, in any order (other columns are ignored);</li>
 *   <li>optional {@code items.csv} with header column {@code item} and optionally {@code title},
 *       {@code categories} ({@code |}-separated, most general first), {@code brand}, {@code description}.</li>
 * </ul>
 * Timestamps follow the same rule as {@link RecBoleLoader}: decimal numbers, negative allowed, scaled by a power
 * of ten when fractional so order is exact. An empty rating means "no rating". Blank lines are skipped.
 */
public final class CsvLoader implements DatasetLoader {
    /** The interactions file name. */
    public static final String INTERACTIONS = "interactions.csv";
    /** The optional item file name. */
    public static final String ITEMS = "items.csv";

    @Override
    public RawData load(Path dir, LoadOptions options) throws IOException {
        Path inter = dir.resolve(INTERACTIONS);
        if (!Files.isRegularFile(inter)) {
            throw new DataFormatException(inter, 0, null, "CSV interactions file not found");
        }
        Problems problems = new Problems(options);
        List<Interaction> interactions = readInteractions(inter, problems);
        Path itemFile = dir.resolve(ITEMS);
        Map<String, ItemInfo> items = Files.isRegularFile(itemFile) ? readItems(itemFile, problems) : Map.of();
        return new RawData(String.valueOf(dir.toAbsolutePath().normalize().getFileName()), interactions, items,
                problems.toReport());
    }

    private static List<Interaction> readInteractions(Path file, Problems problems) throws IOException {
        InteractionBuffer buf = new InteractionBuffer();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), ',', true, file, problems)) {
            List<String> header = trimmed(LoadSupport.header(r, file));
            int cu = LoadSupport.column(file, header, "user");
            int ci = LoadSupport.column(file, header, "item");
            int ct = LoadSupport.column(file, header, "timestamp");
            int cr = header.indexOf("rating");
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, header.size());
                    String user = LoadSupport.requireToken(file, line, "user", rec.get(cu));
                    String item = LoadSupport.requireToken(file, line, "item", rec.get(ci));
                    double rating = Double.NaN;
                    if (cr >= 0 && !rec.get(cr).isEmpty()) {
                        rating = LoadSupport.parseRating(file, line, "rating", rec.get(cr));
                    }
                    LoadSupport.addTimestamp(buf.timestamps(), file, line, "timestamp", rec.get(ct));
                    buf.add(user, item, rating);
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        LoadSupport.requireSome(file, buf.size(), problems);
        return buf.build(file);
    }

    private static Map<String, ItemInfo> readItems(Path file, Problems problems) throws IOException {
        Map<String, ItemInfo> items = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), ',', true, file, problems)) {
            List<String> header = trimmed(LoadSupport.header(r, file));
            int ci = LoadSupport.column(file, header, "item");
            int ct = header.indexOf("title");
            int cc = header.indexOf("categories");
            int cb = header.indexOf("brand");
            int cd = header.indexOf("description");
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, header.size());
                    String id = LoadSupport.requireToken(file, line, "item", rec.get(ci));
                    List<String> cats = new ArrayList<>();
                    if (cc >= 0) {
                        for (String c : rec.get(cc).split("\\|")) {
                            if (!c.isBlank()) cats.add(c.strip());
                        }
                    }
                    LoadSupport.putItem(items, firstLine, file, line,
                            new ItemInfo(id, get(rec, ct), cats, get(rec, cb), get(rec, cd)));
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        return items;
    }

    private static String get(List<String> rec, int column) {
        return column < 0 ? "" : rec.get(column).strip();
    }

    private static List<String> trimmed(List<String> header) {
        List<String> out = new ArrayList<>(header.size());
        for (String h : header) out.add(h.strip());
        return out;
    }
}
