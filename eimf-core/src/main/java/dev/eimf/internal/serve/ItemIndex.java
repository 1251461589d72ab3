package dev.eimf.internal.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Retrieves the items that score highest against a user's K interest vectors, with
 * {@code score(i) = max_k <v_k, e_i>} (docs/METHOD.md, section 3.7). Item ids are internal ids
 * {@code 1..tableSize()-1}; the padding id 0 is never returned.
 *
 * <p>Results are ordered by descending score, ties broken by lower item id, so that the same input
 * always yields the same list. Implementations are thread-safe.
 */
public interface ItemIndex {

    /** Embedding size d. */
    int dim();

    /** Item table size: number of items + 1 (the padding row). */
    int tableSize();

    /**
     * The best {@code n} items for one user.
     *
     * @param interests the user's interests, {@code K x d} with {@code K >= 1}; finite values
     * @param n         how many items to return, {@code >= 0}; fewer come back when fewer items are not excluded
     * @param excluded  items never to return (e.g. the user's history), or {@code null} for none
     * @return at most {@code n} items, best first
     * @throws IllegalArgumentException when a vector has the wrong length or a non-finite value, or {@code n < 0}
     */
    List<ScoredItem> topN(float[][] interests, int n, IntPredicate excluded);

    /** {@link #topN(float[][], int, IntPredicate)} with nothing excluded. */
    default List<ScoredItem> topN(float[][] interests, int n) {
        return topN(interests, n, null);
    }

    /**
     * The best {@code n} items for each of many users. Equal to calling {@link #topN} per user; the
     * default does exactly that, implementations batch the work into matrix products.
     *
     * @param interests one {@code K x d} array per user (K may differ between users only if the
     *                  implementation says so; {@link ExactItemIndex} requires one K per call)
     * @param n         items per user
     * @param excluded  per-user exclusions, parallel to {@code interests}; {@code null} (the array or
     *                  an element) for none
     * @return one result list per user, in input order
     */
    default List<List<ScoredItem>> topNBatch(float[][][] interests, int n, IntPredicate[] excluded) {
        checkBatch(interests, excluded);
        List<List<ScoredItem>> out = new ArrayList<>(interests.length);
        for (int u = 0; u < interests.length; u++) {
            out.add(topN(interests[u], n, excluded == null ? null : excluded[u]));
        }
        return out;
    }

    /** {@link #topNBatch(float[][][], int, IntPredicate[])} with nothing excluded. */
    default List<List<ScoredItem>> topNBatch(float[][][] interests, int n) {
        return topNBatch(interests, n, null);
    }

    /** Checks that a per-user exclusion array, when given, matches the number of users. */
    static void checkBatch(float[][][] interests, IntPredicate[] excluded) {
        if (interests == null) throw new NullPointerException("interests");
        if (excluded != null && excluded.length != interests.length) {
            throw new IllegalArgumentException("excluded has " + excluded.length + " entries for "
                    + interests.length + " users");
        }
    }
}
