package dev.eimf.internal.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    static final int N = 30;
    final float[][] table = ExactItemIndexTest.exactTable(N, 4, 21);
    final ItemCatalog catalog = catalog();

    static ItemCatalog catalog() {
        List<ItemInfo> items = new ArrayList<>();
        for (int i = 1; i <= N; i++) {
            items.add(i % 4 == 0 ? ItemInfo.idOnly("ext" + i)
                    : new ItemInfo("ext" + i, "Title " + i, List.of("Cat"), "", ""));
        }
        return new ItemCatalog(items);
    }

    /** A toy model: the interests are the embeddings of the last two history items. */
    UserInterests lastTwo() {
        return h -> new float[][] {table[h[h.length - 1]].clone(), table[h[Math.max(0, h.length - 2)]].clone()};
    }

    @Test
    void recommendsExcludingHistoryByDefaultAndNamesItems() {
        Recommender rec = new Recommender(lastTwo(), ExactItemIndex.of(table), catalog);
        int[] history = {3, 8, 12};
        List<Recommendation> got = rec.recommend(history, 10);
        List<ScoredItem> want = ExactItemIndexTest.bruteForce(table, lastTwo().interests(history), 10,
                id -> id == 3 || id == 8 || id == 12);
        assertEquals(10, got.size());
        for (int i = 0; i < 10; i++) {
            Recommendation r = got.get(i);
            ScoredItem s = want.get(i);
            assertEquals(s.itemId(), r.itemId());
            assertEquals(s.score(), r.score());
            assertEquals(s.interest(), r.interest());
            assertEquals("ext" + s.itemId(), r.externalId());
            assertEquals(s.itemId() % 4 == 0 ? "" : "Title " + s.itemId(), r.title());
            assertEquals(s.itemId() % 4 == 0 ? "ext" + s.itemId() : "Title " + s.itemId(), r.label());
        }
        List<Recommendation> withHistory = rec.recommend(history, N, false);
        assertEquals(N, withHistory.size());
        assertTrue(withHistory.stream().anyMatch(r -> r.itemId() == 12));
        assertEquals(N - 3, rec.recommend(history, N).size());
    }

    @Test
    void externalIdsMapToTheSameRecommendations() {
        Recommender rec = new Recommender(lastTwo(), ExactItemIndex.of(table), catalog);
        assertEquals(rec.recommend(new int[] {5, 9}, 7), rec.recommend(List.of("ext5", "ext9"), 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rec.recommend(List.of("ext5", "nope-42"), 7));
        assertTrue(e.getMessage().contains("'nope-42'") && e.getMessage().contains("history[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rec.recommend(new int[] {5, 0}, 7));
        assertTrue(e.getMessage().contains("history[1] = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rec.recommend(new int[] {N + 1}, 7));
    }

    @Test
    void batchEqualsSingleAndUsesTheBatchedModel() {
        AtomicInteger batchCalls = new AtomicInteger();
        UserInterests single = lastTwo();
        UserInterests model = new UserInterests() {
            @Override
            public float[][] interests(int[] history) {
                return single.interests(history);
            }

            @Override
            public float[][][] interestsBatch(int[][] histories) {
                batchCalls.incrementAndGet();
                return UserInterests.super.interestsBatch(histories);
            }
        };
        Recommender rec = new Recommender(model, ExactItemIndex.builder(table).chunkUsers(2).build(), catalog);
        int[][] histories = {{1}, {2, 3}, {4, 5, 6}, {30, 29}, {7, 7, 7}};
        List<List<Recommendation>> batch = rec.recommendBatch(histories, 6);
        assertEquals(1, batchCalls.get());
        for (int u = 0; u < histories.length; u++) {
            assertEquals(rec.recommend(histories[u], 6), batch.get(u), "user " + u);
        }
        List<List<Recommendation>> incl = rec.recommendBatch(histories, 6, false);
        for (int u = 0; u < histories.length; u++) {
            assertEquals(rec.recommend(histories[u], 6, false), incl.get(u), "user " + u);
        }
    }

    @Test
    void concurrentCallersGetTheSameResults() throws Exception {
        Recommender rec = new Recommender(lastTwo(), ExactItemIndex.of(table), catalog);
        List<List<Recommendation>> want = new ArrayList<>();
        for (int i = 1; i <= N; i++) want.add(rec.recommend(new int[] {i, (i * 7) % N + 1}, 5));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                fs.add(pool.submit(() -> {
                    for (int rep = 0; rep < 20; rep++) {
                        for (int i = 1; i <= N; i++) {
                            if (!want.get(i - 1).equals(rec.recommend(new int[] {i, (i * 7) % N + 1}, 5))) return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) assertTrue(f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void indexAndCatalogueMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Recommender(lastTwo(), ExactItemIndex.of(ExactItemIndexTest.exactTable(N + 1, 4, 1)), catalog));
        assertTrue(e.getMessage().contains("32") && e.getMessage().contains("31"), e.getMessage());
    }
}
