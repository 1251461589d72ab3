package dev.eimf.data;

import java.util.Arrays;

/**
 * Counts that describe a dataset.
 *
 * @param users        number of users
 * @param items        number of distinct items
 * @param interactions number of interactions
 * @param minLength    shortest user sequence (0 when there are no users)
 * @param medianLength median user sequence length (mean of the two middle values for even counts)
 * @param maxLength    longest user sequence
 */
public record DatasetStats(int users, int items, long interactions, int minLength, double medianLength, int maxLength) {

    /** Computes the stats from per-user sequence lengths. */
    public static DatasetStats of(int users, int items, int[] lengths) {
        if (lengths.length == 0) return new DatasetStats(users, items, 0, 0, 0, 0);
        int[] s = lengths.clone();
        Arrays.sort(s);
        long total = 0;
        for (int l : s) total += l;
        int n = s.length;
        double median = (n % 2 == 1) ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return new DatasetStats(users, items, total, s[0], median, s[n - 1]);
    }
}
