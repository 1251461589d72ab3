package dev.eimf.internal.mtl;

import java.util.Arrays;

/**
 * The Hungarian algorithm (Kuhn-Munkres with potentials, O(n^2 m)) for rectangular assignment problems with
 * n rows and m >= n columns: every row gets a distinct column. Sizes here are tiny (K, J around 4), but the
 * algorithm is exact for any size.
 */
public final class Hungarian {
    private Hungarian() {
    }

    /**
     * The assignment maximising the total score.
     *
     * @param score n x m matrix, n &lt;= m, all entries finite
     * @return for each row the column assigned to it (distinct columns)
     * @throws IllegalArgumentException for an empty, ragged or non-finite matrix, or one with more rows than columns
     */
    public static int[] maximize(double[][] score) {
        int n = checkShape(score);
        int m = score[0].length;
        double[][] cost = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                cost[i][j] = -score[i][j];
            }
        }
        return minimizeChecked(cost);
    }

    /**
     * The assignment minimising the total cost.
     *
     * @param cost n x m matrix, n &lt;= m, all entries finite
     * @return for each row the column assigned to it (distinct columns)
     */
    public static int[] minimize(double[][] cost) {
        checkShape(cost);
        return minimizeChecked(cost);
    }

    private static int checkShape(double[][] a) {
        if (a == null || a.length == 0 || a[0] == null || a[0].length == 0) {
            throw new IllegalArgumentException("matrix must have at least one row and one column");
        }
        int m = a[0].length;
        if (a.length > m) {
            throw new IllegalArgumentException("rows (" + a.length + ") must not exceed columns (" + m + ")");
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != m) {
                throw new IllegalArgumentException("row " + i + " has " + (a[i] == null ? "no" : a[i].length)
                        + " columns, row 0 has " + m);
            }
            for (int j = 0; j < m; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("entry [" + i + "][" + j + "] is not finite: " + a[i][j]);
                }
            }
        }
        return a.length;
    }

    // 1-based arrays; column 0 is the virtual column that the row being inserted starts from.
    private static int[] minimizeChecked(double[][] a) {
        int n = a.length;
        int m = a[0].length;
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}
