package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.LoadReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Pieces the loaders share: error collection, number parsing, decoding, header lookup. */
final class LoadSupport {
    private LoadSupport() {}

    /**
     * Throws in strict mode, records in lenient mode. Counts the lines and bytes of every file read and of every
     * record skipped, and refuses a file of which lenient mode skipped more than {@link LoadOptions#maxSkippedShare()}.
     */
    static final class Problems {
        private final LoadOptions options;
        private final List<DataFormatException> skipped = new ArrayList<>();
        private long skippedLines;
        private long skippedBytes;
        private long linesRead;
        private long bytesRead;
        private int fileSkipped;
        private long fileSkippedLines;
        private long fileSkippedBytes;

        Problems(LoadOptions options) {
            this.options = options;
        }

        LoadOptions options() {
            return options;
        }

        /** Reports a malformed record that {@code r} has just read or rejected. */
        void report(DataFormatException e, DelimitedReader r) {
            report(e, r.lastRecordLines(), r.lastRecordBytes());
        }

        /** Reports a malformed record of the given size. */
        void report(DataFormatException e, long lines, long bytes) {
            if (!options.lenient()) throw e;
            skipped.add(e);
            fileSkipped++;
            fileSkippedLines += Math.max(1, lines);
            fileSkippedBytes += bytes;
        }

        /**
         * Ends a file: adds its size to the totals and checks the share skipped from it.
         *
         * @throws DataFormatException when lenient mode skipped more than the allowed share of its lines or bytes
         */
        void endFile(Path file, long lines, long bytes) {
            linesRead += lines;
            bytesRead += bytes;
            skippedLines += fileSkippedLines;
            skippedBytes += fileSkippedBytes;
            long sl = fileSkippedLines;
            long sb = fileSkippedBytes;
            int n = fileSkipped;
            fileSkipped = 0;
            fileSkippedLines = 0;
            fileSkippedBytes = 0;
            double share = options.maxSkippedShare();
            if (n > 0 && (sl > share * lines || sb > share * bytes)) {
                throw new DataFormatException(file, 0, null, String.format(Locale.ROOT,
                        "lenient mode skipped %d malformed record(s): %d of %d lines (%.2f%%) and %d of %d bytes "
                                + "(%.2f%%), more than the %.2f%% allowed (LoadOptions.maxSkippedShare, "
                                + "--max-skipped-share); first: %s",
                        n, sl, lines, 100.0 * sl / Math.max(1, lines), sb, bytes, 100.0 * sb / Math.max(1, bytes),
                        100 * share, skipped.get(skipped.size() - n).getMessage()));
            }
        }

        /** Ends a file read by {@code r}. */
        void endFile(Path file, DelimitedReader r) {
            endFile(file, r.linesRead(), r.bytesRead());
        }

        int count() {
            return skipped.size();
        }

        LoadReport toReport() {
            return new LoadReport(skipped, skippedLines, skippedBytes, linesRead, bytesRead);
        }
    }

    /**
     * Physical lines of a file whose records are single lines, read with a bound on their length: the .dat
     * formats, which {@link DelimitedReader} cannot split ({@code ::} is two characters).
     */
    static final class LineReader implements java.io.Closeable {
        private final DelimitedReader in;
        private final Path file;

        LineReader(Reader reader, Path file, int maxLineLength) {
            // No line holds a NUL in these files; should one, it splits a field the caller rejoins.
            this.in = new DelimitedReader(reader, '\0', false, file, maxLineLength);
            this.file = file;
        }

        /** The next line without its line break, or null at the end; a too-long line throws, skipped. */
        String next() throws IOException {
            List<String> rec = in.next();
            if (rec == null) return null;
            return rec.size() == 1 ? rec.get(0) : String.join("\0", rec);
        }

        DelimitedReader reader() {
            return in;
        }

        Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Shares one String instance per distinct id, which keeps millions of interactions small. */
    static final class Interner {
        private final Map<String, String> map = new HashMap<>();

        String intern(String s) {
            String prev = map.putIfAbsent(s, s);
            return prev == null ? s : prev;
        }
    }

    /**
     * Collects timestamps written as decimal numbers and turns them into longs that keep their order exactly:
     * integral values are kept as they are; if any value has a fractional part, every value is multiplied by
     * 10^s where s is the largest number of fractional digits met. Values that do not fit a long after scaling
     * are an error.
     */
    static final class DecimalTimestamps {
        private long[] ints = new long[1024];
        private BigDecimal[] decimals; // created when the first non-integral value is met
        private int size;
        private int scale;

