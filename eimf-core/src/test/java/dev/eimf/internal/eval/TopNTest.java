package dev.eimf.internal.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopNTest {

    @Test
    void orderIsScoreThenLowerId() {
        //            id:  0     1     2     3     4     5
        float[] s = {9f, 0.5f, 0.9f, 0.5f, 0.1f, 0.9f};
        // id 0 is padding, never ranked; ties 2/5 and 1/3 go to the lower id
        assertArrayEquals(new int[] {2, 5, 1, 3, 4}, TopN.select(s, 10));
        assertArrayEquals(new int[] {2, 5, 1}, TopN.select(s, 3));
    }

    @Test
    void excludedItemsAreNotRanked() {
        float[] s = {0f, 1f, Float.NEGATIVE_INFINITY, 3f};
        assertArrayEquals(new int[] {3, 1}, TopN.select(s, 3));
    }

    @Test
    void nanIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopN.select(new float[] {0f, 1f, Float.NaN}, 1));
    }

    @Test
    void matchesAFullSortOnRandomRowsWithTies() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int items = 1 + rng.nextInt(300);
            float[] s = new float[items + 1];
            for (int i = 1; i <= items; i++) {
                // few distinct values -> many ties; some excluded
                s[i] = rng.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : rng.nextInt(20) / 4f;
            }
            int n = 1 + rng.nextInt(60);
            int[] expected = IntStream.rangeClosed(1, items).boxed()
                    .filter(i -> s[i] != Float.NEGATIVE_INFINITY)
                    .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                    .limit(n).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, TopN.select(s, n), "trial " + trial + " " + Arrays.toString(s));
        }
    }
}
