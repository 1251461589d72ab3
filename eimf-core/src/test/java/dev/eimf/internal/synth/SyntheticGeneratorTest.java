package dev.eimf.internal.synth;

import dev.eimf.data.DatasetFormat;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticGeneratorTest {
    @TempDir
    Path dir;

    private static SyntheticConfig.Builder small() {
        return SyntheticConfig.builder().users(150).items(400).topics(8).meanSequenceLength(12)
                .minSequenceLength(3).maxSequenceLength(60).seed(11);
    }

    @ParameterizedTest
    @EnumSource(DatasetFormat.class)
    void writtenFilesLoadBackIntoTheSameData(DatasetFormat format) throws IOException {
        SyntheticConfig config = small().build();
        SyntheticGenerator gen = new SyntheticGenerator(config);
        SyntheticDataset ds = gen.generate();
        Path out = dir.resolve(format.name());
        WriteSummary summary = gen.write(out, format);
        assertEquals(ds.data().interactions().size(), summary.interactions());

        assertEquals(format, DatasetFormat.detect(out));
        RawData loaded = DatasetLoaders.load(out, LoadOptions.strict());
        List<Interaction> expected = ds.data().interactions();
        if (format == DatasetFormat.RECBOLE) {
            // The RecBole layout carries no rating column.
            expected = expected.stream()
                    .map(i -> new Interaction(i.user(), i.item(), i.timestamp(), Double.NaN)).toList();
        }
        assertEquals(expected, loaded.interactions());
        assertEquals(ds.data().items(), loaded.items());
        assertEquals(0, loaded.report().skippedCount());
    }

    @Test
    void itemTextComesFromTheTopic() {
        SyntheticDataset ds = SyntheticGenerator.generate(small().build());
        ItemInfo info = ds.data().items().get("123");
        Topic t = ds.truth().topicOf("123");
        assertEquals(t.word() + " Item 123", info.title());
        assertEquals(List.of(t.domain(), t.word()), info.categories());
        assertEquals("Topic 0: Jazz", Topic.of(0).name());
        assertEquals(List.of("Movies", "Western"), Topic.of(1).categories());
        Set<String> words = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String w = Topic.of(i).word();
            assertTrue(words.add(w), "topic words are unique: " + w);
            assertTrue(w.matches("[A-Za-z0-9]+"), w);
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        for (DatasetFormat f : DatasetFormat.values()) {
            SyntheticConfig c = small().build();
            new SyntheticGenerator(c).write(dir.resolve("a" + f), f);
            new SyntheticGenerator(c).write(dir.resolve("b" + f), f);
            new SyntheticGenerator(small().seed(12).build()).write(dir.resolve("c" + f), f);
            assertEquals(hash(dir.resolve("a" + f)), hash(dir.resolve("b" + f)), f.name());
            assertNotEquals(hash(dir.resolve("a" + f)), hash(dir.resolve("c" + f)), f.name());
        }
    }

    @Test
    void usersCanBeDrawnOneAtATimeInAnyOrder() {
        SyntheticGenerator gen = new SyntheticGenerator(small().build());
        SyntheticDataset ds = gen.generate();
        List<Interaction> user37 = ds.data().interactions().stream().filter(i -> i.user().equals("38")).toList();
        assertEquals(user37, gen.userSequence(37));
        assertEquals(ds.truth().users().get("38"), gen.userProfile(37));
    }

    @Test
    void sequencesAreTimeOrderedWithoutRepeatsAndProfilesAreValid() {
        SyntheticConfig c = small().topicsPerUser(2, 4).build();
        SyntheticDataset ds = SyntheticGenerator.generate(c);
        Map<String, Long> last = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (Interaction i : ds.data().interactions()) {
            Long prev = last.put(i.user(), i.timestamp());
            if (prev != null) assertTrue(i.timestamp() > prev, "time order for user " + i.user());
            assertTrue(seen.computeIfAbsent(i.user(), k -> new HashSet<>()).add(i.item()), "no repeats");
            assertTrue(i.rating() >= 1 && i.rating() <= 5);
            assertTrue(i.timestamp() >= c.timestampStart());
        }
        assertEquals(c.users(), seen.size());
        for (Set<String> items : seen.values()) {
            assertTrue(items.size() >= c.minSequenceLength() && items.size() <= c.maxSequenceLength());
        }
        for (UserProfile p : ds.truth().users().values()) {
            assertTrue(p.topics().size() >= 2 && p.topics().size() <= 4, p.toString());
            assertEquals(p.topics().size(), new HashSet<>(p.topics()).size(), "distinct topics");
            assertEquals(1.0, p.weights().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        }
        assertEquals(c.items(), ds.truth().itemTopics().size());
        Set<Integer> used = new HashSet<>(ds.truth().itemTopics().values());
        assertEquals(c.topics(), used.size(), "every topic has items");
    }

    @Test
    void interactionTargetSetsTheMeanLength() {
        SyntheticConfig c = SyntheticConfig.builder().users(2000).items(3000).interactions(30_000).seed(5).build();
        assertEquals(15.0, c.meanSequenceLength(), 1e-12);
        int n = SyntheticGenerator.generate(c).data().interactions().size();
        assertTrue(Math.abs(n - 30_000) < 1500, "total " + n + " near the 30,000 target");
    }

    @Test
    void popularityIsHeavyTailed() {
        double zipf = topShare(SyntheticConfig.builder().users(3000).items(5000).topics(20).popularityExponent(1.0)
                .seed(3).build());
        double uniform = topShare(SyntheticConfig.builder().users(3000).items(5000).topics(20)
                .popularityExponent(0.0).seed(3).build());
        // Zipf(1) over 5,000 ranks would put H(50)/H(5000), about 49%, on the top 1%; users who never repeat an
        // item flatten the head (about 20% here); a uniform catalogue gives about 1%.
        assertTrue(zipf > 0.15, "top 1% share with Zipf popularity: " + zipf);
        assertTrue(uniform < 0.05, "top 1% share with uniform popularity: " + uniform);
    }

    private static double topShare(SyntheticConfig c) {
        List<Interaction> all = SyntheticGenerator.generate(c).data().interactions();
        Map<String, Integer> counts = new HashMap<>();
        for (Interaction i : all) counts.merge(i.item(), 1, Integer::sum);
        int[] sorted = counts.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int top = c.items() / 100;
        long sum = 0;
        for (int k = 0; k < top; k++) sum += sorted[sorted.length - 1 - k];
        return (double) sum / all.size();
    }

    @Test
    void usersConcentrateOnTheirPlantedTopics() {
        double planted = onTopicShare(small().users(500).items(2000).topics(20).noise(0.05).build());
        double random = onTopicShare(small().users(500).items(2000).topics(20).noise(1.0).build());
        assertTrue(planted > 0.9, "share of interactions on the user's own topics: " + planted);
        assertTrue(random < 0.4, "with noise 1 the planted topics explain little: " + random);
    }

    private static double onTopicShare(SyntheticConfig c) {
        SyntheticDataset ds = SyntheticGenerator.generate(c);
        long on = 0;
        for (Interaction i : ds.data().interactions()) {
            if (ds.truth().users().get(i.user()).has(ds.truth().itemTopics().get(i.item()))) on++;
        }
        return (double) on / ds.data().interactions().size();
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().users(0).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().items(5).topics(10).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().topicsPerUser(3, 2).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().topics(2).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().noise(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().popularityExponent(-1).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().topicConcentration(0).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().meanSequenceLength(2).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().items(100).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().name("../x").build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().interactions(0));
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticConfig.builder().timestamps(Long.MAX_VALUE - 10, 1).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticConfig.builder().timestamps(0, 0).build());
    }

    @Test
    void tinyConcentrationAndTinyCatalogueStillWork() {
        SyntheticConfig c = SyntheticConfig.builder().users(50).items(6).topics(3).topicsPerUser(3, 3)
                .meanSequenceLength(5).minSequenceLength(5).maxSequenceLength(6).topicConcentration(1e-4)
                .popularityExponent(5).seed(1).build();
        SyntheticDataset ds = SyntheticGenerator.generate(c);
        Map<String, Set<String>> seen = new HashMap<>();
        for (Interaction i : ds.data().interactions()) {
            assertTrue(seen.computeIfAbsent(i.user(), k -> new HashSet<>()).add(i.item()));
        }
        for (UserProfile p : ds.truth().users().values()) {
            assertEquals(1.0, p.weights().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        }
    }

    private static String hash(Path d) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var files = Files.list(d)) {
                for (Path p : files.sorted().toList()) {
                    md.update(p.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(p));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

}
