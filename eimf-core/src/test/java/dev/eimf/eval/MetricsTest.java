package dev.eimf.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsTest {
    private static final double EPS = 1e-12;
    private static final double LOG2_3 = Math.log(3) / Math.log(2); // log2(3) = 1.5849625...

    @Test
    void keysInStableOrder() {
        Metrics m = new Metrics(List.of(50, 20), NdcgVariant.STANDARD);
        assertEquals(List.of("recall@20", "ndcg@20", "hitrate@20", "recall@50", "ndcg@50", "hitrate@50"), m.keys());
        assertEquals(50, m.maxCutoff());
    }

    @Test
    void handComputedStandard() {
        // targets {3, 7}; ranking [7, 1, 3, 5]; 1-based ranks: 7 at 1, 3 at 3.
        Metrics m = new Metrics(List.of(1, 2, 3), NdcgVariant.STANDARD);
        double[] v = m.compute(new int[] {7, 1, 3, 5}, new int[] {3, 7});
        // @1: one hit of two targets -> recall 1/2; DCG = 1/log2(2) = 1; IDCG over min(1,2)=1 rank = 1 -> 1
        assertEquals(0.5, v[0], EPS);
        assertEquals(1.0, v[1], EPS);
        assertEquals(1.0, v[2], EPS);
        // @2: still one hit -> recall 1/2; DCG = 1; IDCG = 1 + 1/log2(3) -> 1 / 1.6309298 = 0.6131472
        assertEquals(0.5, v[3], EPS);
        assertEquals(1.0 / (1.0 + 1.0 / LOG2_3), v[4], EPS);
        assertEquals(0.6131471927654584, v[4], 1e-12);
        assertEquals(1.0, v[5], EPS);
        // @3: two hits -> recall 1; DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) -> 0.9197208
        assertEquals(1.0, v[6], EPS);
        assertEquals(1.5 / (1.0 + 1.0 / LOG2_3), v[7], EPS);
        assertEquals(1.0, v[8], EPS);
    }

    @Test
    void handComputedComiRecVariant() {
        // Same ranking; ComiRec's IDCG runs over the number of hits, not over min(N, |targets|).
        Metrics m = new Metrics(List.of(1, 2, 3), NdcgVariant.COMIREC);
        double[] v = m.compute(new int[] {7, 1, 3, 5}, new int[] {3, 7});
        assertEquals(1.0, v[1], EPS);           // @1: 1 hit, DCG 1 / IDCG 1
        assertEquals(1.0, v[4], EPS);           // @2: 1 hit, DCG 1 / IDCG 1 (standard: 0.613)
        assertEquals(1.5 / (1.0 + 1.0 / LOG2_3), v[7], EPS); // @3: 2 hits, IDCG = 1 + 1/log2(3), as standard
        assertEquals(0.5, v[3], EPS);           // recall does not depend on the variant
    }

    @Test
    void variantsDifferWhenTargetsAreMissed() {
        // targets {3, 7, 9}; ranking [1, 3, 2]: one hit at 1-based rank 2, DCG = 1/log2(3) = 0.6309298
        int[] ranking = {1, 3, 2};
        int[] targets = {3, 7, 9};
        double[] std = new Metrics(List.of(3), NdcgVariant.STANDARD).compute(ranking, targets);
        double[] cr = new Metrics(List.of(3), NdcgVariant.COMIREC).compute(ranking, targets);
        double dcg = 1.0 / LOG2_3;
        // standard IDCG over min(3, 3) = 3 ranks: 1 + 1/log2(3) + 1/log2(4) = 2.1309298 -> 0.2960819
        assertEquals(dcg / (1.0 + 1.0 / LOG2_3 + 0.5), std[1], EPS);
        // ComiRec IDCG over 1 hit: 1 -> 0.6309298
        assertEquals(dcg, cr[1], EPS);
        assertEquals(1.0 / 3.0, std[0], EPS);
        assertEquals(1.0, std[2], EPS);
    }

    @Test
    void noHitGivesZeros() {
        double[] v = new Metrics(List.of(2), NdcgVariant.COMIREC).compute(new int[] {1, 2, 3}, new int[] {3});
        assertEquals(0.0, v[0], EPS);
        assertEquals(0.0, v[1], EPS);
        assertEquals(0.0, v[2], EPS);
    }

    @Test
    void repeatedTargetsCountOnceAndShortRankingsAreMisses() {
        // targets [5, 5] = {5}; ranking [1, 5] (only 2 items rankable) at N = 3: hit at 1-based rank 2
        double[] v = new Metrics(List.of(3), NdcgVariant.STANDARD).compute(new int[] {1, 5}, new int[] {5, 5});
        assertEquals(1.0, v[0], EPS);
        assertEquals(1.0 / LOG2_3, v[1], EPS); // IDCG over min(3, 1) = 1 rank = 1
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Metrics(List.of(), NdcgVariant.STANDARD));
        assertThrows(IllegalArgumentException.class, () -> new Metrics(List.of(0), NdcgVariant.STANDARD));
        assertThrows(IllegalArgumentException.class, () -> new Metrics(List.of(5, 5), NdcgVariant.STANDARD));
        Metrics m = new Metrics(List.of(5), NdcgVariant.STANDARD);
        assertThrows(IllegalArgumentException.class, () -> m.compute(new int[] {1}, new int[0]));
    }
}
