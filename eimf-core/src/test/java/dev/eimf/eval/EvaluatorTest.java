package dev.eimf.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    private static final double EPS = 1e-12;

    /** Scores item i as 1 - i/10: item 1 best, then 2, ... (history-independent). */
    private static final ItemScorer DESCENDING = (history, out) -> {
        for (int i = 1; i < out.length; i++) out[i] = 1f - i / 10f;
    };

    @Test
    void historyExclusionChangesTheRanking() {
        // 6 items, ranking by score 1,2,3,4,5,6. History [1], target 4.
        EvalCase c = new EvalCase(0, new int[] {1}, new int[] {4});
        EvalConfig excl = EvalConfig.builder().cutoffs(3).build();
        EvalConfig keep = EvalConfig.builder().cutoffs(3).excludeHistory(false).build();
        // excluded: ranking 2,3,4 -> hit at 1-based rank 3: recall 1, NDCG = 1/log2(4) = 0.5
        MetricsResult r1 = new Evaluator(excl).evaluate(DESCENDING, 6, List.of(c));
        assertEquals(1.0, r1.recall(3), EPS);
        assertEquals(0.5, r1.ndcg(3), EPS);
        assertEquals(1.0, r1.hitRate(3), EPS);
        // kept: ranking 1,2,3 -> no hit
        MetricsResult r2 = new Evaluator(keep).evaluate(DESCENDING, 6, List.of(c));
        assertEquals(0.0, r2.recall(3), EPS);
        assertArrayEquals(new int[] {2, 3, 4}, new Evaluator(excl).topN(DESCENDING, 6, new int[] {1}, 3));
        assertArrayEquals(new int[] {1, 2, 3}, new Evaluator(keep).topN(DESCENDING, 6, new int[] {1}, 3));
    }

    @Test
    void tiesGoToTheLowerIdAndPaddingIsNeverRanked() {
        ItemScorer flat = (h, out) -> java.util.Arrays.fill(out, 1f);
        Evaluator e = new Evaluator();
        assertArrayEquals(new int[] {1, 3, 4}, e.topN(flat, 5, new int[] {2}, 3));
        assertArrayEquals(new int[] {1, 3, 4, 5}, e.topN(flat, 5, new int[] {2}, 50));
    }

    @Test
    void averagesOverUsersInStableKeyOrder() {
        // user 0: history [1], target 2 -> ranking 2,3,4,... hit at rank 1: recall 1, ndcg 1
        // user 1: history [1], target 6, cut-off 2 -> ranking 2,3: miss
        List<EvalCase> cases = List.of(new EvalCase(0, new int[] {1}, new int[] {2}),
                new EvalCase(1, new int[] {1}, new int[] {6}));
        MetricsResult r = new Evaluator(EvalConfig.builder().cutoffs(2, 5).build()).evaluate(DESCENDING, 6, cases);
        assertEquals(2, r.users());
        assertEquals(List.of("recall@2", "ndcg@2", "hitrate@2", "recall@5", "ndcg@5", "hitrate@5"),
                new ArrayList<>(r.values().keySet()));
        assertEquals(0.5, r.recall(2), EPS);
        assertEquals(0.5, r.ndcg(2), EPS);
        assertEquals(0.5, r.hitRate(2), EPS);
        // @5: user 1's ranking 2,3,4,5,6 hits at rank 5: ndcg = 1/log2(6); mean = (1 + 1/log2 6)/2
        assertEquals(1.0, r.recall(5), EPS);
        assertEquals((1.0 + Math.log(2) / Math.log(6)) / 2, r.ndcg(5), EPS);
    }

    @Test
    void batchSizeDoesNotChangeResultsAndBatchesAreBounded() {
        // A history-dependent scorer: prefers items near the last history item.
        int numItems = 40;
        ItemScorer near = new ItemScorer() {
            @Override
            public void score(int[] history, float[] out) {
                int last = history[history.length - 1];
                for (int i = 1; i < out.length; i++) out[i] = -Math.abs(i - last) + (i % 3) * 0.1f;
            }

            @Override
            public void scoreBatch(int[][] histories, float[][] out) {
                assertTrue(histories.length <= 3 || histories.length == out.length);
                ItemScorer.super.scoreBatch(histories, out);
            }
        };
        List<EvalCase> cases = new ArrayList<>();
        for (int u = 0; u < 23; u++) {
            cases.add(new EvalCase(u, new int[] {1 + u, 2 + u}, new int[] {3 + u, 5 + (u * 7) % 30}));
        }
        MetricsResult a = new Evaluator(EvalConfig.builder().cutoffs(5, 10).batchSize(1).build()).evaluate(near, numItems, cases);
        MetricsResult b = new Evaluator(EvalConfig.builder().cutoffs(5, 10).batchSize(3).build()).evaluate(near, numItems, cases);
        MetricsResult c = new Evaluator(EvalConfig.builder().cutoffs(5, 10).batchSize(100).build()).evaluate(near, numItems, cases);
        assertEquals(a.values(), b.values());
        assertEquals(a.values(), c.values());
        assertTrue(a.recall(10) > 0);
    }

    @Test
    void concurrentCallsAgree() throws Exception {
        Evaluator e = new Evaluator(EvalConfig.builder().cutoffs(3).batchSize(2).build());
        List<EvalCase> cases = new ArrayList<>();
        for (int u = 0; u < 50; u++) cases.add(new EvalCase(u, new int[] {1 + u % 5}, new int[] {2 + u % 7}));
        MetricsResult expected = e.evaluate(DESCENDING, 10, cases);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<MetricsResult>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) fs.add(pool.submit(() -> e.evaluate(DESCENDING, 10, cases)));
            for (Future<MetricsResult> f : fs) assertEquals(expected.values(), f.get().values());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rejectsBadCasesAndConfigs() {
        Evaluator e = new Evaluator();
        assertThrows(IllegalArgumentException.class, () -> e.evaluate(DESCENDING, 5, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> e.evaluate(DESCENDING, 5, List.of(new EvalCase(3, new int[] {1}, new int[0]))));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.evaluate(DESCENDING, 5, List.of(new EvalCase(3, new int[] {1}, new int[] {6}))));
        assertTrue(ex.getMessage().contains("user 3"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder().batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder().cutoffs(20, 20).build());
        assertEquals(List.of(10, 20, 50), EvalConfig.builder().cutoffs(50, 10, 20).build().cutoffs());
    }
}
