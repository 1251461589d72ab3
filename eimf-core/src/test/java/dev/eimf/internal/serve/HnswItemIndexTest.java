package dev.eimf.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HnswItemIndexTest {

    /**
     * Item vectors like trained embeddings: 40 topic centres, each item a centre plus noise, with norms
     * spread over a factor of about 4 (popular items grow longer in training). Row 0 is padding.
     */
    static float[][] clustered(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[40][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) c[j] = (float) gauss(r);
        }
        float[][] t = new float[n + 1][d];
        for (int i = 1; i <= n; i++) {
            float[] c = centres[r.nextInt(centres.length)];
            double scale = 0.5 + 1.5 * r.nextDouble();
            for (int j = 0; j < d; j++) t[i][j] = (float) (scale * (c[j] + 0.6 * gauss(r)));
        }
        return t;
    }

    /** K interests per user, each near a random item (users are made of the catalogue's topics). */
    static float[][][] users(float[][] table, int users, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = table[0].length;
        float[][][] out = new float[users][k][d];
        for (float[][] u : out) {
            for (float[] v : u) {
                float[] e = table[1 + r.nextInt(table.length - 1)];
                for (int j = 0; j < d; j++) v[j] = (float) (e[j] + 0.3 * gauss(r));
            }
        }
        return out;
    }

    private static double gauss(SplittableRandom r) {
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double recall(ItemIndex approx, ItemIndex exact, float[][][] users, int n, IntPredicate[] excluded) {
        long hit = 0, total = 0;
        for (int u = 0; u < users.length; u++) {
            IntPredicate ex = excluded == null ? null : excluded[u];
            Set<Integer> truth = new HashSet<>();
            for (ScoredItem s : exact.topN(users[u], n, ex)) truth.add(s.itemId());
            for (ScoredItem s : approx.topN(users[u], n, ex)) {
                if (truth.contains(s.itemId())) hit++;
            }
            total += truth.size();
        }
        return (double) hit / total;
    }

    @ParameterizedTest
    @EnumSource(HnswItemIndex.Similarity.class)
    void recallAt50AgainstExactIsAtLeast95Percent(HnswItemIndex.Similarity sim) {
        float[][] table = clustered(5000, 32, 1);
        HnswItemIndex ann = HnswItemIndex.builder(table).similarity(sim).seed(7).build();
        ExactItemIndex exact = ExactItemIndex.of(table);
        float[][][] us = users(table, 60, 4, 2);
        double r = recall(ann, exact, us, 50, null);
        assertTrue(r >= 0.95, sim + ": recall@50 " + r);
    }

    @Test
    void concurrentBuildAlsoReachesTheRecall() {
        float[][] table = clustered(3000, 16, 3);
        HnswItemIndex ann = HnswItemIndex.builder(table).threads(2).build();
        double r = recall(ann, ExactItemIndex.of(table), users(table, 40, 4, 4), 50, null);
        assertTrue(r >= 0.95, "recall@50 " + r);
    }

    @Test
    void excludedItemsNeverComeBackAndDoNotCostRecall() {
        float[][] table = clustered(2000, 16, 5);
        HnswItemIndex ann = HnswItemIndex.of(table);
        ExactItemIndex exact = ExactItemIndex.of(table);
        float[][][] us = users(table, 30, 4, 6);
        IntPredicate[] ex = new IntPredicate[us.length];
        for (int u = 0; u < us.length; u++) {
            // exclude the exact top 20 of each user: the approximate list must refill from below
            Set<Integer> top = new HashSet<>();
            for (ScoredItem s : exact.topN(us[u], 20)) top.add(s.itemId());
            ex[u] = top::contains;
            for (ScoredItem s : ann.topN(us[u], 50, ex[u])) {
                assertFalse(top.contains(s.itemId()), "excluded item " + s.itemId() + " returned");
            }
        }
        assertTrue(recall(ann, exact, us, 50, ex) >= 0.95);
    }

    @Test
    void scoresAreExactMaxOverInterestsBestFirst() {
        float[][] table = clustered(2000, 8, 9);
        HnswItemIndex ann = HnswItemIndex.of(table);
        float[][] v = users(table, 1, 3, 10)[0];
        List<ScoredItem> got = ann.topN(v, 30);
        assertEquals(30, got.size());
        for (int i = 0; i < got.size(); i++) {
            ScoredItem s = got.get(i);
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int q = 0; q < v.length; q++) {
                double dot = 0;
                for (int j = 0; j < 8; j++) dot += (double) v[q][j] * table[s.itemId()][j];
                if (dot > best) {
                    best = dot;
                    arg = q;
                }
            }
            assertEquals(best, s.score(), 1e-4 * Math.max(1, Math.abs(best)));
            assertEquals(arg, s.interest());
            if (i > 0) {
                ScoredItem p = got.get(i - 1);
                assertTrue(p.score() > s.score() || (p.score() == s.score() && p.itemId() < s.itemId()));
            }
        }
    }

    @Test
    void sameSeedSameResults() {
        float[][] table = clustered(1500, 16, 11);
        float[][][] us = users(table, 10, 4, 12);
        HnswItemIndex a = HnswItemIndex.builder(table).seed(3).build();
        HnswItemIndex b = HnswItemIndex.builder(table).seed(3).build();
        for (float[][] u : us) {
            assertEquals(a.topN(u, 50), b.topN(u, 50));
        }
    }

    @Test
    void smallCataloguesAndEdgeCases() {
        float[][] table = clustered(20, 4, 13);
        HnswItemIndex ann = HnswItemIndex.builder(table).ef(5).build();
        float[][] v = users(table, 1, 2, 14)[0];
        assertEquals(20, ann.topN(v, 100).size(), "n above the catalogue returns every item");
        assertEquals(ids(ExactItemIndex.of(table).topN(v, 20)), ids(ann.topN(v, 20)), "same ranking as exact");
        assertTrue(ann.topN(v, 0).isEmpty());
        assertTrue(HnswItemIndex.of(new float[1][4]).topN(v, 5).isEmpty(), "empty catalogue");
        assertEquals(5, ann.topNBatch(new float[][][] {v, v}, 5).get(1).size());
        assertEquals(50, ann.withEf(50).ef());
        assertEquals(ids(ann.topN(v, 7)), ids(ann.withEf(5).topN(v, 7)), "same graph, same beam");
        assertThrows(IllegalArgumentException.class, () -> ann.withEf(0));
        assertEquals(4, ann.dim());
        assertEquals(21, ann.tableSize());
    }

    private static List<Integer> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::itemId).toList();
    }

    @Test
    void badInputIsRejectedWithTheField() {
        float[][] table = clustered(10, 4, 15);
        HnswItemIndex ann = HnswItemIndex.of(table);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ann.topN(new float[][] {{1, 2, 3}}, 5))
                .getMessage().contains("interests[0] has length 3"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ann.topN(new float[][] {{1, 2, Float.NaN, 4}}, 5)).getMessage().contains("interests[0][2]"));
        assertThrows(IllegalArgumentException.class, () -> ann.topN(new float[][] {{1, 2, 3, 4}}, -1));
        assertThrows(IllegalArgumentException.class, () -> ann.topN(new float[0][], 5));
        assertThrows(IllegalArgumentException.class, () -> HnswItemIndex.builder(table).m(1).build());
        assertThrows(IllegalArgumentException.class, () -> HnswItemIndex.builder(table).ef(0).build());
        assertThrows(IllegalArgumentException.class, () -> HnswItemIndex.builder(table).efConstruction(0).build());
        assertThrows(IllegalArgumentException.class, () -> HnswItemIndex.builder(table).threads(0).build());
        float[][] bad = clustered(3, 4, 16);
        bad[2][1] = Float.POSITIVE_INFINITY;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HnswItemIndex.of(bad))
                .getMessage().contains("row 2, column 1"));
    }
}
