package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import dev.eimf.internal.data.LoadSupport.InteractionBuffer;
import dev.eimf.internal.data.LoadSupport.Problems;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads RecBole atomic files: {@code NAME.inter} and, when present, {@code NAME.item} from one directory
 * (other files there are ignored). Both are UTF-8, TAB-separated with RFC 4180 quoting (a quoted field may
 * hold TABs, line breaks and doubled quotes), and start with a typed header of {@code field:type} entries,
 * type one of {@code token, token_seq, float, float_seq}.
 *
 * <p>Interactions need {@code user_id} and {@code item_id}; {@code timestamp} and {@code rating} are optional.
 * Timestamps are decimal numbers: integral values are kept as they are; if any value in the file has a
 * fractional part, all values are multiplied by 10^d (d = the most fractional digits met), so the order is
 * kept exactly; a value that then does not fit a long is an error. Negative timestamps are accepted. Without
 * a timestamp column the record index (0, 1, 2, ...) stands in for the time, so file order is time order. An
 * empty rating means "no rating".
 *
 * <p>Items need {@code item_id}; the text comes from {@code title} (or {@code movie_title}), {@code categories}
 * (or {@code category}, {@code genre}, {@code genres}), {@code brand} and {@code description}. HTML character
 * references in them (as in Amazon metadata) are decoded. A category value that starts with a quote is an
 * Amazon-style list of quoted tokens ({@code 'Beauty', "Women's", 'Creams, Gels & Lotions'}); any other value
 * splits on whitespace like a RecBole token_seq.
 *
 * <p>Header problems (missing column, unknown type) always throw; malformed data records throw or are skipped
 * according to {@link LoadOptions}. Blank lines are skipped.
 */
public final class RecBoleLoader implements DatasetLoader {
    private static final Set<String> TYPES = Set.of("token", "token_seq", "float", "float_seq");
    private static final List<String> TITLE_FIELDS = List.of("title", "movie_title");
    private static final List<String> CATEGORY_FIELDS = List.of("categories", "category", "genre", "genres");

    private final String name;

    /** A loader that finds the single {@code *.inter} file of the directory. */
    public RecBoleLoader() {
        this.name = null;
    }

    /** A loader for {@code name.inter} and {@code name.item}. */
    public RecBoleLoader(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank");
        this.name = name;
    }

    /**
     * The base name of the interactions file in {@code dir}: the only {@code *.inter} file, or, when there
     * are several, the one named after the directory.
     */
    public static Optional<String> findName(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.inter")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    String f = p.getFileName().toString();
                    names.add(f.substring(0, f.length() - ".inter".length()));
                }
            }
        }
        if (names.size() == 1) return Optional.of(names.get(0));
        String dirName = String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        if (names.contains(dirName)) return Optional.of(dirName);
        if (names.size() > 1) {
            names.sort(null);
            throw new DataFormatException(dir, 0, null, "several RecBole interaction files " + names
                    + " and none named after the directory; pass the name to RecBoleLoader(String)");
        }
        return Optional.empty();
    }

    @Override
    public RawData load(Path dir, LoadOptions options) throws IOException {
        String base = name != null ? name : findName(dir).orElseThrow(() ->
                new DataFormatException(dir, 0, null, "no RecBole interactions file: looked for NAME.inter"));
        Path inter = dir.resolve(base + ".inter");
        if (!Files.isRegularFile(inter)) {
            throw new DataFormatException(inter, 0, null, "RecBole interactions file not found");
        }
        Problems problems = new Problems(options);
        List<Interaction> interactions = readInter(inter, problems);
        Path itemFile = dir.resolve(base + ".item");
        Map<String, ItemInfo> items = Files.isRegularFile(itemFile) ? readItems(itemFile, problems) : Map.of();
        return new RawData(String.valueOf(dir.toAbsolutePath().normalize().getFileName()), interactions, items,
                problems.toReport());
    }

    /** Field names of a typed header, checking every entry is {@code name:type} with a known type. */
    private static List<String> fieldNames(Path file, List<String> header) {
        List<String> names = new ArrayList<>(header.size());
        for (String h : header) {
            int colon = h.lastIndexOf(':');
            if (colon <= 0) {
                throw new DataFormatException(file, 1, h, "header entry must be name:type, found '" + h + "'");
            }
            String type = h.substring(colon + 1).strip();
            if (!TYPES.contains(type)) {
                throw new DataFormatException(file, 1, h.substring(0, colon),
                        "unknown RecBole type '" + type + "' (expected one of token, token_seq, float, float_seq)");
            }
            names.add(h.substring(0, colon).strip());
        }
        return names;
    }

    private static List<Interaction> readInter(Path file, Problems problems) throws IOException {
        InteractionBuffer buf = new InteractionBuffer();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), '\t', true, file, problems)) {
            List<String> fields = fieldNames(file, LoadSupport.header(r, file));
            int cu = LoadSupport.column(file, fields, "user_id");
            int ci = LoadSupport.column(file, fields, "item_id");
            int ct = fields.indexOf("timestamp");
            int cr = fields.indexOf("rating");
            long index = 0;
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, fields.size());
                    String user = LoadSupport.requireToken(file, line, "user_id", rec.get(cu));
                    String item = LoadSupport.requireToken(file, line, "item_id", rec.get(ci));
                    double rating = Double.NaN;
                    if (cr >= 0 && !rec.get(cr).isEmpty()) {
                        rating = LoadSupport.parseRating(file, line, "rating", rec.get(cr));
                    }
                    if (ct >= 0) {
                        LoadSupport.addTimestamp(buf.timestamps(), file, line, "timestamp", rec.get(ct));
                    } else {
                        buf.timestamps().addLong(index);
                    }
                    buf.add(user, item, rating);
                    index++;
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
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), '\t', true, file, problems)) {
            List<String> fields = fieldNames(file, LoadSupport.header(r, file));
            int ci = LoadSupport.column(file, fields, "item_id");
            int ct = firstPresent(fields, TITLE_FIELDS);
            int cc = firstPresent(fields, CATEGORY_FIELDS);
            int cb = fields.indexOf("brand");
            int cd = fields.indexOf("description");
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, fields.size());
                    String id = LoadSupport.requireToken(file, line, "item_id", rec.get(ci));
                    List<String> cats = cc < 0 ? List.of()
                            : ItemText.splitCategories(file, line, fields.get(cc), rec.get(cc));
                    LoadSupport.putItem(items, firstLine, file, line, new ItemInfo(id,
                            text(rec, ct), cats, text(rec, cb), text(rec, cd)));
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        return items;
    }

    private static int firstPresent(List<String> fields, List<String> candidates) {
        for (String c : candidates) {
            int i = fields.indexOf(c);
            if (i >= 0) return i;
        }
        return -1;
    }

    /** A text field with HTML references decoded and whitespace (line breaks included) collapsed. */
    private static String text(List<String> rec, int column) {
        if (column < 0) return "";
        String s = ItemText.decodeHtml(rec.get(column));
        return s.strip().replaceAll("\\s+", " ");
    }
}
