package dev.eimf.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eimf.internal.serve.ExactItemIndex;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The jobs' block scoring (the exact index's matrix products) against the reference loop, without Spark. */
class BlockScoringTest {

    @Test
    void batchedBlockScoringEqualsTheReferenceLoopTiesAndExclusionsIncluded() {
        SplittableRandom rng = new SplittableRandom(7);
        int items = 1500;
        int d = 8;
        int k = 3;
        // Small integers keep every dot product exact in float, so ties are real ties in both forms.
        float[][] table = new float[items][d];
        for (float[] row : table) {
            for (int j = 0; j < d; j++) row[j] = rng.nextInt(-2, 3);
        }
        float[][][] interests = new float[40][k][d];
        int[][] known = new int[40][];
        for (int u = 0; u < interests.length; u++) {
            for (float[] v : interests[u]) {
                for (int j = 0; j < d; j++) v[j] = rng.nextInt(-2, 3);
            }
            known[u] = rng.ints(u % 7, 1, items + 1).toArray();
        }
        for (int blocks : new int[] {1, 3, 7}) {
            for (int blk = 0; blk < blocks; blk++) {
                int from = (int) ((long) items * blk / blocks);
                int to = (int) ((long) items * (blk + 1) / blocks);
                ExactItemIndex index = SparkTopN.blockIndex(table, from, to);
                for (int n : new int[] {1, 20, 50}) {
                    List<List<SparkTopN.Scored>> fast = SparkTopN.blockTopBatch(index, from, interests, n, known);
                    for (int u = 0; u < interests.length; u++) {
                        assertEquals(SparkTopN.blockTop(interests[u], table, from, to, n, known[u]), fast.get(u),
                                "blocks " + blocks + ", block " + blk + ", n " + n + ", user " + u);
                    }
                }
            }
        }
    }
}
