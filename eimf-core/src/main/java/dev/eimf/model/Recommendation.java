package dev.eimf.model;

import java.util.Objects;

/**
 * One recommended item. Two recommendations are equal when they name the same item at the same rank:
 * scores are floats whose last bits depend on the thread count and instruction set, so they take no part
 * in {@link #equals}.
 *
 * @param rank     position in the list, from 1
 * @param itemId   the item's id as in the data it was trained on
 * @param title    the item's title, or {@code ""} when unknown
 * @param label    a one-line label: the title, else the categories, else the id
 * @param score    {@code max_k <v_k, e_item>}; 0 for a popularity fallback
 * @param interest index of the interest that produced the score; -1 for a popularity fallback
 */
public record Recommendation(int rank, String itemId, String title, String label, float score, int interest) {
    /** Validates. */
    public Recommendation {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(label, "label");
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }

    /** Equal when item and rank are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Recommendation r && r.rank == rank && r.itemId.equals(itemId);
    }

    @Override
    public int hashCode() {
        return 31 * rank + itemId.hashCode();
    }
}