        /**
         * Longest text taken as a timestamp. A long has 19 digits, so anything much longer is not a timestamp,
         * and refusing it early keeps BigDecimal's super-linear parsing of huge digit strings out of reach.
         */
        static final int MAX_CHARS = 100;

        /** Parses and stores one value; throws NumberFormatException when it is not a finite decimal number. */
        void add(String s) {
            if (size == ints.length) ints = Arrays.copyOf(ints, size * 2);
            if (s.length() > MAX_CHARS) {
                throw new NumberFormatException("longer than " + MAX_CHARS + " characters");
            }
            if (isPlainInteger(s)) {
                ints[size] = Long.parseLong(s);
            } else {
                BigDecimal d = new BigDecimal(s.strip()).stripTrailingZeros();
                if (d.scale() <= 0) {
                    ints[size] = d.longValueExact();
                } else {
                    if (decimals == null) decimals = new BigDecimal[ints.length];
                    if (decimals.length < ints.length) decimals = Arrays.copyOf(decimals, ints.length);
                    decimals[size] = d;
                    scale = Math.max(scale, d.scale());
                }
            }
            size++;
        }

        /** Stores an integral value. */
        void addLong(long v) {
            if (size == ints.length) ints = Arrays.copyOf(ints, size * 2);
            ints[size++] = v;
        }

        /** All values as longs, scaled by 10^{@link #scale()}. */
        long[] toLongs(Path file) {
            long[] out = Arrays.copyOf(ints, size);
            if (scale == 0) return out;
            for (int i = 0; i < size; i++) {
                BigDecimal d = (decimals.length > i && decimals[i] != null) ? decimals[i] : BigDecimal.valueOf(ints[i]);
                try {
                    if (d.signum() == 0) {
                        out[i] = 0;
                        continue;
                    }
                    // Digits before the point once scaled; checked first because a scale such as 10^9 (from
                    // "1e-999999999") would make the exact product astronomically large.
                    if ((long) d.precision() - d.scale() + scale > 19) throw new ArithmeticException("overflow");
                    out[i] = d.movePointRight(scale).toBigIntegerExact().longValueExact();
                } catch (ArithmeticException e) {
                    throw new DataFormatException(file, 0, "timestamp", "value " + quote(d.toString())
                            + " does not fit a long once scaled by 10^" + scale + " to keep fractional timestamps exact");
                }
            }
            return out;
        }

        int scale() {
            return scale;
        }

        private static boolean isPlainInteger(String s) {
            int n = s.length();
            if (n == 0 || n > 18) return false;
            int i = s.charAt(0) == '-' ? 1 : 0;
            if (i == n) return false;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') return false;
            }
            return true;
        }
    }

    /** A value quoted for an error message, cut short when long (a field may be megabytes). */
    static String quote(String s) {
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...' (" + s.length() + " characters)";
    }

