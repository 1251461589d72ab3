package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HungarianTest {

    @Test
    void matchesBruteForceOnSquareMatrices() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + trial % 6;
            double[][] s = random(rng, n, n, trial % 3 == 0);
            int[] a = Hungarian.maximize(s);
            assertInjective(a, n);
            assertEquals(bruteForceMax(s), total(s, a), 1e-9, "trial " + trial);
        }
    }

    @Test
    void matchesBruteForceOnRectangularMatrices() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + trial % 4;
            int m = n + 1 + trial % 3;
            double[][] s = random(rng, n, m, trial % 2 == 0);
            int[] a = Hungarian.maximize(s);
            assertInjective(a, m);
            assertEquals(bruteForceMax(s), total(s, a), 1e-9, "trial " + trial);
        }
    }

    @Test
    void beatsGreedyWhereGreedyFails() {
        // Greedy row by row takes (0,0)=0.9 then (1,1)=0.1: total 1.0; the optimum is (0,1)+(1,0) = 1.6.
        double[][] s = {{0.9, 0.8}, {0.8, 0.1}};
        assertArrayEquals(new int[] {1, 0}, Hungarian.maximize(s));
        assertArrayEquals(new int[] {0, 1}, Hungarian.minimize(s));
    }

    @Test
    void rejectsBadMatrices() {
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(new double[0][0]));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(new double[3][2]));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(new double[][] {{1, 2}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(new double[][] {{Double.NaN}}));
    }

    private static double[][] random(SplittableRandom rng, int n, int m, boolean withTies) {
        double[][] s = new double[n][m];
        for (double[] row : s) {
            for (int j = 0; j < m; j++) {
                // Coarse values make ties between assignments common: the totals must still be optimal.
                row[j] = withTies ? rng.nextInt(3) : rng.nextDouble() * 2 - 1;
            }
        }
        return s;
    }

    private static void assertInjective(int[] a, int m) {
        boolean[] used = new boolean[m];
        for (int c : a) {
            assertTrue(c >= 0 && c < m, "column " + c);
            assertTrue(!used[c], "column " + c + " assigned twice");
            used[c] = true;
        }
    }

    private static double total(double[][] s, int[] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += s[i][a[i]];
        }
        return t;
    }

    private static double bruteForceMax(double[][] s) {
        return search(s, 0, new boolean[s[0].length]);
    }

    private static double search(double[][] s, int row, boolean[] used) {
        if (row == s.length) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.max(best, s[row][j] + search(s, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }
}
