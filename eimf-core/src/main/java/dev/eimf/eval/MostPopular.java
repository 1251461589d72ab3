package dev.eimf.eval;

import java.util.Objects;

/**
 * The popularity baseline: every user gets the same scores, the item's number of interactions in
 * the training sequences of a {@link Split} (repeats count). History-independent, so with history
 * exclusion it recommends the most popular items the user has not seen. Immutable and thread-safe.
 */
public final class MostPopular implements ItemScorer {
    private final float[] scores; // index = item id; [0] = 0

    private MostPopular(float[] scores) {
        this.scores = scores;
    }

    /** Counts the training sequences of a split. */
    public static MostPopular fit(Split split) {
        return fit(split.numItems(), split.train());
    }

    /**
     * Counts the given training sequences.
     *
     * @param numItems number of real items
     * @param train    sequences of item ids in {@code 1..numItems}
     */
    public static MostPopular fit(int numItems, int[][] train) {
        Objects.requireNonNull(train, "train");
        float[] s = new float[numItems + 1];
        for (int u = 0; u < train.length; u++) {
            for (int item : train[u]) {
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException("training sequence " + u + " has item id " + item
                            + " outside 1.." + numItems);
                }
                s[item]++;
            }
        }
        return new MostPopular(s);
    }

    /** Training interaction count of an item. */
    public int count(int item) {
        return (int) scores[item];
    }

    /** Number of real items. */
    public int numItems() {
        return scores.length - 1;
    }

    @Override
    public void score(int[] history, float[] out) {
        if (out.length != scores.length) {
            throw new IllegalArgumentException("score row has length " + out.length + ", expected " + scores.length);
        }
        System.arraycopy(scores, 0, out, 0, scores.length);
    }
}
