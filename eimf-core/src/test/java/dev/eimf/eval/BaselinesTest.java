package dev.eimf.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BaselinesTest {
    private static final float EPS = 1e-6f;

    @Test
    void mostPopularCountsTrainingInteractions() {
        int[][] train = {{3, 1, 3}, {3, 2}, {2}};
        MostPopular mp = MostPopular.fit(4, train);
        // counts: item 1 -> 1, item 2 -> 2, item 3 -> 3, item 4 -> 0
        assertEquals(3, mp.count(3));
        assertEquals(0, mp.count(4));
        Evaluator e = new Evaluator(EvalConfig.builder().excludeHistory(false).build());
        assertArrayEquals(new int[] {3, 2, 1, 4}, e.topN(mp, 4, new int[] {1}, 10));
        // with the default history exclusion the user's own items drop out
        assertArrayEquals(new int[] {2, 1, 4}, new Evaluator().topN(mp, 4, new int[] {3}, 10));
    }

    @Test
    void mostPopularUsesOnlyTrainOfASplit() {
        // LOO: train = all but the last two items; item 4 occurs only as valid/test targets
        Split s = new LeaveOneOutProtocol().split(EvalFixtures.dataset(4, new int[][] {{1, 2, 4, 4}, {2, 3, 4}}), 0);
        MostPopular mp = MostPopular.fit(s);
        assertEquals(0, mp.count(4));
        assertEquals(2, mp.count(2));
    }

    @Test
    void itemKnnHandComputedNeighbours() {
        // users: {1,2,3}, {1,2}, {2,4}
        // n(1)=2, n(2)=3, n(3)=1, n(4)=1; c(1,2)=2, c(1,3)=1, c(2,3)=1, c(2,4)=1
        // sim(1,2) = 2/sqrt(6) = 0.8164966; sim(1,3) = 1/sqrt(2) = 0.7071068;
        // sim(2,3) = sim(2,4) = 1/sqrt(3) = 0.5773503 (tie -> lower id 3 first)
        int[][] train = {{1, 2, 3}, {1, 2}, {2, 4}};
        ItemKnn knn = ItemKnn.fit(4, train, ItemKnnConfig.defaults());
        List<ItemKnn.Neighbour> n2 = knn.neighbours(2);
        assertEquals(3, n2.size());
        assertEquals(1, n2.get(0).item());
        assertEquals(2 / Math.sqrt(6), n2.get(0).similarity(), EPS);
        assertEquals(3, n2.get(1).item());
        assertEquals(4, n2.get(2).item());
        assertEquals(1 / Math.sqrt(3), n2.get(2).similarity(), EPS);
        assertEquals(List.of(2, 3), knn.neighbours(1).stream().map(ItemKnn.Neighbour::item).toList());
        assertEquals(List.of(2), knn.neighbours(4).stream().map(ItemKnn.Neighbour::item).toList());

        // k = 1 keeps only the best neighbour
        ItemKnn k1 = ItemKnn.fit(4, train, ItemKnnConfig.builder().neighbours(1).build());
        assertEquals(List.of(1), k1.neighbours(2).stream().map(ItemKnn.Neighbour::item).toList());

        // score([1]) = neighbours of 1: item 2 -> 0.8165, item 3 -> 0.7071
        float[] out = new float[5];
        knn.score(new int[] {1}, out);
        assertEquals(2 / Math.sqrt(6), out[2], EPS);
        assertEquals(1 / Math.sqrt(2), out[3], EPS);
        assertEquals(0f, out[4], EPS);
        assertArrayEquals(new int[] {2, 3, 4}, new Evaluator().topN(knn, 4, new int[] {1}, 3));
    }

    @Test
    void itemKnnRecencyDecay() {
        int[][] train = {{1, 2, 3}, {1, 2}, {2, 4}};
        ItemKnn knn = ItemKnn.fit(4, train, ItemKnnConfig.builder().recencyDecay(0.5).build());
        // history [3, 4], 4 most recent (weight 1), 3 one step back (weight 0.5):
        // neighbours of 4: 2 (0.57735); of 3: 1 (0.70711), 2 (0.57735)
        // score(2) = 0.57735 + 0.5 * 0.57735 = 0.86603; score(1) = 0.5 * 0.70711 = 0.35355
        float[] out = new float[5];
        knn.score(new int[] {3, 4}, out);
        assertEquals(1.5 / Math.sqrt(3), out[2], EPS);
        assertEquals(0.5 / Math.sqrt(2), out[1], EPS);
    }

    @Test
    void itemKnnWindowLimitsCoOccurrence() {
        // window 1 in [1, 2, 3, 1]: pairs (1,2), (2,3), (3,1) by adjacency; [4, 5, 6]: (4,5), (5,6) only
        int[][] train = {{1, 2, 3, 1}, {4, 5, 6}};
        ItemKnn knn = ItemKnn.fit(6, train, ItemKnnConfig.builder().window(1).build());
        assertEquals(List.of(5), knn.neighbours(4).stream().map(ItemKnn.Neighbour::item).toList());
        assertEquals(List.of(2, 3), knn.neighbours(1).stream().map(ItemKnn.Neighbour::item).toList());
        // each pair counted once per user even though 1 occurs twice: sim(1,3) = 1/sqrt(1*1) = 1
        assertEquals(1.0, knn.neighbours(1).get(1).similarity(), EPS);
        ItemKnn whole = ItemKnn.fit(6, train, ItemKnnConfig.defaults());
        assertEquals(List.of(5, 6), whole.neighbours(4).stream().map(ItemKnn.Neighbour::item).toList());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> MostPopular.fit(3, new int[][] {{1, 4}}));
        assertThrows(IllegalArgumentException.class, () -> ItemKnn.fit(3, new int[][] {{0}}, ItemKnnConfig.defaults()));
        assertThrows(IllegalArgumentException.class, () -> ItemKnnConfig.builder().neighbours(0).build());
        assertThrows(IllegalArgumentException.class, () -> ItemKnnConfig.builder().recencyDecay(0).build());
    }
}
