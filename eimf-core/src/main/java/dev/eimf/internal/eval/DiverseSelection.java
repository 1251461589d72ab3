package dev.eimf.internal.eval;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * ComiRec's controllable diversity (docs/METHOD.md, section 3.8): picks {@code n} of some candidates
 * greedily, each step taking the candidate that maximises
 * {@code f(i) + lambda * (number of chosen items whose category differs from i's)}.
 *
 * <p>Ties go to the earlier candidate, so candidates ordered by descending {@code f} (ties to the lower
 * id, as {@link TopN} orders them) with {@code lambda = 0} come back as they are: today's ranking. Greedy
 * selection is not the best set in general; it is ComiRec's rule. Cost: O(n · candidates).
 */
public final class DiverseSelection {
    private DiverseSelection() {
    }

    /**
     * Selects greedily.
     *
     * @param candidates item ids, no repeats, in the order ties are broken (earlier wins)
     * @param f          relevance per candidate, aligned with {@code candidates}
     * @param category   category number of an item id
     * @param n          how many to pick; fewer when there are fewer candidates
     * @param lambda     weight of diversity, {@code >= 0}
     * @return the picked item ids, in the order picked
     */
    public static int[] select(int[] candidates, double[] f, IntUnaryOperator category, int n, double lambda) {
        if (candidates.length != f.length) {
            throw new IllegalArgumentException(candidates.length + " candidates but " + f.length + " scores");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        int m = Math.min(n, candidates.length);
        int[] cat = new int[candidates.length];
        for (int c = 0; c < cat.length; c++) cat[c] = category.applyAsInt(candidates[c]);
        boolean[] taken = new boolean[candidates.length];
        Map<Integer, Integer> chosenIn = new HashMap<>();
        int[] out = new int[m];
        for (int step = 0; step < m; step++) {
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < candidates.length; c++) {
                if (taken[c]) continue;
                // Chosen items in another category: all chosen so far minus those in i's own.
                double v = f[c] + lambda * (step - chosenIn.getOrDefault(cat[c], 0));
                if (best < 0 || v > bestValue) {
                    best = c;
                    bestValue = v;
                }
            }
            taken[best] = true;
            chosenIn.merge(cat[best], 1, Integer::sum);
            out[step] = candidates[best];
        }
        return out;
    }

    /**
     * The objective the greedy steps increase: {@code sum f + lambda * (pairs in different categories)}.
     *
     * @param items    item ids
     * @param f        relevance of each of {@code items}
     * @param category category number of an item id
     * @param lambda   weight of diversity
     */
    public static double objective(int[] items, double[] f, IntUnaryOperator category, double lambda) {
        double s = 0;
        int differ = 0;
        for (int a = 0; a < items.length; a++) {
            s += f[a];
            for (int b = a + 1; b < items.length; b++) {
                if (category.applyAsInt(items[a]) != category.applyAsInt(items[b])) differ++;
            }
        }
        return s + lambda * differ;
    }
}
