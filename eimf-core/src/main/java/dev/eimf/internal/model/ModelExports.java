package dev.eimf.internal.model;

import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.io.AtomicFiles;
import dev.eimf.internal.io.NpyWriter;
import dev.eimf.internal.serve.UserInterests;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Exports for other tools ({@code docs/MODEL-FORMAT.md}, section 5): float32 {@code .npy} arrays plus a
 * tab-separated id table whose line {@code r} (after the header) names row {@code r} of the array.
 * <ul>
 *   <li>Items: {@code [n, d]}, row {@code r} = internal id {@code r + 1} (the padding row is left out);
 *       ids table {@code row<TAB>item_id<TAB>title}.</li>
 *   <li>Users' interests: {@code [U, K, d]}; ids table {@code row<TAB>user_id<TAB>history_length}.</li>
 * </ul>
 * Ids containing a tab or line break are refused; in titles, tabs and line breaks become spaces.
 */
public final class ModelExports {
    /** Users whose interests are computed in one batch. */
    private static final int CHUNK = 512;

    private ModelExports() {
    }

    /**
     * Writes the item embeddings of a model.
     *
     * @param npy   the {@code [n, d]} array
     * @param idsTsv the id table
     */
    public static void itemEmbeddings(SavedModel model, Path npy, Path idsTsv) throws IOException {
        itemEmbeddings(model.catalog(), model.itemTable(), npy, idsTsv);
    }

    /**
     * Writes item embeddings.
     *
     * @param catalog item ids and titles
     * @param table   the item table {@code [n+1, d]}; row 0 (padding) is left out
     */
    public static void itemEmbeddings(ItemCatalog catalog, float[][] table, Path npy, Path idsTsv) throws IOException {
        if (table.length != catalog.tableSize()) {
            throw new IllegalArgumentException("item table has " + table.length + " rows, the catalogue needs "
                    + catalog.tableSize() + " (items + padding)");
        }
        int n = catalog.size();
        int d = table[0].length;
        float[] flat = new float[n * d];
        for (int i = 1; i <= n; i++) {
            if (table[i].length != d) {
                throw new IllegalArgumentException("item table row " + i + " has length " + table[i].length + ", expected " + d);
            }
            System.arraycopy(table[i], 0, flat, (i - 1) * d, d);
        }
        for (int i = 1; i <= n; i++) checkId(catalog.externalId(i), "item id of internal id " + i);
        NpyWriter.write(npy, flat, n, d);
        AtomicFiles.write(idsTsv, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("row\titem_id\ttitle\n");
            for (int i = 1; i <= n; i++) {
                w.write((i - 1) + "\t" + catalog.externalId(i) + "\t" + oneLine(catalog.info(i).title()) + "\n");
            }
            w.flush();
        });
    }

    /**
     * Computes and writes users' interest vectors.
     *
     * @param model     history to interests (e.g. a {@link SavedModel})
     * @param userIds   one id per user
     * @param histories internal item ids per user, oldest first, parallel to {@code userIds}
     * @param npy       the {@code [U, K, d]} array
     * @param idsTsv    the id table
     */
    public static void userInterests(UserInterests model, List<String> userIds, int[][] histories, Path npy,
                                     Path idsTsv) throws IOException {
        Objects.requireNonNull(model, "model");
        if (userIds.size() != histories.length) {
            throw new IllegalArgumentException(userIds.size() + " user ids for " + histories.length + " histories");
        }
        if (histories.length == 0) throw new IllegalArgumentException("no users to export");
        for (int u = 0; u < userIds.size(); u++) checkId(userIds.get(u), "user id at index " + u);
        int users = histories.length;
        int k = -1;
        int d = -1;
        float[] flat = null;
        for (int from = 0; from < users; from += CHUNK) {
            int to = Math.min(users, from + CHUNK);
            float[][][] v = model.interestsBatch(java.util.Arrays.copyOfRange(histories, from, to));
            if (v.length != to - from) {
                throw new IllegalStateException("the model returned " + v.length + " results for " + (to - from) + " histories");
            }
            for (int u = from; u < to; u++) {
                float[][] vu = v[u - from];
                if (k < 0) {
                    k = vu.length;
                    d = vu[0].length;
                    flat = new float[Math.multiplyExact(users, Math.multiplyExact(k, d))];
                }
                if (vu.length != k) throw new IllegalStateException("user " + userIds.get(u) + " has " + vu.length + " interests, expected " + k);
                for (int q = 0; q < k; q++) {
                    if (vu[q].length != d) {
                        throw new IllegalStateException("user " + userIds.get(u) + ", interest " + q + " has length " + vu[q].length);
                    }
                    System.arraycopy(vu[q], 0, flat, (u * k + q) * d, d);
                }
            }
        }
        NpyWriter.write(npy, flat, users, k, d);
        AtomicFiles.write(idsTsv, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write("row\tuser_id\thistory_length\n");
            for (int u = 0; u < users; u++) {
                w.write(u + "\t" + userIds.get(u) + "\t" + histories[u].length + "\n");
            }
            w.flush();
        });
    }

    private static void checkId(String id, String what) {
        Objects.requireNonNull(id, what);
        if (id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(what + " contains a tab or line break: '" + id + "'");
        }
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
