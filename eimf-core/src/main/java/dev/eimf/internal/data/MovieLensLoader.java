package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;

import dev.eimf.internal.data.LoadSupport.InteractionBuffer;
import dev.eimf.internal.data.LoadSupport.Problems;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every GroupLens MovieLens layout; which one is detected from the files in the directory.
 * <ul>
 *   <li>100K: {@code u.data} (TAB: user, item, rating, timestamp) and optional {@code u.item}
 *       ({@code |}-separated: id, title, release date, video date, URL, then one 0/1 flag per genre of
 *       {@code u.genre}, whose lines are {@code name|index}; without {@code u.genre} the 19 standard
 *       genres are assumed).</li>
 *   <li>1M and 10M: {@code ratings.dat} ({@code user::item::rating::timestamp}) and optional
 *       {@code movies.dat} ({@code id::title::Genre1|Genre2}).</li>
 *   <li>20M, 25M, 32M and "latest": {@code ratings.csv} (header {@code userId,movieId,rating,timestamp})
 *       and optional {@code movies.csv} (header {@code movieId,title,genres}, RFC 4180 quoting).</li>
 * </ul>
 * Item files are decoded as UTF-8, or ISO-8859-1 when their bytes are not valid UTF-8 (100K and 1M are
 * Latin-1, 10M and later UTF-8). An item's text is its title and its genres; {@code (no genres listed)}
 * means none. Ids must be non-negative integers and are kept as written; timestamps must be integers
 * (seconds); negative timestamps are accepted, since they only order interactions before 1970. Blank lines
 * are skipped. Ratings are kept as read; filtering on them is the {@link Preprocessor}'s job.
 */
public final class MovieLensLoader implements DatasetLoader {

    /** The file layouts, in the order {@link #detect(Path)} tries them. */
    public enum Layout {
        /** MovieLens 100K: {@code u.data}, {@code u.item}, {@code u.genre}. */
        ML_100K("u.data", "u.item"),
        /** MovieLens 1M and 10M: {@code ratings.dat}, {@code movies.dat}. */
        ML_DAT("ratings.dat", "movies.dat"),
        /** MovieLens 20M and later: {@code ratings.csv}, {@code movies.csv}. */
        ML_CSV("ratings.csv", "movies.csv");

        private final String ratingsFile;
        private final String itemsFile;

        Layout(String ratingsFile, String itemsFile) {
            this.ratingsFile = ratingsFile;
            this.itemsFile = itemsFile;
        }

        /** The interactions file name. */
        public String ratingsFile() { return ratingsFile; }

        /** The optional item file name. */
        public String itemsFile() { return itemsFile; }
    }

    static final List<String> DEFAULT_100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    private static final String NO_GENRES = "(no genres listed)";

    /** The layout whose interactions file is in {@code dir}, if any. */
    public static Optional<Layout> detect(Path dir) {
        for (Layout l : Layout.values()) {
            if (Files.isRegularFile(dir.resolve(l.ratingsFile))) return Optional.of(l);
        }
        return Optional.empty();
    }

    @Override
    public RawData load(Path dir, LoadOptions options) throws IOException {
        Layout layout = detect(dir).orElseThrow(() -> new DataFormatException(dir, 0, null,
                "no MovieLens interactions file: looked for u.data (100K), ratings.dat (1M/10M), ratings.csv (20M+)"));
        Problems problems = new Problems(options);
        Path ratings = dir.resolve(layout.ratingsFile);
        Path itemsFile = dir.resolve(layout.itemsFile);
        boolean hasItems = Files.isRegularFile(itemsFile);
        List<Interaction> interactions;
        Map<String, ItemInfo> items;
        switch (layout) {
            case ML_100K -> {
                interactions = read100kRatings(ratings, problems);
                items = hasItems ? read100kItems(itemsFile, read100kGenres(dir.resolve("u.genre")), problems) : Map.of();
            }
            case ML_DAT -> {
                interactions = readDatRatings(ratings, problems);
                items = hasItems ? readDatMovies(itemsFile, problems) : Map.of();
            }
            case ML_CSV -> {
                interactions = readCsvRatings(ratings, problems);
                items = hasItems ? readCsvMovies(itemsFile, problems) : Map.of();
            }
            default -> throw new AssertionError(layout);
        }
        return new RawData(String.valueOf(dir.toAbsolutePath().normalize().getFileName()), interactions, items,
                problems.toReport());
    }

