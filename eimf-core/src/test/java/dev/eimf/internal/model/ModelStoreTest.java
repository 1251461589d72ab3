package dev.eimf.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.io.NpyReader;
import dev.eimf.internal.serve.Recommendation;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.internal.train.Trainer;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelStoreTest {
    private static final int GROUPS = 4;
    private static final int PER_GROUP = 10;
    private static final int ITEMS = GROUPS * PER_GROUP;
    private static final EvalConfig EVAL = EvalConfig.builder().cutoffs(10, 20).build();

    /** Users who stay within one item group, so that a few steps already learn something. */
    static Split split() {
        SplittableRandom r = new SplittableRandom(7);
        List<int[]> train = new ArrayList<>();
        List<EvalCase> valid = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        for (int u = 0; u < 160; u++) {
            int g = u % GROUPS;
            int len = 6 + r.nextInt(10);
            int[] seq = new int[len];
            for (int i = 0; i < len; i++) seq[i] = 1 + g + GROUPS * r.nextInt(PER_GROUP);
            if (u < 120) {
                train.add(seq);
            } else {
                int cut = len * 4 / 5;
                EvalCase c = new EvalCase(u, Arrays.copyOf(seq, cut), Arrays.copyOfRange(seq, cut, len));
                (u < 140 ? valid : test).add(c);
            }
        }
        int[] users = new int[train.size()];
        for (int i = 0; i < users.length; i++) users[i] = i;
        return new Split("synthetic", ITEMS, users, train.toArray(int[][]::new), valid, test);
    }

    static ItemCatalog catalog() {
        List<ItemInfo> items = new ArrayList<>();
        for (int i = 1; i <= ITEMS; i++) {
            items.add(new ItemInfo("item-" + i, "Title \"" + i + "\" é", List.of("Group " + (i - 1) % GROUPS, "Sub"),
                    i % 3 == 0 ? "Brand" : "", i == 5 ? "multi\nline\tdescription" : ""));
        }
        return new ItemCatalog(items);
    }

    static TrainingResult train(EncoderType type, long seed) {
        EncoderConfig enc = EncoderConfig.builder(type).dim(8).numInterests(2).maxLen(10).build();
        TrainerConfig cfg = TrainerConfig.builder(rng -> Encoders.create(enc, rng)).batchSize(16).learningRate(0.01)
                .maxSteps(30).evalEvery(10).logEvery(10).evalConfig(EVAL).selectionMetric("recall@10").seed(seed)
                .build();
        return new Trainer(cfg).train(split());
    }

    private static int[][] histories(Split split) {
        List<int[]> h = new ArrayList<>();
        for (EvalCase c : split.test()) h.add(c.history());
        for (EvalCase c : split.valid()) h.add(c.history());
        return h.toArray(int[][]::new);
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void saveLoadRecommendIsIdentical(EncoderType type, @TempDir Path dir) throws Exception {
        TrainingResult res = train(type, 3);
        TrainedModel trained = res.model();
        ItemCatalog catalog = catalog();
        ModelMetadata md = ModelMetadata.of(res, "synthetic", "comirec").with("note", "α test");
        Path saved = ModelStore.save(dir.resolve("m"), trained, catalog, md);
        SavedModel loaded = ModelStore.load(saved);

        assertEquals(md, loaded.metadata());
        assertEquals(EncoderConfig.builder(type).dim(8).numInterests(2).maxLen(10).build(), loaded.encoderConfig());
        assertEquals(TrainingSettings.of(trained.config()), loaded.training());
        assertEquals(catalog.items(), loaded.catalog().items());
        assertEquals(30, loaded.metadata().steps());

        int[][] hs = histories(split());
        // Interests and scores: bit-identical to the trained model.
        assertEquals(trained.interests(hs), loaded.interestsArray(hs));
        float[][] want = new float[hs.length][ITEMS + 1];
        float[][] got = new float[hs.length][ITEMS + 1];
        trained.scoreBatch(hs, want);
        loaded.scoreBatch(hs, got);
        for (int u = 0; u < hs.length; u++) assertArrayEquals(want[u], got[u], "user " + u);

        // Ranked lists: the in-memory model and the loaded one give identical recommendations.
        SavedModel before = SavedModel.of(trained, catalog, md);
        for (int[] h : hs) {
            List<Recommendation> a = before.recommender().recommend(h, 10);
            List<Recommendation> b = loaded.recommender().recommend(h, 10);
            assertEquals(a, b);
            assertEquals(10, b.size());
            // The scores are the trained model's own
            float[] s = new float[ITEMS + 1];
            trained.score(h, s);
            // (up to float rounding: the index sums in another order than the gemm)
            for (Recommendation rec : b) assertEquals(s[rec.itemId()], rec.score(), 1e-5f);
        }
        assertEquals(before.recommender().recommendBatch(hs, 5), loaded.recommender().recommendBatch(hs, 5));
        List<String> ext = List.of("item-1", "item-5", "item-9");
        assertEquals(before.recommender().recommend(ext, 7), loaded.recommender().recommend(ext, 7));
        assertTrue(loaded.recommender().recommend(ext, 3).get(0).title().startsWith("Title"));

        // Saving the loaded model again gives the same bytes.
        ModelStore.save(dir.resolve("again"), loaded);
        assertArrayEquals(Files.readAllBytes(saved.resolve(ModelStore.MODEL_FILE)),
                Files.readAllBytes(dir.resolve("again").resolve(ModelStore.MODEL_FILE)));
        assertArrayEquals(Files.readAllBytes(saved.resolve(ItemsFile.NAME)),
                Files.readAllBytes(dir.resolve("again").resolve(ItemsFile.NAME)));
        // The model file itself can be named too.
        assertEquals(loaded.recommender().recommend(hs[0], 5),
                ModelStore.load(saved.resolve(ModelStore.MODEL_FILE)).recommender().recommend(hs[0], 5));
    }

    @Test
    void savedModelIsACopyAndToTrainedModelIsIndependent(@TempDir Path dir) throws Exception {
        TrainedModel trained = train(EncoderType.SA, 4).model();
        SavedModel saved = SavedModel.of(trained, catalog(), ModelMetadata.empty());
        int[][] hs = histories(split());
        INDArray before = saved.interestsArray(hs);
        trained.itemTable().addi(1.0);
        trained.encoder().parameters().get(0).value().addi(1.0);
        assertEquals(before, saved.interestsArray(hs));
        TrainedModel copy = saved.toTrainedModel();
        copy.itemTable().muli(0);
        assertEquals(before, saved.interestsArray(hs));
    }

    @Test
    void concurrentUseGivesTheSameResults(@TempDir Path dir) throws Exception {
        TrainingResult res = train(EncoderType.DR, 5);
        SavedModel m = ModelStore.load(ModelStore.save(dir, res.model(), catalog(), ModelMetadata.of(res, "s", "comirec")));
        int[][] hs = histories(split());
        List<List<Recommendation>> want = new ArrayList<>();
        for (int[] h : hs) want.add(m.recommender().recommend(h, 10));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        for (int i = 0; i < hs.length; i++) {
                            if (!want.get(i).equals(m.recommender().recommend(hs[i], 10))) return false;
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
    void unregisteredCustomEncoderCannotBeSaved(@TempDir Path dir) {
        InterestEncoder custom = new InterestEncoder() {
            @Override public int dim() { return 4; }
            @Override public int numInterests() { return 1; }
            @Override public int maxLen() { return 3; }
            @Override public List<Param> parameters() { return List.of(); }
            @Override public Pass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng) {
                throw new UnsupportedOperationException();
            }
        };
        TrainedModel m = new TrainedModel(Nd4j.create(DataType.FLOAT, ITEMS + 1, 4), custom,
                TrainerConfig.builder(rng -> custom).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelStore.save(dir, m, catalog(), ModelMetadata.empty()));
        assertTrue(e.getMessage().contains("cannot rebuild") && e.getMessage().contains("Backbones.register"), e.getMessage());
        assertTrue(e.getMessage().contains(custom.getClass().getName()), e.getMessage());
    }

    @Test
    void catalogueMustMatchTheTable() {
        TrainedModel m = train(EncoderType.SA, 1).model();
        ItemCatalog small = new ItemCatalog(List.of(ItemInfo.idOnly("a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(m, small, ModelMetadata.empty()));
        assertTrue(e.getMessage().contains("catalogue"), e.getMessage());
    }

    /** A saved SA model; returns its directory. */
    private static Path saved(Path dir) throws Exception {
        TrainingResult res = train(EncoderType.SA, 2);
        return ModelStore.save(dir.resolve("model"), res.model(), catalog(), ModelMetadata.of(res, "s", "loo"));
    }

    private static ModelFormatException loadFails(Path dir, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelStore.load(dir));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
        return e;
    }

    @Test
    void truncatedForeignOrOtherVersionFilesAreRefused(@TempDir Path tmp) throws Exception {
        Path dir = saved(tmp);
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        byte[] good = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(good, good.length / 2));
        loadFails(dir, file.toString(), "truncated");

        Files.writeString(file, "user_id,item_id\n1,2\n3,4\n5,6\n7,8\n");
        loadFails(dir, file.toString(), "not an EIMF model file");

        byte[] v2 = good.clone();
        v2[8] = 2;
        Files.write(file, v2);
        loadFails(dir, file.toString(), "unsupported format version 2");

        byte[] flipped = good.clone();
        flipped[good.length - 100] ^= 1;
        Files.write(file, flipped);
        loadFails(dir, file.toString(), "checksum mismatch");

        Files.write(file, good);
        ModelStore.load(dir); // intact again
    }

    /** Rewrites the archive with changed config values (a valid archive of something else). */
    private static void rewrite(Path file, UnaryOperator<Map<String, String>> change) throws Exception {
        ModelArchive a = ModelArchive.read(file);
        ModelArchive.Builder b = ModelArchive.builder().config(change.apply(new java.util.TreeMap<>(a.config())))
                .itemIds(a.itemIds());
        a.metadata().forEach(b::metadata);
        a.tensors().forEach(b::tensor);
        b.build().write(file);
    }

    @Test
    void unknownKindVersionOrEncoderIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = saved(tmp);
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        byte[] good = Files.readAllBytes(file);

        rewrite(file, c -> { c.put("model.version", "2"); return c; });
        loadFails(dir, file.toString(), "model layout version 2", "reads version 1");
        Files.write(file, good);

        rewrite(file, c -> { c.put("encoder.type", "transformer"); return c; });
        loadFails(dir, file.toString(), "unknown encoder type 'transformer'", "comirec-sa", "Backbones.register");
        Files.write(file, good);

        rewrite(file, c -> { c.put("model.kind", "word2vec"); return c; });
        loadFails(dir, file.toString(), "kind 'word2vec'");
        Files.write(file, good);

        rewrite(file, c -> { c.remove("encoder.dim"); return c; });
        loadFails(dir, file.toString(), "lacks the config key 'encoder.dim'");
        Files.write(file, good);

        rewrite(file, c -> { c.put("encoder.dim", "16"); return c; });
        loadFails(dir, file.toString(), "item_embeddings", "shape");
        Files.write(file, good);

        rewrite(file, c -> { c.put("encoder.hidden", "7"); return c; });
        loadFails(dir, file.toString(), "do not fit", "sa.w1");
        Files.write(file, good);

        // A plain ModelArchive that is not a saved model.
        ModelArchive.builder().config("dim", "3").build().write(file);
        loadFails(dir, file.toString(), "lacks the config key 'model.kind'");
    }

    @Test
    void itemFileIsChecked(@TempDir Path tmp) throws Exception {
        Path dir = saved(tmp);
        Path items = dir.resolve(ItemsFile.NAME);
        String good = Files.readString(items);
        Files.writeString(items, good.replace("Title", "Titel"));
        loadFails(dir, items.toString(), "SHA-256");
        Files.delete(items);
        loadFails(dir, items.toString(), "missing");
        Files.writeString(items, good);
        assertEquals("Title \"5\" é", ModelStore.load(dir).catalog().info(5).title());
        assertEquals("multi\nline\tdescription", ModelStore.load(dir).catalog().info(5).description());

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelStore.load(tmp.resolve("nothing")));
        assertTrue(e.getMessage().contains(ModelStore.MODEL_FILE), e.getMessage());
    }

    @Test
    void exportsRoundTripThroughNpyReader(@TempDir Path tmp) throws Exception {
        SavedModel m = ModelStore.load(saved(tmp));
        int[][] hs = histories(split());
        List<String> users = new ArrayList<>();
        for (int u = 0; u < hs.length; u++) users.add("user " + u);

        ModelExports.userInterests(m, users, hs, tmp.resolve("interests.npy"), tmp.resolve("users.tsv"));
        NpyReader.NpyArray a = NpyReader.read(tmp.resolve("interests.npy"));
        assertArrayEquals(new int[] {hs.length, 2, 8}, a.shape());
        float[][][] want = m.interestsBatch(hs);
        for (int u = 0; u < hs.length; u++) {
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(want[u][k], Arrays.copyOfRange(a.data(), (u * 2 + k) * 8, (u * 2 + k + 1) * 8));
            }
        }
        // A single user's interests are those of its batch (SA has no randomness; BLAS may round differently).
        assertArrayEquals(want[3][1], m.interests(hs[3])[1], 1e-6f);
        List<String> lines = Files.readAllLines(tmp.resolve("users.tsv"));
        assertEquals("row\tuser_id\thistory_length", lines.get(0));
        assertEquals(hs.length + 1, lines.size());
        assertEquals("3\tuser 3\t" + hs[3].length, lines.get(4));

        ModelExports.itemEmbeddings(m, tmp.resolve("items.npy"), tmp.resolve("items.tsv"));
        NpyReader.NpyArray items = NpyReader.read(tmp.resolve("items.npy"));
        assertArrayEquals(new int[] {ITEMS, 8}, items.shape());
        float[][] table = m.itemTable();
        for (int i = 1; i <= ITEMS; i++) {
            assertArrayEquals(table[i], Arrays.copyOfRange(items.data(), (i - 1) * 8, i * 8));
        }
        List<String> il = Files.readAllLines(tmp.resolve("items.tsv"));
        assertEquals("row\titem_id\ttitle", il.get(0));
        assertEquals("4\titem-5\tTitle \"5\" é", il.get(5));
        assertNotEquals(0f, items.data()[0]);

        assertThrows(IllegalArgumentException.class, () -> ModelExports.userInterests(m, List.of("a\tb"),
                new int[][] {{1}}, tmp.resolve("x.npy"), tmp.resolve("x.tsv")));
        assertThrows(IllegalArgumentException.class, () -> ModelExports.userInterests(m, List.of("a"),
                new int[][] {{1}, {2}}, tmp.resolve("x.npy"), tmp.resolve("x.tsv")));
    }
}
