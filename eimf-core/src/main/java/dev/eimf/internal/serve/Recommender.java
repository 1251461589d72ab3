package dev.eimf.internal.serve;

import dev.eimf.data.ItemCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Recommends items for a history: the model's {@link UserInterests} turn the history into K interest
 * vectors, the {@link ItemIndex} retrieves the best items, and the {@link ItemCatalog} names them.
 * Each {@link Recommendation} says which interest produced it.
 *
 * <p>Items already in the history are excluded unless asked otherwise. Immutable and thread-safe
 * provided the {@code UserInterests} is.
 */
public final class Recommender {
    private final UserInterests model;
    private final ItemIndex index;
    private final ItemCatalog catalog;

    /**
     * @param model   history to interests
     * @param index   retrieval over the same item id space as {@code catalog}
     * @param catalog item ids and text
     * @throws IllegalArgumentException when index and catalogue disagree on the number of items
     */
    public Recommender(UserInterests model, ItemIndex index, ItemCatalog catalog) {
        this.model = Objects.requireNonNull(model, "model");
        this.index = Objects.requireNonNull(index, "index");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (index.tableSize() != catalog.tableSize()) {
            throw new IllegalArgumentException("item index has table size " + index.tableSize()
                    + " but the catalogue has " + catalog.tableSize() + " (items + padding)");
        }
    }

    /** The best {@code n} items for a history of internal ids, excluding the history's own items. */
    public List<Recommendation> recommend(int[] history, int n) {
        return recommend(history, n, true);
    }

    /**
     * The best {@code n} items for a history of internal ids.
     *
     * @param history        internal item ids, oldest first
     * @param n              how many items, {@code >= 0}
     * @param excludeHistory true to leave out items the history already contains
     * @throws IllegalArgumentException when an id is outside {@code 1..catalog.size()} or {@code n < 0}
     */
    public List<Recommendation> recommend(int[] history, int n, boolean excludeHistory) {
        checkHistory(history, "history");
        float[][] interests = model.interests(history.clone());
        List<ScoredItem> top = index.topN(interests, n, excludeHistory ? exclusion(history) : null);
        return named(top);
    }

    /**
     * The best {@code n} items for a history of external item ids (as in the data files), excluding
     * the history's own items.
     *
     * @throws IllegalArgumentException naming the first id the catalogue does not know
     */
    public List<Recommendation> recommend(List<String> externalIds, int n) {
        return recommend(toInternal(externalIds, "history"), n, true);
    }

    /** {@link #recommend(int[], int, boolean)} for many histories, with the model and index batched. */
    public List<List<Recommendation>> recommendBatch(int[][] histories, int n, boolean excludeHistory) {
        Objects.requireNonNull(histories, "histories");
        int[][] copies = new int[histories.length][];
        IntPredicate[] excluded = excludeHistory ? new IntPredicate[histories.length] : null;
        for (int u = 0; u < histories.length; u++) {
            checkHistory(histories[u], "histories[" + u + "]");
            copies[u] = histories[u].clone();
            if (excludeHistory) excluded[u] = exclusion(histories[u]);
        }
        float[][][] interests = model.interestsBatch(copies);
        if (interests.length != histories.length) {
            throw new IllegalStateException("the model returned interests for " + interests.length
                    + " histories, expected " + histories.length);
        }
        List<List<ScoredItem>> top = index.topNBatch(interests, n, excluded);
        List<List<Recommendation>> out = new ArrayList<>(top.size());
        for (List<ScoredItem> t : top) out.add(named(t));
        return out;
    }

    /** {@link #recommend(int[], int)} for many histories. */
    public List<List<Recommendation>> recommendBatch(int[][] histories, int n) {
        return recommendBatch(histories, n, true);
    }

    /**
     * Maps external ids to internal ids.
     *
     * @throws IllegalArgumentException naming the first unknown id and its position
     */
    public int[] toInternal(List<String> externalIds, String what) {
        Objects.requireNonNull(externalIds, what);
        int[] ids = new int[externalIds.size()];
        for (int i = 0; i < ids.length; i++) {
            String ext = externalIds.get(i);
            if (ext == null) throw new IllegalArgumentException(what + "[" + i + "] is null");
            Integer id = catalog.internalId(ext).orElse(null);
            if (id == null) {
                throw new IllegalArgumentException("unknown item id '" + ext + "' at " + what + "[" + i
                        + "]: not in the catalogue of " + catalog.size() + " items");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** The catalogue the recommendations are named from. */
    public ItemCatalog catalog() {
        return catalog;
    }

    private List<Recommendation> named(List<ScoredItem> top) {
        List<Recommendation> out = new ArrayList<>(top.size());
        for (ScoredItem s : top) out.add(Recommendation.of(s, catalog.info(s.itemId())));
        return out;
    }

    private void checkHistory(int[] history, String what) {
        Objects.requireNonNull(history, what);
        for (int i = 0; i < history.length; i++) {
            int id = history[i];
            if (id < 1 || id > catalog.size()) {
                throw new IllegalArgumentException(what + "[" + i + "] = " + id + " is not an item id in 1.."
                        + catalog.size());
            }
        }
    }

    /** Sorted copy + binary search: histories are short and the index asks only about top candidates. */
    private static IntPredicate exclusion(int[] history) {
        int[] sorted = history.clone();
        Arrays.sort(sorted);
        return id -> Arrays.binarySearch(sorted, id) >= 0;
    }
}
