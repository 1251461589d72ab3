package dev.eimf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemCategories;
import dev.eimf.eval.Metrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RecommendRequest#diversity()} on a saved two-interest model whose items have categories. */
class DiverseRecommendTest {
    private static final List<String> HISTORY = List.of("i1", "i5", "i9", "i2");

    private static InterestModel model() throws Exception {
        return InterestModel.load(Path.of(DiverseRecommendTest.class.getResource("/fixtures/comirec-sa-v1").toURI()));
    }

    private static double diversity(InterestModel m, RecommendationList list) {
        int[] ids = list.items().stream().mapToInt(r -> m.catalog().internalId(r.itemId()).orElseThrow()).toArray();
        ItemCategories c = m.categories();
        return Metrics.diversity(ids, ids.length, c::id);
    }

    @Test
    void perInterestScoresHaveTheServingScoreAsTheirMaximum() throws Exception {
        InterestModel m = model();
        int[][] histories = {{1, 5, 9, 2}, {3}, {7, 8, 10, 11, 12}};
        float[][] plain = new float[3][m.catalog().tableSize()];
        m.scoreBatch(histories, plain);
        float[][][] split = new float[3][m.numInterests()][m.catalog().tableSize()];
        m.scoreInterestsBatch(histories, split);
        for (int h = 0; h < 3; h++) {
            for (int i = 1; i < plain[h].length; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (float[] row : split[h]) max = Math.max(max, row[i]);
                assertEquals(plain[h][i], max, 0f);
            }
        }
    }

    @Test
    void lambdaZeroIsTodaysRankingAndALargeOneMixesCategories() throws Exception {
        InterestModel m = model();
        RecommendationList today = m.recommend(RecommendRequest.builder(HISTORY).n(8).build());
        RecommendationList zero = m.recommend(RecommendRequest.builder(HISTORY).n(8).diversity(0).build());
        assertEquals(today, zero);
        RecommendationList mixed = m.recommend(RecommendRequest.builder(HISTORY).n(8).diversity(10).build());
        assertEquals(8, mixed.items().size());
        boolean higher = false;
        for (int n = 2; n <= 8; n++) {
            double plain = diversity(m, m.recommend(RecommendRequest.builder(HISTORY).n(n).build()));
            double diverse = diversity(m, m.recommend(RecommendRequest.builder(HISTORY).n(n).diversity(10).build()));
            assertTrue(diverse >= plain, n + ": " + diverse + " vs " + plain);
            higher |= diverse > plain;
        }
        assertTrue(higher, "a large lambda should raise the diversity of some list");
        for (int r = 0; r < 8; r++) {
            Recommendation x = mixed.items().get(r);
            assertEquals(r + 1, x.rank());
            assertTrue(!HISTORY.contains(x.itemId()));
            assertTrue(x.interest() >= 0 && x.interest() < m.numInterests());
        }
        // Batched requests with different lambdas answer as one call each.
        List<RecommendationList> both = m.recommendAll(List.of(RecommendRequest.builder(HISTORY).n(8).diversity(10).build(),
                RecommendRequest.builder(HISTORY).n(8).build()));
        assertEquals(mixed, both.get(0));
        assertEquals(today, both.get(1));
        assertThrows(IllegalArgumentException.class, () -> RecommendRequest.builder(HISTORY).diversity(-0.1).build());
    }
}
