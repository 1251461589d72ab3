package dev.eimf.eval;

import dev.eimf.data.DataPaths;
import dev.eimf.data.Dataset;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Baselines at the scale the project targets (Amazon Beauty 5-core: 22,363 users, 12,101 items,
 * 198,502 interactions), read minimally from {@code Beauty.txt} ("user item item ..." per line) with
 * item ids renumbered by descending count. Prints the figures and fit time; asserts only sanity.
 * Skipped when the data is absent.
 */
class BeautyBaselinesTest {

    private static Dataset load() throws IOException {
        Optional<Path> dir = DataPaths.dataset("amazon-beauty");
        if (dir.isEmpty() || !Files.exists(dir.get().resolve("Beauty.txt"))) {
            return null;
        }
        List<String> users = new ArrayList<>();
        List<int[]> raw = new ArrayList<>();
        int maxId = 0;
        for (String line : Files.readAllLines(dir.get().resolve("Beauty.txt"))) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split(" ");
            users.add(f[0]);
            int[] s = new int[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                s[i - 1] = Integer.parseInt(f[i]);
                maxId = Math.max(maxId, s[i - 1]);
            }
            raw.add(s);
        }
        int[] count = new int[maxId + 1];
        raw.forEach(s -> Arrays.stream(s).forEach(i -> count[i]++));
        Integer[] byCount = new Integer[maxId];
        for (int i = 0; i < maxId; i++) byCount[i] = i + 1;
        Arrays.sort(byCount, (a, b) -> count[b] != count[a] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
        int[] newId = new int[maxId + 1];
        List<ItemInfo> items = new ArrayList<>();
        for (int r = 0; r < maxId; r++) {
            newId[byCount[r]] = r + 1;
            items.add(ItemInfo.idOnly(Integer.toString(byCount[r])));
        }
        int[][] seqs = raw.stream().map(s -> Arrays.stream(s).map(i -> newId[i]).toArray()).toArray(int[][]::new);
        return new Dataset("beauty", users.toArray(String[]::new), seqs, new ItemCatalog(items));
    }

    @Test
    void baselinesOnBeauty() throws IOException {
        Dataset d = load();
        assumeTrue(d != null, "amazon-beauty not present");
        assertEquals(12101, d.numItems());
        assertEquals(198502, d.numInteractions());
        Evaluator eval = new Evaluator(EvalConfig.builder().cutoffs(10, 20, 50).build());
        for (Protocol p : List.<Protocol>of(new LeaveOneOutProtocol(), ComiRecProtocol.defaults())) {
            Split s = p.split(d, 42);
            MetricsResult pop = eval.evaluateTest(MostPopular.fit(s), s);
            long t0 = System.nanoTime();
            ItemKnn knn = ItemKnn.fit(s, ItemKnnConfig.defaults());
            long fitMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            MetricsResult k = eval.evaluateTest(knn, s);
            long evalMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("beauty " + s.protocol() + ": MostPopular " + pop);
            System.out.println("beauty " + s.protocol() + ": ItemKnn     " + k
                    + " (fit " + fitMs + " ms, evaluate " + k.users() + " users " + evalMs + " ms)");
            assertTrue(pop.recall(50) > 0.005, pop.toString());
            assertTrue(k.recall(50) > pop.recall(50), "co-occurrence should beat popularity on Beauty: " + k);
        }
    }
}
