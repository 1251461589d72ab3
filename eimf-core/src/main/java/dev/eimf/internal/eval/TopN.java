package dev.eimf.internal.eval;

/**
 * Partial top-N selection over a score row, without sorting all items: a bounded min-heap of size N,
 * so O(items · log N) in the worst case and close to O(items) in practice.
 *
 * <p>Order: higher score first; equal scores go to the lower item id, so rankings are deterministic.
 * Item 0 (padding) and items scored {@code -Infinity} (excluded) are never ranked, so the result
 * can be shorter than N. A {@code NaN} score is a scorer bug and is rejected.
 */
public final class TopN {
    private TopN() {
    }

    /**
     * The best {@code n} item ids of a score row.
     *
     * @param scores {@code scores[i]} is the score of item {@code i}; index 0 is ignored
     * @param n      how many to return, positive
     * @return up to {@code n} item ids, best first
     * @throws IllegalArgumentException if a score is NaN
     */
    public static int[] select(float[] scores, int n) {
        return select(scores, null, scores.length - 1, n);
    }

    /**
     * The best {@code n} of some candidate ids, ranked by {@code scores[id]} with the same rules as
     * {@link #select(float[], int)}.
     *
     * @param scores     score by item id
     * @param candidates candidate ids (each in {@code 1..scores.length-1}, no repeats); only the first
     *                   {@code count} are read
     * @param count      number of candidates
     * @param n          how many to return, positive
     * @return up to {@code n} ids, best first
     */
    public static int[] select(float[] scores, int[] candidates, int count, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        int cap = Math.min(n, Math.max(0, count));
        int[] heapId = new int[cap];
        float[] heapScore = new float[cap];
        int size = 0;
        for (int c = 0; c < count; c++) {
            int i = candidates == null ? c + 1 : candidates[c];
            float s = scores[i];
            if (s != s) {
                throw new IllegalArgumentException("score of item " + i + " is NaN");
            }
            if (s == Float.NEGATIVE_INFINITY) {
                continue;
            }
            if (size < cap) {
                // Sift up: the root holds the worst kept item.
                int pos = size++;
                while (pos > 0) {
                    int parent = (pos - 1) >>> 1;
                    if (!worse(s, i, heapScore[parent], heapId[parent])) {
                        break;
                    }
                    heapId[pos] = heapId[parent];
                    heapScore[pos] = heapScore[parent];
                    pos = parent;
                }
                heapId[pos] = i;
                heapScore[pos] = s;
            } else if (cap > 0 && worse(heapScore[0], heapId[0], s, i)) {
                siftDown(heapId, heapScore, size, i, s);
            }
        }
        // Pop the worst repeatedly, filling the result from the back.
        int[] out = new int[size];
        for (int k = size - 1; k >= 0; k--) {
            out[k] = heapId[0];
            int lastId = heapId[k];
            float lastScore = heapScore[k];
            siftDown(heapId, heapScore, k, lastId, lastScore);
        }
        return out;
    }

    /** Replaces the root with (id, s) and restores the heap over the first {@code size} slots. */
    private static void siftDown(int[] heapId, float[] heapScore, int size, int id, float s) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= size) {
                break;
            }
            int right = child + 1;
            if (right < size && worse(heapScore[right], heapId[right], heapScore[child], heapId[child])) {
                child = right;
            }
            if (!worse(heapScore[child], heapId[child], s, id)) {
                break;
            }
            heapId[pos] = heapId[child];
            heapScore[pos] = heapScore[child];
            pos = child;
        }
        if (size > 0) {
            heapId[pos] = id;
            heapScore[pos] = s;
        }
    }

    /** True when (sa, a) ranks below (sb, b): lower score, or equal score and higher id. */
    private static boolean worse(float sa, int a, float sb, int b) {
        return sa < sb || (sa == sb && a > b);
    }
}
