package dev.eimf.internal.serve;

import dev.eimf.internal.eval.DiverseSelection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Serving with ComiRec's controllable diversity (docs/METHOD.md, section 3.8): each of a user's K interests
 * retrieves its top n items from the index, and n of their union are picked by {@link DiverseSelection}
 * with {@code f(i) = max_k <v_k, e_i>}. Each result names the interest that gives its item the highest
 * score and carries f as its score. Stateless and thread-safe.
 */
public final class DiverseRanking {
    private DiverseRanking() {
    }

    /**
     * Ranks one user.
     *
     * @param index     retrieval over {@code table}
     * @param table     item embeddings by internal id (row 0 padding)
     * @param interests the user's interests, {@code K x d}
     * @param excluded  items never to return, or null
     * @param n         how many items
     * @param category  category number of an item id
     * @param lambda    weight of diversity, {@code >= 0}
     * @return at most n items, in the order picked
     */
    public static List<ScoredItem> rank(ItemIndex index, float[][] table, float[][] interests, IntPredicate excluded,
                                        int n, IntUnaryOperator category, double lambda) {
        int k = interests.length;
        float[][][] single = new float[k][][];
        IntPredicate[] ex = new IntPredicate[k];
        for (int j = 0; j < k; j++) {
            single[j] = new float[][] {interests[j]};
            ex[j] = excluded;
        }
        TreeSet<Integer> pool = new TreeSet<>();
        for (List<ScoredItem> top : index.topNBatch(single, n, ex)) {
            for (ScoredItem s : top) pool.add(s.itemId());
        }
        int m = pool.size();
        int[] ids = pool.stream().mapToInt(Integer::intValue).toArray();
        float[] f = new float[m];
        int[] arg = new int[m];
        for (int c = 0; c < m; c++) {
            float[] e = table[ids[c]];
            float best = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                float s = dot(interests[j], e);
                if (s > best) {
                    best = s;
                    arg[c] = j;
                }
            }
            f[c] = best;
        }
        // Descending f, ties to the lower id (ids are ascending and the sort is stable).
        Integer[] order = new Integer[m];
        for (int c = 0; c < m; c++) order[c] = c;
        Arrays.sort(order, (a, b) -> Float.compare(f[b], f[a]));
        int[] cand = new int[m];
        double[] fs = new double[m];
        for (int c = 0; c < m; c++) {
            cand[c] = ids[order[c]];
            fs[c] = f[order[c]];
        }
        int[] picked = DiverseSelection.select(cand, fs, category, n, lambda);
        List<ScoredItem> out = new ArrayList<>(picked.length);
        for (int id : picked) {
            int c = Arrays.binarySearch(ids, id);
            out.add(new ScoredItem(id, f[c], arg[c]));
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
