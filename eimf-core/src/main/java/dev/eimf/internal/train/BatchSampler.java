package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/**
 * ComiRec's training batches ({@code DataIterator} in train mode): {@code batch} users drawn without
 * replacement within the batch ({@code random.sample}; with replacement only when there are fewer users
 * than the batch), for each a cut point {@code k} uniform in {@code [4, len-1]}
 * ({@code random.choice(range(4, len))}; {@code [1, len-1]} for sequences shorter than 5), target
 * {@code seq[k]} and history the up-to-T items before {@code k}. Sequences of length 1 have no target
 * and are not drawn.
 */
final class BatchSampler {
    private final int[][] sequences;
    private final int[] eligible;
    private final int maxLen;

    /** The current order of the eligible users (the partial shuffles persist between batches). */
    int[] order() {
        return eligible.clone();
    }

    /** Restores an order from {@link #order()} (a checkpoint); it must be a permutation of the eligible users. */
    void restoreOrder(int[] order) {
        int[] a = order.clone();
        int[] b = eligible.clone();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException("the checkpoint's batch order does not match this data's training users");
        }
        System.arraycopy(order, 0, eligible, 0, order.length);
    }

    /** Number of sequences skipped because they have fewer than two items. */
    final int skipped;

    BatchSampler(int[][] train, int maxLen) {
        this.sequences = train;
        this.maxLen = maxLen;
        int count = 0;
        for (int[] s : train) {
            if (s.length >= 2) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no training sequence has two or more items");
        }
        eligible = new int[count];
        for (int i = 0, j = 0; i < train.length; i++) {
            if (train[i].length >= 2) {
                eligible[j++] = i;
            }
        }
        skipped = train.length - count;
    }

    /**
     * Fills one batch.
     *
     * @param ids     receives history ids [B*T]
     * @param mask    receives the mask [B*T]
     * @param targets receives the target per row [B]
     * @param users   receives the training-sequence index per row [B]
     */
    void next(RandomGenerator rng, int[] ids, float[] mask, int[] targets, int[] users) {
        int b = targets.length;
        boolean distinct = eligible.length >= b;
        for (int i = 0; i < b; i++) {
            int pick;
            if (distinct) {
                // Partial Fisher-Yates over the eligible users; the swaps persist, which keeps every
                // batch a uniform draw without replacement.
                int j = i + rng.nextInt(eligible.length - i);
                int tmp = eligible[i];
                eligible[i] = eligible[j];
                eligible[j] = tmp;
                pick = eligible[i];
            } else {
                pick = eligible[rng.nextInt(eligible.length)];
            }
            users[i] = pick;
            int[] seq = sequences[pick];
            int lo = seq.length >= 5 ? 4 : 1;
            int k = lo + rng.nextInt(seq.length - lo);
            targets[i] = seq[k];
            HistoryBatch.fill(ids, mask, i, maxLen, seq, k);
        }
    }
}
