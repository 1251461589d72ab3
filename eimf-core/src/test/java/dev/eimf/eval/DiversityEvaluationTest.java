package dev.eimf.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemCategories;
import dev.eimf.data.ItemInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Diversity@N and the evaluator's diversified ranking. */
class DiversityEvaluationTest {
    private static final double EPS = 1e-12;

    /** Items 1..n; item i in category cats[i-1] ("" = none). */
    private static ItemCategories categories(String... cats) {
        List<ItemInfo> items = new ArrayList<>();
        for (int i = 0; i < cats.length; i++) {
            items.add(new ItemInfo("i" + (i + 1), "", cats[i].isEmpty() ? List.of() : List.of("Root", cats[i]), "", ""));
        }
        return ItemCategories.of(new ItemCatalog(items));
    }

    @Test
    void diversityIsTheShareOfPairsInDifferentCategories() {
        ItemCategories c = categories("A", "A", "B", "", "");
        // 1,2 share A; 3 is B; 4 and 5 have none, so each differs from every other item.
        assertEquals(5.0 / 6, Metrics.diversity(new int[] {1, 2, 3, 4}, 4, c::id), EPS);
        assertEquals(2.0 / 3, Metrics.diversity(new int[] {1, 2, 3, 4}, 3, c::id), EPS);
        assertEquals(0.0, Metrics.diversity(new int[] {1, 2}, 2, c::id), EPS);
        assertEquals(1.0, Metrics.diversity(new int[] {4, 5}, 2, c::id), EPS);
        assertEquals(0.0, Metrics.diversity(new int[] {1}, 5, c::id), EPS, "no pair: 0");
        assertEquals(2.0 / 3, Metrics.diversity(new int[] {1, 2, 3}, 50, c::id), EPS, "a short ranking is read as it is");
    }

    /** Two interests: interest 0 likes items 1..4 (category A), interest 1 items 5..8 (B) a little less. */
    private static final ItemScorer TWO_INTERESTS = new ItemScorer() {
        @Override
        public void score(int[] history, float[] out) {
            float[][] rows = new float[2][out.length];
            scoreInterestsBatch(new int[][] {history}, new float[][][] {rows});
            for (int i = 1; i < out.length; i++) out[i] = Math.max(rows[0][i], rows[1][i]);
        }

        @Override
        public int numInterests() {
            return 2;
        }

        @Override
        public void scoreInterestsBatch(int[][] histories, float[][][] out) {
            for (float[][] rows : out) {
                for (int i = 1; i < rows[0].length; i++) {
                    rows[0][i] = i <= 4 ? 1f - i / 100f : 0f;
                    rows[1][i] = i > 4 ? 0.9f - i / 100f : 0f;
                }
            }
        }
    };

    @Test
    void lambdaZeroIsTodaysRankingAndLargerLambdasMixCategories() {
        ItemCategories c = categories("A", "A", "A", "A", "B", "B", "B", "B", "C");
        EvalConfig plain = EvalConfig.builder().cutoffs(4).build();
        int[] today = new Evaluator(plain).topN(TWO_INTERESTS, 9, new int[] {9}, 4);
        assertArrayEquals(new int[] {1, 2, 3, 4}, today);
        assertArrayEquals(today, new Evaluator(EvalConfig.builder().cutoffs(4).diversity(0).build(), c)
                .topN(TWO_INTERESTS, 9, new int[] {9}, 4));
        // lambda 0.2: after item 1, item 5 (0.85 + 0.2) beats item 2 (0.98); then 2 (0.98 + 0.2) beats 6 (0.84 + 0.2).
        assertArrayEquals(new int[] {1, 5, 2, 6}, new Evaluator(EvalConfig.builder().cutoffs(4).diversity(0.2).build(), c)
                .topN(TWO_INTERESTS, 9, new int[] {9}, 4));
        MetricsResult r = new Evaluator(EvalConfig.builder().cutoffs(2, 4).diversity(0.2).build(), c)
                .evaluate(TWO_INTERESTS, 9, List.of(new EvalCase(0, new int[] {9}, new int[] {5})));
        assertEquals(List.of("recall@2", "ndcg@2", "hitrate@2", "recall@4", "ndcg@4", "hitrate@4", "diversity@2", "diversity@4"),
                new ArrayList<>(r.values().keySet()));
        assertEquals(1.0, r.get("diversity@2"), EPS);
        assertEquals(4.0 / 6, r.get("diversity@4"), EPS);
        assertEquals(1.0, r.recall(2), EPS);
    }

    @Test
    void withCategoriesAndLambdaZeroEveryMetricIsUnchanged() {
        Random rnd = new Random(5);
        int items = 60;
        ItemScorer noisy = (h, out) -> {
            Random local = new Random(h[h.length - 1]);
            for (int i = 1; i < out.length; i++) out[i] = local.nextInt(20) / 20f;
        };
        String[] cats = new String[items];
        for (int i = 0; i < items; i++) cats[i] = rnd.nextInt(5) == 0 ? "" : "C" + rnd.nextInt(4);
        List<EvalCase> cases = new ArrayList<>();
        for (int u = 0; u < 50; u++) {
            cases.add(new EvalCase(u, new int[] {1 + rnd.nextInt(items), 1 + rnd.nextInt(items)}, new int[] {1 + rnd.nextInt(items)}));
        }
        MetricsResult plain = new Evaluator().evaluate(noisy, items, cases);
        MetricsResult with = new Evaluator(EvalConfig.defaults(), categories(cats)).evaluate(noisy, items, cases);
        plain.values().forEach((k, v) -> assertEquals(v, with.get(k), 0.0, k));
        assertEquals(plain.values().size() + 2, with.values().size());
    }

    @Test
    void aBaselineDrawsFromItsTopFourN() {
        // One interest: candidates are the top 4N = 8 items; lambda 5 makes category beat score.
        ItemCategories c = categories("A", "A", "A", "A", "A", "A", "A", "B", "C");
        ItemScorer descending = (h, out) -> {
            for (int i = 1; i < out.length; i++) out[i] = 1f - i / 10f;
        };
        Evaluator e = new Evaluator(EvalConfig.builder().cutoffs(2).diversity(5).build(), c);
        assertArrayEquals(new int[] {1, 8}, e.topN(descending, 9, new int[] {9}, 2), "item 9 is in history; 8 is in the pool");
    }

    @Test
    void diversityNeedsCategoriesOfTheSameItems() {
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(EvalConfig.builder().diversity(0.1).build()));
        assertThrows(IllegalArgumentException.class, () -> EvalConfig.builder().diversity(-1).build());
        Evaluator e = new Evaluator(EvalConfig.defaults(), categories("A", "B"));
        assertThrows(IllegalArgumentException.class, () -> e.topN(TWO_INTERESTS, 9, new int[] {1}, 2));
    }
}
