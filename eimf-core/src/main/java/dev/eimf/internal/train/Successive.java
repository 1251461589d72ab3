package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/**
 * Unique sampling by successive draws without replacement, with the number of raw draws the
 * rejection procedure would have made; see {@link CandidateSampler}.
 */
final class Successive {

    private Successive() {
    }

    /**
     * Fills {@code ids} with distinct ids in the order the rejection procedure would find them and
     * returns its number of raw draws, both with the rejection procedure's joint distribution.
     */
    static int sample(CandidateSampler sampler, int[] ids, RandomGenerator rng) {
        int n = sampler.numItems();
        int k = ids.length;
        if (k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct ids from " + n);
        }
        // Fenwick tree of the remaining probabilities: a draw and a removal cost O(log n) each.
        double[] p = new double[n + 1];
        double total = 0;
        for (int id = 1; id <= n; id++) {
            p[id] = sampler.probability(id);
            total += p[id];
        }
        boolean[] used = new boolean[n + 1];
        double[] tree = build(p, used, n);
        int top = Integer.highestOneBit(n);
        double rest = total; // mass of the ids not found yet
        long tries = 0;
        for (int j = 0; j < k; j++) {
            // Draws spent on ids already found before a new one: geometric, a draw finds a new id with
            // probability rest / total.
            tries += 1;
            if (j > 0) {
                double q = Math.max(rest / total, Double.MIN_NORMAL);
                double u = 1.0 - rng.nextDouble(); // (0, 1]
                double extra = q >= 1.0 ? 0.0 : Math.floor(Math.log(u) / Math.log1p(-q));
                tries += extra >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (long) extra;
            }
            if (tries >= Integer.MAX_VALUE) {
                throw new IllegalStateException("sampler would make more than " + Integer.MAX_VALUE
                        + " draws to find " + k + " distinct ids among " + n);
            }
            int id;
            int misses = 0;
            // Rounding in the tree can point at a spent id (weight about 0): draw again, and after a
            // few misses rebuild the tree from the remaining ids, which removes the residue.
            while (true) {
                id = find(tree, top, n, rng.nextDouble() * Math.max(rest, 0.0));
                if (!used[id]) {
                    break;
                }
                if (++misses % 16 == 0) {
                    tree = build(p, used, n);
                }
            }
            used[id] = true;
            ids[j] = id;
            rest -= p[id];
            for (int i = id; i <= n; i += i & -i) {
                tree[i] -= p[id];
            }
        }
        return (int) tries;
    }

    /** Fenwick tree over the weights of the ids not used. */
    private static double[] build(double[] p, boolean[] used, int n) {
        double[] tree = new double[n + 1];
        for (int id = 1; id <= n; id++) {
            tree[id] += used[id] ? 0.0 : p[id];
            int parent = id + (id & -id);
            if (parent <= n) {
                tree[parent] += tree[id];
            }
        }
        return tree;
    }

    /** The smallest id whose prefix mass exceeds {@code target}, or n when rounding runs past the end. */
    private static int find(double[] tree, int top, int n, double target) {
        int pos = 0;
        for (int step = top; step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= n && tree[next] <= target) {
                pos = next;
                target -= tree[next];
            }
        }
        return Math.min(pos + 1, n);
    }
}
