package dev.eimf.internal.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The greedy selection against brute-force searches on small cases. */
class DiverseSelectionTest {
    /** Binary fractions, with f in eighths: sums are exact, so real ties stay ties. */
    private static final double[] LAMBDAS = {0, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1, 4};

    /** The objective computed from scratch: sum of f plus lambda per pair in different categories. */
    private static double objective(int[] picked, int[] ids, double[] f, int[] cat, double lambda) {
        double s = 0;
        for (int a = 0; a < picked.length; a++) {
            s += f[indexOf(ids, picked[a])];
            for (int b = a + 1; b < picked.length; b++) {
                if (cat[picked[a]] != cat[picked[b]]) s += lambda;
            }
        }
        return s;
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return i;
        throw new AssertionError(id);
    }

    /** Greedy by definition: each step the candidate whose addition raises the whole objective most, earliest on ties. */
    private static int[] bruteGreedy(int[] ids, double[] f, int[] cat, int n, double lambda) {
        int m = Math.min(n, ids.length);
        int[] picked = new int[0];
        for (int step = 0; step < m; step++) {
            int best = -1;
            double bestValue = 0;
            for (int id : ids) {
                final int x = id;
                if (Arrays.stream(picked).anyMatch(p -> p == x)) continue;
                int[] with = Arrays.copyOf(picked, picked.length + 1);
                with[picked.length] = id;
                double v = objective(with, ids, f, cat, lambda);
                if (best < 0 || v > bestValue + 1e-12) {
                    best = id;
                    bestValue = v;
                }
            }
            picked = Arrays.copyOf(picked, picked.length + 1);
            picked[step] = best;
        }
        return picked;
    }

    /** The best set of n candidates over all subsets. */
    private static double bruteOptimum(int[] ids, double[] f, int[] cat, int n, double lambda) {
        double best = Double.NEGATIVE_INFINITY;
        for (int mask = 0; mask < (1 << ids.length); mask++) {
            if (Integer.bitCount(mask) != Math.min(n, ids.length)) continue;
            int[] set = new int[Integer.bitCount(mask)];
            int j = 0;
            for (int i = 0; i < ids.length; i++) if ((mask & (1 << i)) != 0) set[j++] = ids[i];
            best = Math.max(best, objective(set, ids, f, cat, lambda));
        }
        return best;
    }

    private record Case(int[] ids, double[] f, int[] cat) {
    }

    /** Candidates ordered by descending f; f drawn from few values so that ties happen. */
    private static Case random(Random r, int m, int categories) {
        int[] ids = new int[m];
        double[] f = new double[m];
        int[] cat = new int[m + 20];
        for (int i = 0; i < m; i++) {
            ids[i] = 1 + i + r.nextInt(2) * 10;
            f[i] = r.nextInt(6) / 8.0;
        }
        double[] sorted = Arrays.stream(f).boxed().sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue).toArray();
        for (int i = 0; i < cat.length; i++) cat[i] = r.nextInt(categories);
        return new Case(ids, sorted, cat);
    }

    @Test
    void greedyPicksTheItemWithTheLargestMarginalGainAtEachStep() {
        Random r = new Random(7);
        for (int t = 0; t < 3000; t++) {
            Case c = random(r, 1 + r.nextInt(9), 1 + r.nextInt(4));
            int n = 1 + r.nextInt(6);
            double lambda = LAMBDAS[r.nextInt(LAMBDAS.length)];
            int[] got = DiverseSelection.select(c.ids, c.f, id -> c.cat[id], n, lambda);
            assertArrayEquals(bruteGreedy(c.ids, c.f, c.cat, n, lambda), got,
                    "case " + t + " ids " + Arrays.toString(c.ids) + " f " + Arrays.toString(c.f) + " lambda " + lambda);
            assertEquals(objective(got, c.ids, c.f, c.cat, lambda),
                    DiverseSelection.objective(got, Arrays.stream(got).mapToDouble(id -> c.f[indexOf(c.ids, id)]).toArray(),
                            id -> c.cat[id], lambda), 1e-9);
        }
    }

    @Test
    void lambdaZeroKeepsTheRankingAsItIs() {
        Random r = new Random(3);
        for (int t = 0; t < 500; t++) {
            Case c = random(r, 1 + r.nextInt(12), 1 + r.nextInt(4));
            int n = 1 + r.nextInt(15);
            int[] got = DiverseSelection.select(c.ids, c.f, id -> c.cat[id], n, 0);
            assertArrayEquals(Arrays.copyOf(c.ids, Math.min(n, c.ids.length)), got);
        }
    }

    /**
     * The objective is sum f - lambda * sum over categories of C(n_c, 2) plus a constant for a fixed list
     * length: separable and concave in each category's count (the j-th item of a category adds its f minus
     * lambda (j - 1)), so the greedy choice is also the best set. The brute force checks that.
     */
    @Test
    void greedyReachesTheBestSet() {
        Random r = new Random(11);
        for (int t = 0; t < 3000; t++) {
            Case c = random(r, 1 + r.nextInt(8), 1 + r.nextInt(4));
            int n = 1 + r.nextInt(5);
            double lambda = LAMBDAS[r.nextInt(LAMBDAS.length)];
            int[] got = DiverseSelection.select(c.ids, c.f, id -> c.cat[id], n, lambda);
            double greedy = objective(got, c.ids, c.f, c.cat, lambda);
            double optimum = bruteOptimum(c.ids, c.f, c.cat, n, lambda);
            assertEquals(optimum, greedy, 1e-9, "case " + t);
        }
    }

    @Test
    void aLargeLambdaCoversTheCategoriesFirst() {
        int[] ids = {1, 2, 3, 4, 5};
        double[] f = {0.9, 0.8, 0.7, 0.2, 0.1};
        int[] cat = {0, 0, 0, 0, 1, 2};
        assertArrayEquals(new int[] {1, 2, 3}, DiverseSelection.select(ids, f, id -> cat[id], 3, 0));
        assertArrayEquals(new int[] {1, 4, 5}, DiverseSelection.select(ids, f, id -> cat[id], 3, 1));
        // lambda 0.1: item 4 gains 0.1 over item 2's 0.8, not enough.
        assertArrayEquals(new int[] {1, 2, 3}, DiverseSelection.select(ids, f, id -> cat[id], 3, 0.1));
    }
}
