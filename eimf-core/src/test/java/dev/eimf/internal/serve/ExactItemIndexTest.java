package dev.eimf.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ExactItemIndexTest {

    /**
     * Values are multiples of 1/4 in [-2, 2]: every product and partial sum is exact in float, so
     * any summation order (Java loop, BLAS) gives bit-identical scores, and there are many ties.
     */
    static float[][] exactTable(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] t = new float[n + 1][d];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j < d; j++) t[i][j] = (r.nextInt(17) - 8) / 4f;
        }
        return t;
    }

    static float[][] gaussian(int rows, int d, SplittableRandom r) {
        float[][] t = new float[rows][d];
        for (float[] row : t) {
            for (int j = 0; j < d; j++) row[j] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }

    /** Brute force: score every item in double, sort all by (score desc, id asc), keep n. */
    static List<ScoredItem> bruteForce(float[][] table, float[][] v, int n, IntPredicate excluded) {
        List<ScoredItem> all = new ArrayList<>();
        for (int i = 1; i < table.length; i++) {
            if (excluded != null && excluded.test(i)) continue;
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int q = 0; q < v.length; q++) {
                double s = 0;
                for (int j = 0; j < v[q].length; j++) s += (double) v[q][j] * table[i][j];
                if (s > best) {
                    best = s;
                    arg = q;
                }
            }
            all.add(new ScoredItem(i, (float) best, arg));
        }
        all.sort(Comparator.comparingDouble((ScoredItem s) -> -s.score()).thenComparingInt(ScoredItem::itemId));
        return all.subList(0, Math.min(n, all.size()));
    }

    @ParameterizedTest
    @EnumSource(ExactItemIndex.Kernel.class)
    void exactDataMatchesFullSortIncludingTiesAndAttribution(ExactItemIndex.Kernel kernel) {
        // 2,500 items span several 1,024-item blocks plus a partial one.
        float[][] table = exactTable(2500, 8, 1);
        ExactItemIndex index = ExactItemIndex.builder(table).kernel(kernel).build();
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 20; trial++) {
            float[][] v = exactTable(3, 8, r.nextLong()); // row 0 unused; K = 3 below
            float[][] interests = {v[1], v[2], v[3]};
            int n = 1 + r.nextInt(300);
            List<ScoredItem> got = index.topN(interests, n);
            assertEquals(bruteForce(table, interests, n, null), got, "trial " + trial);
        }
    }

    @Test
    void tiesGoToTheLowerItemIdAndTheLowerInterest() {
        float[][] table = new float[7][2];
        for (int i = 1; i <= 6; i++) table[i] = new float[] {1, 0};
        table[4] = new float[] {2, 0};
        float[][] interests = {{0, 1}, {1, 0}, {1, 0}}; // interests 1 and 2 tie on every item
        for (ExactItemIndex.Kernel kernel : ExactItemIndex.Kernel.values()) {
            ExactItemIndex index = ExactItemIndex.builder(table).kernel(kernel).build();
            List<ScoredItem> got = index.topN(interests, 4);
            assertEquals(List.of(new ScoredItem(4, 2f, 1), new ScoredItem(1, 1f, 1), new ScoredItem(2, 1f, 1),
                    new ScoredItem(3, 1f, 1)), got, kernel.name());
        }
    }

    @Test
    void interestAttributionNamesTheInterestThatScored() {
        // Item i points along axis (i-1) % 3; interest q points along axis q.
        float[][] table = new float[10][3];
        for (int i = 1; i < 10; i++) table[i][(i - 1) % 3] = i;
        float[][] interests = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (ScoredItem s : ExactItemIndex.of(table).topN(interests, 9)) {
            assertEquals((s.itemId() - 1) % 3, s.interest(), "item " + s.itemId());
            assertEquals(s.itemId(), s.score(), 0f);
        }
    }

    @ParameterizedTest
    @EnumSource(ExactItemIndex.Kernel.class)
    void randomDataMatchesDoublePrecisionFullSort(ExactItemIndex.Kernel kernel) {
        SplittableRandom r = new SplittableRandom(3);
        float[][] table = gaussian(3001, 16, r);
        ExactItemIndex index = ExactItemIndex.builder(table).kernel(kernel).build();
        for (int trial = 0; trial < 10; trial++) {
            float[][] v = gaussian(4, 16, r);
            List<ScoredItem> want = bruteForce(table, v, 50, null);
            List<ScoredItem> got = index.topN(v, 50);
            assertEquals(50, got.size());
            for (int i = 0; i < 50; i++) {
                // Float rounding can only swap items whose true scores are within 1e-4.
                assertEquals(want.get(i).score(), got.get(i).score(), 1e-4f, "rank " + i);
                if (Math.abs(want.get(i).score() - want.get(Math.min(i + 1, 49)).score()) > 1e-4
                        && (i == 0 || Math.abs(want.get(i).score() - want.get(i - 1).score()) > 1e-4)) {
                    assertEquals(want.get(i).itemId(), got.get(i).itemId(), "rank " + i);
                    assertEquals(want.get(i).interest(), got.get(i).interest(), "rank " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ExactItemIndex.Kernel.class)
    void exclusionAndOversizedNAndPadding(ExactItemIndex.Kernel kernel) {
        float[][] table = exactTable(40, 4, 5);
        table[0] = new float[] {100, 100, 100, 100}; // padding would win if it were scored
        ExactItemIndex index = ExactItemIndex.builder(table).kernel(kernel).build();
        float[][] v = {{1, 1, 1, 1}, {-1, 0.5f, 0, 2}};
        IntPredicate odd = id -> id % 2 == 1;
        List<ScoredItem> got = index.topN(v, 1000, odd);
        assertEquals(20, got.size());
        assertEquals(bruteForce(table, v, 1000, odd), got);
        assertTrue(got.stream().noneMatch(s -> s.itemId() == 0 || s.itemId() % 2 == 1));
        assertEquals(40, index.topN(v, 41).size());
        assertEquals(List.of(), index.topN(v, 0));
        assertEquals(List.of(), index.topN(v, 5, id -> true));
    }

    @Test
    void batchEqualsSingleAcrossChunkBoundaries() {
        float[][] table = exactTable(1500, 8, 7);
        SplittableRandom r = new SplittableRandom(8);
        int users = 23;
        float[][][] interests = new float[users][][];
        IntPredicate[] excluded = new IntPredicate[users];
        for (int u = 0; u < users; u++) {
            float[][] v = exactTable(4, 8, r.nextLong());
            interests[u] = new float[][] {v[1], v[2], v[3], v[4]};
            int mod = 2 + u % 5;
            excluded[u] = u % 3 == 0 ? null : id -> id % mod == 0;
        }
        for (int chunk : new int[] {1, 5, 23, 256}) {
            ExactItemIndex batchIndex = ExactItemIndex.builder(table).chunkUsers(chunk).build();
            List<List<ScoredItem>> batch = batchIndex.topNBatch(interests, 60, excluded);
            for (ExactItemIndex.Kernel kernel : ExactItemIndex.Kernel.values()) {
                ExactItemIndex single = ExactItemIndex.builder(table).kernel(kernel).build();
                for (int u = 0; u < users; u++) {
                    assertEquals(single.topN(interests[u], 60, excluded[u]), batch.get(u),
                            "user " + u + ", chunk " + chunk + ", " + kernel);
                    assertEquals(bruteForce(table, interests[u], 60, excluded[u]), batch.get(u), "user " + u);
                }
            }
        }
        assertEquals(List.of(), ExactItemIndex.of(table).topNBatch(new float[0][][], 5));
    }

    @Test
    void splittingTheScanAcrossThreadsChangesNothing() {
        float[][] table = exactTable(5000, 8, 11); // ten 512-item blocks, the last one partial
        ExactItemIndex split = ExactItemIndex.builder(table).parallelItems(1).build();
        ExactItemIndex whole = ExactItemIndex.builder(table).parallelItems(Integer.MAX_VALUE).build();
        SplittableRandom r = new SplittableRandom(12);
        for (int trial = 0; trial < 10; trial++) {
            float[][] v = exactTable(4, 8, r.nextLong());
            float[][] interests = {v[1], v[2], v[3], v[4]};
            IntPredicate ex = trial % 2 == 0 ? null : id -> id % 3 == 0;
            assertEquals(whole.topN(interests, 80, ex), split.topN(interests, 80, ex), "trial " + trial);
            assertEquals(bruteForce(table, interests, 80, ex), whole.topN(interests, 80, ex), "trial " + trial);
        }
        assertThrows(IllegalArgumentException.class, () -> ExactItemIndex.builder(table).parallelItems(0).build());
    }

    @Test
    void indArrayTableGivesTheSameIndex() {
        float[][] table = exactTable(100, 6, 9);
        float[][] v = {table[3], table[7]};
        assertEquals(ExactItemIndex.of(table).topN(v, 10), ExactItemIndex.of(Nd4j.createFromArray(table)).topN(v, 10));
        assertEquals(ExactItemIndex.of(table).topN(v, 10),
                ExactItemIndex.of(Nd4j.createFromArray(table).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                        .topN(v, 10));
    }

    @Test
    void manyThreadsGetTheSameResults() throws Exception {
        SplittableRandom r = new SplittableRandom(10);
        float[][] table = gaussian(5001, 32, r);
        float[][][] queries = new float[64][][];
        for (int q = 0; q < queries.length; q++) queries[q] = gaussian(4, 32, r);
        for (ExactItemIndex.Kernel kernel : ExactItemIndex.Kernel.values()) {
            ExactItemIndex index = ExactItemIndex.builder(table).kernel(kernel).chunkUsers(7).build();
            List<List<ScoredItem>> want = new ArrayList<>();
            for (float[][] q : queries) want.add(index.topN(q, 20));
            List<List<ScoredItem>> wantBatch = index.topNBatch(queries, 20);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        for (int rep = 0; rep < 3; rep++) {
                            for (int q = 0; q < queries.length; q++) {
                                int qq = (q + offset * 7) % queries.length;
                                if (!want.get(qq).equals(index.topN(queries[qq], 20))) return false;
                            }
                            if (offset % 4 == 0 && !wantBatch.equals(index.topNBatch(queries, 20))) return false;
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : futures) assertTrue(f.get(), kernel.name());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void badInputIsRejectedWithItsPosition() {
        ExactItemIndex index = ExactItemIndex.of(exactTable(10, 4, 11));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> index.topN(new float[][] {{1, 2, 3, 4}, {1, 2, 3}}, 5));
        assertTrue(e.getMessage().contains("interests[1] has length 3, expected d = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> index.topN(new float[][] {{1, Float.NaN, 3, 4}}, 5));
        assertTrue(e.getMessage().contains("interests[0][1] is not finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> index.topN(new float[0][], 5));
        assertThrows(IllegalArgumentException.class, () -> index.topN(new float[][] {{1, 2, 3, 4}}, -1));
        e = assertThrows(IllegalArgumentException.class, () -> index.topNBatch(
                new float[][][] {{{1, 2, 3, 4}}, {{1, 2, 3, 4}, {1, 2, 3, 4}}}, 5));
        assertTrue(e.getMessage().contains("interests[1] has K = 2, expected 1"), e.getMessage());
        float[][] badTable = exactTable(10, 4, 12);
        badTable[5][2] = Float.POSITIVE_INFINITY;
        e = assertThrows(IllegalArgumentException.class, () -> ExactItemIndex.of(badTable));
        assertTrue(e.getMessage().contains("row 5, column 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ExactItemIndex.builder(exactTable(3, 2, 1)).chunkUsers(0).build());
    }
}