    // ---- 100K

    private static List<Interaction> read100kRatings(Path file, Problems problems) throws IOException {
        InteractionBuffer buf = new InteractionBuffer();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), '\t', false, file, problems)) {
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                try {
                    addRating(buf, file, r.recordLine(), rec, "user", "item", "rating", "timestamp");
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        LoadSupport.requireSome(file, buf.size(), problems);
        return buf.build(file);
    }

    /** Parses {@code user, item, rating, timestamp} in that column order. */
    private static void addRating(InteractionBuffer buf, Path file, long line, List<String> rec,
                                  String userField, String itemField, String ratingField, String tsField) {
        LoadSupport.requireColumns(file, line, rec, 4);
        String user = LoadSupport.requireNumericId(file, line, userField, rec.get(0));
        String item = LoadSupport.requireNumericId(file, line, itemField, rec.get(1));
        double rating = LoadSupport.parseRating(file, line, ratingField, rec.get(2));
        long ts = LoadSupport.parseLong(file, line, tsField, rec.get(3));
        buf.timestamps().addLong(ts);
        buf.add(user, item, rating);
    }

    private static List<String> read100kGenres(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return DEFAULT_100K_GENRES;
        Map<Integer, String> byIndex = new HashMap<>();
        try (DelimitedReader r = new DelimitedReader(LoadSupport.utf8OrLatin1(file), '|', false, file)) {
            for (List<String> rec = r.next(); rec != null; rec = r.next()) {
                if (LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                // The genre list defines the shape of u.item, so a bad line here is always fatal.
                LoadSupport.requireColumns(file, line, rec, 2);
                long index = LoadSupport.parseLong(file, line, "index", rec.get(1));
                if (index != (int) index) {
                    throw new DataFormatException(file, line, "index", "genre index " + index + " is out of range");
                }
                int idx = (int) index;
                if (byIndex.put(idx, rec.get(0)) != null) {
                    throw new DataFormatException(file, line, "index", "genre index " + idx + " appears twice");
                }
            }
        }
        String[] names = new String[byIndex.size()];
        for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
            int i = e.getKey();
            if (i < 0 || i >= names.length) {
                throw new DataFormatException(file, 0, "index", "genre indexes must run 0.." + (names.length - 1)
                        + ", found " + i);
            }
            names[i] = e.getValue();
        }
        if (names.length == 0) throw new DataFormatException(file, 0, null, "file is empty: no genres");
        return Arrays.asList(names);
    }

    private static Map<String, ItemInfo> read100kItems(Path file, List<String> genres, Problems problems)
            throws IOException {
        Map<String, ItemInfo> items = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        int columns = 5 + genres.size();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8OrLatin1(file), '|', false, file, problems)) {
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, columns);
                    String id = LoadSupport.requireNumericId(file, line, "movie id", rec.get(0));
                    List<String> g = new ArrayList<>();
                    for (int k = 0; k < genres.size(); k++) {
                        String flag = rec.get(5 + k);
                        if (flag.equals("1")) {
                            g.add(genres.get(k));
                        } else if (!flag.equals("0")) {
                            throw new DataFormatException(file, line, genres.get(k), "genre flag must be 0 or 1, found '" + flag + "'");
                        }
                    }
                    LoadSupport.putItem(items, firstLine, file, line, new ItemInfo(id, rec.get(1).strip(), g, "", ""));
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        return items;
    }

    // ---- 1M / 10M

    private static List<Interaction> readDatRatings(Path file, Problems problems) throws IOException {
        InteractionBuffer buf = new InteractionBuffer();
        // Every field here is numeric, so a byte that is not UTF-8 fails the field's check and is reported.
        try (LoadSupport.LineReader r = new LoadSupport.LineReader(LoadSupport.utf8Replacing(file), file,
                problems.options().maxLineLength())) {
            for (String s = nextLine(r, problems); s != null; s = nextLine(r, problems)) {
                if (s.isEmpty()) continue;
                try {
                    addRating(buf, file, r.reader().recordLine(), splitDat(s), "user", "item", "rating", "timestamp");
                } catch (DataFormatException e) {
                    problems.report(e, r.reader());
                }
            }
            problems.endFile(file, r.reader());
        }
        LoadSupport.requireSome(file, buf.size(), problems);
        return buf.build(file);
    }

    private static Map<String, ItemInfo> readDatMovies(Path file, Problems problems) throws IOException {
        Map<String, ItemInfo> items = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        try (LoadSupport.LineReader r = new LoadSupport.LineReader(LoadSupport.utf8OrLatin1(file), file,
                problems.options().maxLineLength())) {
            for (String s = nextLine(r, problems); s != null; s = nextLine(r, problems)) {
                if (s.isEmpty()) continue;
                long line = r.reader().recordLine();
                try {
                    // The title sits between the first and the last separator, so a "::" in it does no harm.
                    int a = s.indexOf("::");
                    int b = s.lastIndexOf("::");
                    if (a < 0 || b == a) {
                        throw new DataFormatException(file, line, null, "expected id::title::genres");
                    }
                    String id = LoadSupport.requireNumericId(file, line, "movie id", s.substring(0, a));
                    LoadSupport.putItem(items, firstLine, file, line, new ItemInfo(id, s.substring(a + 2, b).strip(),
                            splitGenres(s.substring(b + 2)), "", ""));
                } catch (DataFormatException e) {
                    problems.report(e, r.reader());
                }
            }
            problems.endFile(file, r.reader());
        }
        return items;
    }

    /** The next line, skipping (and reporting) those over the line limit; null at the end. */
    private static String nextLine(LoadSupport.LineReader r, Problems problems) throws IOException {
        while (true) {
            try {
                return r.next();
            } catch (DataFormatException e) {
                problems.report(e, r.reader());
            }
        }
    }

    /** Splits on "::" without a regular expression (ratings files run to tens of millions of lines). */
    private static List<String> splitDat(String s) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        for (int i = s.indexOf("::"); i >= 0; i = s.indexOf("::", from)) {
            out.add(s.substring(from, i));
            from = i + 2;
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<String> splitGenres(String s) {
        String g = s.strip();
        if (g.isEmpty() || g.equals(NO_GENRES)) return List.of();
        List<String> out = new ArrayList<>();
        for (String t : g.split("\\|")) {
            if (!t.isBlank()) out.add(t.strip());
        }
        return out;
    }

    // ---- 20M and later

    private static List<Interaction> readCsvRatings(Path file, Problems problems) throws IOException {
        InteractionBuffer buf = new InteractionBuffer();
        try (DelimitedReader r = LoadSupport.reader(LoadSupport.utf8(file), ',', true, file, problems)) {
            List<String> header = LoadSupport.header(r, file);
            int cu = LoadSupport.column(file, header, "userId");
            int ci = LoadSupport.column(file, header, "movieId");
            int cr = LoadSupport.column(file, header, "rating");
            int ct = LoadSupport.column(file, header, "timestamp");
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END;
                 rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, header.size());
                    addRating(buf, file, line, List.of(rec.get(cu), rec.get(ci), rec.get(cr), rec.get(ct)),
                            "userId", "movieId", "rating", "timestamp");
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        LoadSupport.requireSome(file, buf.size(), problems);
        return buf.build(file);
    }

    private static Map<String, ItemInfo> readCsvMovies(Path file, Problems problems) throws IOException {
        Map<String, ItemInfo> items = new LinkedHashMap<>();
        Map<String, Long> firstLine = new HashMap<>();
        try (Reader in = LoadSupport.utf8OrLatin1(file); DelimitedReader r = LoadSupport.reader(in, ',', true, file, problems)) {
            List<String> header = LoadSupport.header(r, file);
            int ci = LoadSupport.column(file, header, "movieId");
            int ct = LoadSupport.column(file, header, "title");
            int cg = LoadSupport.column(file, header, "genres");
            for (List<String> rec = LoadSupport.nextOrReport(r, problems); rec != LoadSupport.END; rec = LoadSupport.nextOrReport(r, problems)) {
                if (rec == null || LoadSupport.isBlank(rec)) continue;
                long line = r.recordLine();
                try {
                    LoadSupport.requireColumns(file, line, rec, header.size());
                    String id = LoadSupport.requireNumericId(file, line, "movieId", rec.get(ci));
                    LoadSupport.putItem(items, firstLine, file, line,
                            new ItemInfo(id, rec.get(ct).strip(), splitGenres(rec.get(cg)), "", ""));
                } catch (DataFormatException e) {
                    problems.report(e, r);
                }
            }
            problems.endFile(file, r);
        }
        return items;
    }
}
