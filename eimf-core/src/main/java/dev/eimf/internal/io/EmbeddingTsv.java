package dev.eimf.internal.io;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.ItemCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tab-separated exports of vectors keyed by external ids, for spreadsheets, pandas
 * ({@code read_csv(sep='\t', index_col=0)}) and other tools. UTF-8, {@code \n} line ends, one header
 * line, values in Java's shortest round-trip notation ({@link Float#toString}), so reading a file back
 * gives the same floats bit for bit. See {@code docs/MODEL-FORMAT.md}.
 *
 * <ul>
 *   <li>Items: {@code item_id<TAB>v1<TAB>...<TAB>vd}, one line per item in internal-id order (the
 *       padding row 0 is not written).</li>
 *   <li>Users' interests: {@code user_id<TAB>interest<TAB>v1<TAB>...<TAB>vd}, K lines per user,
 *       {@code interest} counting from 0.</li>
 * </ul>
 */
public final class EmbeddingTsv {
    private EmbeddingTsv() {
    }

    /**
     * Writes item embeddings.
     *
     * @param itemIds external ids in internal order (element 0 is internal id 1)
     * @param table   the item table {@code [n+1, d]}; row 0 (padding) is skipped
     */
    public static void writeItems(Path file, List<String> itemIds, float[][] table) throws IOException {
        if (table.length != itemIds.size() + 1) {
            throw new IllegalArgumentException("item table has " + table.length + " rows, expected " + (itemIds.size() + 1)
                    + " (items + padding)");
        }
        int d = table.length > 1 ? table[1].length : 0;
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("item_id");
            writeHeader(w, d);
            for (int i = 1; i < table.length; i++) {
                checkId(itemIds.get(i - 1), "item id of internal id " + i);
                w.write(itemIds.get(i - 1));
                writeRow(w, table[i], d, "item " + itemIds.get(i - 1));
            }
            w.flush();
        });
    }

    /** Writes item embeddings with the ids of a catalogue. */
    public static void writeItems(Path file, ItemCatalog catalog, float[][] table) throws IOException {
        List<String> ids = new ArrayList<>(catalog.size());
        for (int i = 1; i <= catalog.size(); i++) ids.add(catalog.externalId(i));
        writeItems(file, ids, table);
    }

    /**
     * Writes users' interest vectors.
     *
     * @param userIds   one id per user
     * @param interests one {@code K x d} array per user, parallel to {@code userIds}
     */
    public static void writeUserInterests(Path file, List<String> userIds, float[][][] interests) throws IOException {
        if (userIds.size() != interests.length) {
            throw new IllegalArgumentException(userIds.size() + " user ids for " + interests.length + " interest arrays");
        }
        int d = interests.length > 0 && interests[0].length > 0 ? interests[0][0].length : 0;
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("user_id\tinterest");
            writeHeader(w, d);
            for (int u = 0; u < interests.length; u++) {
                String id = userIds.get(u);
                checkId(id, "user id " + u);
                for (int k = 0; k < interests[u].length; k++) {
                    w.write(id);
                    w.write('\t');
                    w.write(Integer.toString(k));
                    writeRow(w, interests[u][k], d, "user " + id + ", interest " + k);
                }
            }
            w.flush();
        });
    }

    /**
     * Reads an item file.
     *
     * @return vectors by external id, in file order
     * @throws DataFormatException naming the line and field at fault
     */
    public static Map<String, float[]> readItems(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int d = header(file, r.readLine(), "item_id", 1);
            String line;
            long no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                String[] f = line.split("\t", -1);
                if (f.length != d + 1) {
                    throw new DataFormatException(file, no, null, f.length + " fields, expected " + (d + 1));
                }
                if (out.put(f[0], parse(file, no, f, 1, d)) != null) {
                    throw new DataFormatException(file, no, "item_id", "duplicate id '" + f[0] + "'");
                }
            }
        }
        return out;
    }

    /**
     * Reads a users' interests file.
     *
     * @return {@code K x d} arrays by user id, in file order
     * @throws DataFormatException naming the line and field at fault (also for interests out of order)
     */
    public static Map<String, float[][]> readUserInterests(Path file) throws IOException {
        Map<String, List<float[]>> rows = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int d = header(file, r.readLine(), "user_id\tinterest", 2);
            String line;
            long no = 1;
            String current = null;
            while ((line = r.readLine()) != null) {
                no++;
                String[] f = line.split("\t", -1);
                if (f.length != d + 2) {
                    throw new DataFormatException(file, no, null, f.length + " fields, expected " + (d + 2));
                }
                if (!f[0].equals(current) && rows.containsKey(f[0])) {
                    throw new DataFormatException(file, no, "user_id", "user '" + f[0] + "' appears in two separate runs of lines");
                }
                current = f[0];
                List<float[]> list = rows.computeIfAbsent(f[0], k -> new ArrayList<>());
                if (!f[1].equals(Integer.toString(list.size()))) {
                    throw new DataFormatException(file, no, "interest", "'" + f[1] + "', expected " + list.size());
                }
                list.add(parse(file, no, f, 2, d));
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        rows.forEach((k, v) -> out.put(k, v.toArray(new float[0][])));
        return out;
    }

    private static void writeHeader(Writer w, int d) throws IOException {
        for (int j = 1; j <= d; j++) {
            w.write("\tv");
            w.write(Integer.toString(j));
        }
        w.write('\n');
    }

    private static void writeRow(Writer w, float[] v, int d, String what) throws IOException {
        if (v.length != d) throw new IllegalArgumentException(what + " has " + v.length + " values, expected " + d);
        for (int j = 0; j < d; j++) {
            if (!Float.isFinite(v[j])) throw new IllegalArgumentException(what + ", value " + (j + 1) + " is not finite: " + v[j]);
            w.write('\t');
            w.write(Float.toString(v[j]));
        }
        w.write('\n');
    }

    private static void checkId(String id, String what) {
        if (id == null) throw new IllegalArgumentException(what + " is null");
        if (id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " '" + id + "' contains a tab or line break, which TSV cannot hold");
        }
    }

    private static int header(Path file, String line, String prefix, int idColumns) {
        if (line == null) throw new DataFormatException(file, 1, null, "empty file, expected a header line");
        String[] f = line.split("\t", -1);
        if (!line.startsWith(prefix)) {
            throw new DataFormatException(file, 1, null, "header should start with '" + prefix.replace("\t", "<TAB>") + "'");
        }
        for (int j = idColumns; j < f.length; j++) {
            if (!f[j].equals("v" + (j - idColumns + 1))) {
                throw new DataFormatException(file, 1, f[j], "expected column name 'v" + (j - idColumns + 1) + "'");
            }
        }
        return f.length - idColumns;
    }

    private static float[] parse(Path file, long line, String[] f, int from, int d) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            try {
                v[j] = Float.parseFloat(f[from + j]);
            } catch (NumberFormatException e) {
                throw new DataFormatException(file, line, "v" + (j + 1), "not a number: '" + f[from + j] + "'");
            }
        }
        return v;
    }
}
