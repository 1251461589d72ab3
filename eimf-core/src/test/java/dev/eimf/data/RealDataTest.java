package dev.eimf.data;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Checks against the shared datasets; skipped when they are absent. */
class RealDataTest {

    private static Path dataset(String name) {
        Optional<Path> p = DataPaths.dataset(name);
        assumeTrue(p.isPresent(), name + " not available");
        return p.get();
    }

    @Test
    void movieLens100k() throws IOException {
        Path dir = dataset("ml-100k");
        RawData raw = DatasetLoaders.load(dir, LoadOptions.strict());
        assertEquals(0, raw.report().skippedCount());
        DatasetStats rs = Preprocessor.rawStats(raw);
        assertEquals(943, rs.users());
        assertEquals(1682, rs.items());
        assertEquals(100_000, rs.interactions());
        assertEquals(1682, raw.items().size());
        assertTrue(raw.items().values().stream().anyMatch(i -> i.title().equals("Misérables, Les (1995)")));
        assertEquals(List.of("Animation", "Children's", "Comedy"), raw.items().get("1").categories());

        Dataset d = new Preprocessor().process(raw);
        assertEquals(943, d.numUsers());
        assertEquals(1349, d.numItems());
        assertEquals(99_287, d.numInteractions());
        assertEquals("Toy Story (1995)", d.catalog().info(d.catalog().internalId("1").orElseThrow()).title());
    }

    /** The ComiRec-format split was made with the same rules: its item ids and per-user orders must match ours. */
    @Test
    void movieLens100kMatchesComiRecSplit() throws IOException {
        Path dir = dataset("ml-100k");
        Path split = dataset("ml100k-comirec-split");
        Dataset d = new Preprocessor().process(DatasetLoaders.load(dir, LoadOptions.strict()));
        for (String line : Files.readAllLines(split.resolve("ml100k_item_map.txt"))) {
            String[] f = line.split(",");
            assertEquals(Integer.parseInt(f[1]), d.catalog().internalId(f[0]).orElseThrow(), "item " + f[0]);
        }
        Map<String, String> newToOld = new HashMap<>();
        for (String line : Files.readAllLines(split.resolve("ml100k_user_map.txt"))) {
            String[] f = line.split(",");
            newToOld.put(f[1], f[0]);
        }
        Map<String, TreeMap<Integer, Integer>> seqs = new HashMap<>();
        for (String part : new String[] {"train", "valid", "test"}) {
            for (String line : Files.readAllLines(split.resolve("ml100k_" + part + ".txt"))) {
                String[] f = line.split(",");
                seqs.computeIfAbsent(newToOld.get(f[0]), k -> new TreeMap<>())
                        .put(Integer.parseInt(f[2]), Integer.parseInt(f[1]));
            }
        }
        assertEquals(d.numUsers(), seqs.size());
        for (int u = 0; u < d.numUsers(); u++) {
            int[] expected = seqs.get(d.userId(u)).values().stream().mapToInt(Integer::intValue).toArray();
            assertTrue(Arrays.equals(expected, d.sequence(u)), "user " + d.userId(u));
        }
    }

    @Test
    void amazonBeauty() throws IOException {
        Path dir = dataset("amazon-beauty");
        RawData raw = DatasetLoaders.load(dir, LoadOptions.strict());
        DatasetStats rs = Preprocessor.rawStats(raw);
        assertEquals(22_363, rs.users());
        assertEquals(12_101, rs.items());
        assertEquals(198_502, rs.interactions());
        assertEquals(12_101, raw.items().size());
        assertEquals("OPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce", raw.items().get("B004756YJA").title());
        assertEquals("TheraNeem Cream - Original Organix South 2 oz Cream Vanilla", raw.items().get("B0001ZYL3Q").title());
        assertEquals(List.of("Beauty", "Skin Care", "Body", "Moisturizers", "Lotions"),
                raw.items().get("B0001ZYL3Q").categories());
        assertTrue(raw.items().values().stream().noneMatch(i -> i.title().contains("&amp;") || i.title().contains("&quot;")));
        assertTrue(raw.items().values().stream().noneMatch(i -> i.title().contains("\t") || i.title().contains("\n")));
        assertTrue(raw.items().values().stream().anyMatch(i -> i.categories().contains("Women's")));
        assertTrue(raw.items().values().stream().anyMatch(i -> i.categories().contains("Creams, Gels & Lotions")));

        // The data is already 5-core, and its timestamps are sequence positions: sequences must equal Beauty.txt.
        Dataset d = new Preprocessor().process(raw);
        assertEquals(22_363, d.numUsers());
        assertEquals(12_101, d.numItems());
        assertEquals(198_502, d.numInteractions());
        JsonObject maps = JsonParser.parseString(Files.readString(dir.resolve("datamaps.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonObject id2item = maps.getAsJsonObject("id2item");
        JsonObject id2user = maps.getAsJsonObject("id2user");
        Map<String, List<String>> expected = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("Beauty.txt"))) {
            String[] f = line.split(" ");
            List<String> items = new ArrayList<>();
            for (int i = 1; i < f.length; i++) items.add(id2item.get(f[i]).getAsString());
            expected.put(id2user.get(f[0]).getAsString(), items);
        }
        for (int u = 0; u < d.numUsers(); u++) {
            List<String> ours = Arrays.stream(d.sequence(u)).mapToObj(i -> d.catalog().externalId(i)).toList();
            assertEquals(expected.get(d.userId(u)), ours, "user " + d.userId(u));
        }
    }
}
