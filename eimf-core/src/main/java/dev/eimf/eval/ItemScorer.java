package dev.eimf.eval;

/**
 * The one scoring interface every model and baseline implements, so that all share the
 * {@link Evaluator}. Scores are for internal item ids: {@code out[i]} is the score of item {@code i},
 * {@code out[0]} (padding) is ignored. Higher is better.
 */
@FunctionalInterface
public interface ItemScorer {
    /**
     * Scores every item for one history.
     *
     * @param history internal item ids, oldest first
     * @param out     receives one score per item id; length = item table size (items + 1)
     */
    void score(int[] history, float[] out);

    /**
     * Scores many histories. The default calls {@link #score} per history; models override it to
     * batch the work into matrix products.
     *
     * @param histories histories, oldest item first
     * @param out       one score row per history, each of length item table size
     */
    default void scoreBatch(int[][] histories, float[][] out) {
        for (int i = 0; i < histories.length; i++) {
            score(histories[i], out[i]);
        }
    }

    /**
     * Number of interest vectors behind the scores: K for a multi-interest model, 1 for a scorer with a
     * single score per item (the baselines). The diversified ranking takes each interest's top N as its
     * candidates ({@code docs/METHOD.md}, section 3.8).
     */
    default int numInterests() {
        return 1;
    }

    /**
     * Scores every item under each interest separately; {@link #score} is their maximum. The default, for
     * a scorer of one interest, calls {@link #scoreBatch}; a scorer that reports more than one interest
     * must override it.
     *
     * @param histories histories, oldest item first
     * @param out       {@code out[h][k]} receives history h's scores under interest k; {@code numInterests()}
     *                  rows per history, each of length item table size
     */
    default void scoreInterestsBatch(int[][] histories, float[][][] out) {
        if (numInterests() != 1) {
            throw new UnsupportedOperationException(getClass().getName() + " reports " + numInterests()
                    + " interests but does not score them separately (scoreInterestsBatch)");
        }
        float[][] rows = new float[histories.length][];
        for (int i = 0; i < histories.length; i++) {
            rows[i] = out[i][0];
        }
        scoreBatch(histories, rows);
    }
}
