package dev.eimf.internal.serve;

/**
 * Turns a user's history into K interest vectors. A trained model provides this (its encoder's forward
 * pass in inference mode); anything else that yields interests, such as a cached lookup, fits too.
 * Implementations must be thread-safe when the {@link Recommender} using them is shared between threads.
 */
@FunctionalInterface
public interface UserInterests {

    /**
     * @param history internal item ids, oldest first; never modified
     * @return the interests, {@code K x d}
     */
    float[][] interests(int[] history);

    /**
     * Interests for many histories. The default calls {@link #interests(int[])} per history; models
     * override it to batch the forward pass.
     *
     * @return one {@code K x d} array per history, in input order
     */
    default float[][][] interestsBatch(int[][] histories) {
        float[][][] out = new float[histories.length][][];
        for (int u = 0; u < histories.length; u++) {
            out[u] = interests(histories[u]);
        }
        return out;
    }
}