    /** Checks that {@code s} is a non-negative integer id, as MovieLens requires. */
    static String requireNumericId(Path file, long line, String field, String s) {
        if (s.isEmpty()) throw new DataFormatException(file, line, field, "empty id");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new DataFormatException(file, line, field, "not a numeric id: " + quote(s));
            }
        }
        return s;
    }

    /** Checks that a required token is not empty. */
    static String requireToken(Path file, long line, String field, String s) {
        if (s.isEmpty()) throw new DataFormatException(file, line, field, "empty value");
        return s;
    }

    static double parseRating(Path file, long line, String field, String s) {
        double r;
        try {
            r = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field, "not a number: " + quote(s));
        }
        if (!Double.isFinite(r)) throw new DataFormatException(file, line, field, "not a finite number: " + quote(s));
        return r;
    }

    static long parseLong(Path file, long line, String field, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field, "not an integer: " + quote(s));
        }
    }

    static void addTimestamp(DecimalTimestamps ts, Path file, long line, String field, String s) {
        try {
            ts.add(s);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new DataFormatException(file, line, field, "not a finite decimal number: " + quote(s));
        }
    }

    /** True for a record that is one empty field: a blank physical line, which carries no data. */
    static boolean isBlank(List<String> record) {
        return record.size() == 1 && record.get(0).isEmpty();
    }

    static void requireColumns(Path file, long line, List<String> record, int expected) {
        if (record.size() != expected) {
            throw new DataFormatException(file, line, null,
                    "expected " + expected + " columns, found " + record.size());
        }
    }

    /** Index of a named header column; throws naming the column (line 1) when it is absent. */
    static int column(Path file, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new DataFormatException(file, 1, name, "missing required column '" + name + "' in header " + header);
        }
        return i;
    }

    /** Reads the header record; an empty file is an error. */
    static List<String> header(DelimitedReader r, Path file) throws IOException {
        List<String> h = r.next();
        if (h == null || isBlank(h)) {
            throw new DataFormatException(file, 1, null, "file is empty: expected a header line");
        }
        return h;
    }

    /**
     * A UTF-8 reader that refuses malformed bytes (see {@link StrictUtf8Reader}) rather than replacing them with
     * U+FFFD, which would change ids and text without a word.
     */
    static Reader utf8(Path file) throws IOException {
        return new StrictUtf8Reader(Files.newInputStream(file));
    }

    /**
     * A UTF-8 reader that replaces malformed bytes with U+FFFD; only for files whose every field is then checked
     * to be a number, so a replaced byte always fails that check and is reported.
     */
    static Reader utf8Replacing(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Decodes a whole file as UTF-8, or as ISO-8859-1 when its bytes are not valid UTF-8. This tells apart
     * MovieLens 1M (Latin-1) from 10M (UTF-8): Latin-1 text with accented letters is almost never valid UTF-8.
     */
    static Reader utf8OrLatin1(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return new StringReader(text);
    }

    /** A loaded file must hold at least one interaction. */
    static void requireSome(Path file, int interactions, Problems problems) {
        if (interactions == 0) {
            throw new DataFormatException(file, 0, null, problems.count() == 0
                    ? "no interactions: the file has no data lines"
                    : "no valid interactions: all " + problems.count() + " data lines were malformed");
        }
    }

    /**
     * Interactions gathered row by row; timestamps are finalised at the end because a fractional value
     * late in the file changes the scale of all of them (see {@link DecimalTimestamps}).
     */
    static final class InteractionBuffer {
        private final Interner ids = new Interner();
        private final List<String> users = new ArrayList<>();
        private final List<String> items = new ArrayList<>();
        private double[] ratings = new double[1024];
        private final DecimalTimestamps timestamps = new DecimalTimestamps();

        /** Adds a row whose timestamp was already parsed into {@code ts} by the caller's check. */
        void add(String user, String item, double rating) {
            int n = users.size();
            if (n == ratings.length) ratings = Arrays.copyOf(ratings, n * 2);
            ratings[n] = rating;
            users.add(ids.intern(user));
            items.add(ids.intern(item));
        }

        DecimalTimestamps timestamps() {
            return timestamps;
        }

        int size() {
            return users.size();
        }

        List<Interaction> build(Path file) {
            long[] ts = timestamps.toLongs(file);
            List<Interaction> out = new ArrayList<>(users.size());
            for (int i = 0; i < users.size(); i++) {
                out.add(new Interaction(users.get(i), items.get(i), ts[i], ratings[i]));
            }
            return out;
        }
    }

    /** Marks end of input for {@link #nextOrReport}; compared by identity. */
    static final List<String> END = List.of("\u0000end");

    /**
     * The next record, or {@code null} when the record's quoting was malformed and was reported (the reader has
     * moved past it), or {@link #END} at end of input.
     */
    static List<String> nextOrReport(DelimitedReader r, Problems problems) throws IOException {
        try {
            List<String> rec = r.next();
            return rec == null ? END : rec;
        } catch (DataFormatException e) {
            problems.report(e, r);
            return null;
        }
    }

    /** A reader of {@code in} with the options' line limit. */
    static DelimitedReader reader(java.io.Reader in, char delimiter, boolean quoting, Path file, Problems problems) {
        return new DelimitedReader(in, delimiter, quoting, file, problems.options().maxLineLength());
    }

    /** Adds an item, refusing a second description of the same id. */
    static void putItem(Map<String, ItemInfo> items, Map<String, Long> firstLine, Path file, long line, ItemInfo info) {
        Long prev = firstLine.putIfAbsent(info.externalId(), line);
        if (prev != null) {
            throw new DataFormatException(file, line, "item id", "item " + info.externalId()
                    + " already described on line " + prev);
        }
        items.put(info.externalId(), info);
    }
}
