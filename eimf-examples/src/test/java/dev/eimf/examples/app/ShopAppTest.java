package dev.eimf.examples.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.Dataset;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.Split;
import dev.eimf.model.InterestExplanation;
import dev.eimf.model.InterestModel;
import dev.eimf.model.ItemEmbeddings;
import dev.eimf.model.RecommendRequest;
import dev.eimf.model.RecommendationList;
import dev.eimf.model.UnknownItems;
import dev.eimf.train.InterestsReport;
import dev.eimf.train.RunSettings;
import dev.eimf.train.StopReason;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingControl;
import dev.eimf.train.TrainingListener;
import dev.eimf.train.TrainingResult;
import dev.eimf.train.ValidationPoint;
import dev.eimf.train.WorkDirPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shop application, step by step, through the exported API. */
class ShopAppTest {
    /** The packages eimf-core and eimf-llm export. */
    private static final Set<String> EXPORTED = Set.of("dev.eimf.data", "dev.eimf.eval", "dev.eimf.esim",
            "dev.eimf.backbone", "dev.eimf.train", "dev.eimf.model", "dev.eimf.llm");

    static Dataset data;
    static Split split;
    static TrainingResult backbone;
    static TrainingResult eimf;

    @BeforeAll
    static void train() {
        data = ShopApp.shopData(300, 1);
        split = ComiRecProtocol.defaults().split(data, 1);
        backbone = new Trainer(ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 300).build()).train(data, split);
        eimf = new Trainer(ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 300)
                .explicitInterests(ShopApp.explicitInterests()).build()).train(data, split);
    }

    @Test
    void theAppImportsOnlyExportedPackages() throws IOException {
        Pattern imp = Pattern.compile("^import (?:static )?(dev\\.eimf\\.[\\w.]+)\\.[A-Z]\\w*(?:\\.\\w+)*;", Pattern.MULTILINE);
        List<String> bad = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/eimf/examples/app"))) {
            for (Path f : (Iterable<Path>) s::iterator) {
                files++;
                Matcher m = imp.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    if (!EXPORTED.contains(m.group(1))) bad.add(f.getFileName() + ": " + m.group(1));
                }
                assertFalse(Files.readString(f).contains("dev.eimf.internal"), f + " names the engine");
            }
        }
        assertTrue(files >= 3);
        assertEquals(List.of(), bad);
    }

    @Test
    void theBackboneTrainsFromDataBuiltInMemory() {
        assertEquals("shop", data.name());
        assertTrue(data.numUsers() > 250 && data.numItems() > 100, data.stats().toString());
        assertNotEquals(StopReason.CANCELLED, backbone.report().stopReason());
        assertTrue(backbone.report().bestValidation().isPresent());
        double recall = new Evaluator().evaluateTest(backbone.model(), split).get("recall@50");
        double popular = new Evaluator().evaluateTest(dev.eimf.eval.MostPopular.fit(split), split).get("recall@50");
        assertTrue(recall > popular, "backbone recall@50 " + recall + " vs popularity " + popular);
        assertFalse(backbone.model().hasSemantics());
    }

    @Test
    void explicitInterestsComeFromTheAppsOwnLlmAndTextEncoder() {
        InterestsReport r = eimf.report().interests().orElseThrow();
        assertTrue(r.typicalUsers() > 0 && r.extractorCalls() >= r.typicalUsers() - r.reused(), r.toString());
        assertEquals(0, r.failed(), r.toString());
        assertEquals(100, eimf.report().warmupSteps());
        InterestModel m = eimf.model();
        assertTrue(m.hasSemantics());
        EvalCase user = split.test().get(0);
        List<String> history = ids(user.history());
        List<InterestExplanation> named = m.explain(history);
        assertEquals(2, named.size(), "K = 2 interests, set once on the backbone");
        for (InterestExplanation e : named) {
            assertTrue(e.label().endsWith(" enthusiast"), e.label());
        }
        assertTrue(m.interestPhrases().stream().allMatch(p -> p.endsWith(" enthusiast")), m.interestPhrases().toString());
    }

    @Test
    void cancellingFromAnotherThreadKeepsTheBestWeights() throws Exception {
        TrainingControl control = new TrainingControl();
        CountDownLatch validations = new CountDownLatch(3);
        List<ValidationPoint> seen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(dev.eimf.train.Progress progress) {
            }

            @Override
            public void onValidation(dev.eimf.train.Stage stage, ValidationPoint point) {
                seen.add(point);
                validations.countDown();
            }
        };
        Trainer trainer = new Trainer(ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 1_000_000).build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TrainingResult> run = pool.submit(() -> trainer.train(data, split, listener, control));
            assertTrue(validations.await(120, TimeUnit.SECONDS), "three validations within two minutes");
            control.cancel();
            TrainingResult r = run.get(120, TimeUnit.SECONDS);
            assertEquals(StopReason.CANCELLED, r.report().stopReason());
            assertTrue(r.report().steps() < 1_000_000);
            double best = r.report().bestValidation().orElseThrow().get("recall@50");
            double max = seen.stream().mapToDouble(v -> v.metrics().get("recall@50")).max().orElseThrow();
            assertEquals(max, best, 1e-12, "the kept weights are the best validated ones");
            double now = new Evaluator().evaluateValid(r.model(), split).get("recall@50");
            assertEquals(best, now, 1e-6, "the returned model scores what its best validation did");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingDuringExtractionReturnsTheWarmModelPromptly() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        dev.eimf.esim.LlmClient slow = request -> {
            asked.countDown();
            try {
                Thread.sleep(60_000);  // a language model that takes its time
            } catch (InterruptedException e) {
                throw new java.io.IOException("interrupted", e);
            }
            return new dev.eimf.esim.LlmClient.ChatResponse("{\"interests\":[]}", 0, 0);
        };
        TrainingControl control = new TrainingControl();
        Trainer trainer = new Trainer(ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 300)
                .explicitInterests(dev.eimf.train.ExplicitInterestsConfig.builder(
                        new dev.eimf.esim.LlmInterestExtractor(slow), new WordTextEncoder(32))
                        .clusters(3).perCluster(2).warmupSteps(50).build()).build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TrainingResult> run = pool.submit(() -> trainer.train(data, split, p -> { }, control));
            assertTrue(asked.await(120, TimeUnit.SECONDS), "extraction started");
            long t0 = System.nanoTime();
            control.cancel();
            TrainingResult r = run.get(30, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "stopped without waiting for the language model");
            assertEquals(StopReason.CANCELLED, r.report().stopReason());
            assertEquals(50, r.report().steps(), "the warm-up's model");
            assertTrue(r.report().interests().isEmpty());
            assertFalse(r.model().hasSemantics());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInterruptStopsTrainingAndIsRestored() throws Exception {
        Trainer trainer = new Trainer(ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 1_000_000).build());
        AtomicReference<TrainingResult> result = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            result.set(trainer.train(data, split, p -> started.countDown()));
            flag.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        assertTrue(started.await(120, TimeUnit.SECONDS));
        t.interrupt();
        t.join(120_000);
        assertEquals(StopReason.CANCELLED, result.get().report().stopReason());
        assertTrue(flag.get(), "the interrupt status is restored when train returns");
    }

    @Test
    void savesAndLoadsWithProvenance(@TempDir Path dir) {
        eimf.model().save(dir.resolve("model"));
        InterestModel loaded = InterestModel.load(dir.resolve("model"));
        List<String> history = ids(split.test().get(1).history());
        assertEquals(eimf.model().recommend(history, 20), loaded.recommend(history, 20));
        assertEquals(eimf.model().explain(history), loaded.explain(history));
        assertEquals("shop", loaded.provenance().dataset());
        assertEquals(64, loaded.provenance().dataFingerprint().length());
        assertEquals("comirec-sa", loaded.provenance().settings().get("backbone"));
        assertEquals("2", loaded.provenance().settings().get("interests"));
        assertNotEquals("unknown", loaded.provenance().libraryVersion());
        assertEquals(7, loaded.provenance().seed());
    }

    @Test
    void servesEightThreadsOfHistoriesWithUnknownItems() throws Exception {
        InterestModel model = backbone.model();
        List<RecommendRequest> requests = new ArrayList<>();
        for (int i = 0; i < split.test().size(); i++) {
            List<String> h = new ArrayList<>(ids(split.test().get(i).history()));
            h.add(i % h.size(), "sku-not-sold-" + i);           // an item the model never saw
            if (i % 5 == 0) h.add("sku-discontinued");
            requests.add(RecommendRequest.builder(h).n(10).exclude(List.of(ShopApp.itemId(i % 6, 0))).build());
        }
        List<RecommendationList> expected = model.recommendAll(requests);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger mismatches = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                fs.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = offset; i < requests.size(); i += 2) {
                            RecommendationList got = model.recommend(requests.get(i));
                            served.incrementAndGet();
                            if (!got.equals(expected.get(i))) mismatches.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : fs) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, mismatches.get(), "of " + served.get() + " recommendations from 8 threads");
        for (int i = 0; i < requests.size(); i++) {
            RecommendationList r = expected.get(i);
            assertEquals(i % 5 == 0 ? 2 : 1, r.unknownItems());
            assertFalse(r.fallback());
            assertEquals(10, r.items().size());
            assertFalse(r.itemIds().contains(ShopApp.itemId(i % 6, 0)), "excluded item recommended");
        }
        RecommendationList nothingKnown = model.recommend(RecommendRequest.of(List.of("sku-x", "sku-y"), 5));
        assertTrue(nothingKnown.fallback());
        assertEquals(2, nothingKnown.unknownItems());
        assertEquals(List.of(data.catalog().externalId(1), data.catalog().externalId(2), data.catalog().externalId(3),
                data.catalog().externalId(4), data.catalog().externalId(5)), nothingKnown.itemIds(), "most popular first");
        IllegalArgumentException strict = assertThrows(IllegalArgumentException.class, () -> model.recommend(
                RecommendRequest.builder(List.of(ShopApp.itemId(0, 1), "sku-x")).unknownItems(UnknownItems.STRICT).build()));
        assertTrue(strict.getMessage().contains("'sku-x'"), strict.getMessage());
    }

    @Test
    void exportsInterestVectorsAndItemEmbeddings(@TempDir Path dir) throws IOException {
        InterestModel model = eimf.model();
        List<List<String>> histories = new ArrayList<>();
        for (EvalCase c : split.test()) histories.add(ids(c.history()));
        List<float[][]> interests = model.interestsAll(histories);
        assertEquals(histories.size(), interests.size());
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < interests.size(); u++) {
            assertEquals(2, interests.get(u).length);
            for (int k = 0; k < 2; k++) {
                assertEquals(16, interests.get(u)[k].length);
                lines.add("user" + u + "\t" + k + "\t" + join(interests.get(u)[k]));
            }
        }
        Files.write(dir.resolve("interests.tsv"), lines);
        ItemEmbeddings items = model.itemEmbeddings();
        assertEquals(data.numItems(), items.itemIds().size());
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < items.vectors().length; i++) {
            assertEquals(16, items.vectors()[i].length);
            rows.add(items.itemIds().get(i) + "\t" + join(items.vectors()[i]));
        }
        Files.write(dir.resolve("items.tsv"), rows);
        assertEquals(2 * histories.size(), Files.readAllLines(dir.resolve("interests.tsv")).size());
        assertEquals(data.numItems(), Files.readAllLines(dir.resolve("items.tsv")).size());
        // the exported rows are the model's: an item's score is its best dot product with the interests
        float[][] v = model.interests(histories.get(0));
        String top = model.recommend(RecommendRequest.builder(histories.get(0)).n(1).excludeHistory(false).build()).itemIds().get(0);
        float[] e = items.vectors()[items.itemIds().indexOf(top)];
        float best = model.recommend(RecommendRequest.builder(histories.get(0)).n(1).excludeHistory(false).build()).items().get(0).score();
        double dot = Math.max(dotf(v[0], e), dotf(v[1], e));
        assertEquals(best, dot, 1e-4);
    }

    @Test
    void aWorkDirectoryContinuesOrRefuses(@TempDir Path dir) {
        Path work = dir.resolve("work");
        RunSettings settings = RunSettings.builder().workDir(work).checkpointEvery(50).build();
        TrainerConfig.Builder cfg = ShopApp.training(ShopApp.backbone(BackboneConfig.COMIREC_SA), 100);
        TrainingResult first = new Trainer(cfg.build(), settings).train(data, split);
        assertEquals(100, first.report().steps());
        TrainingResult longer = new Trainer(cfg.maxSteps(150).build(), settings).train(data, split);
        assertEquals(150, longer.report().steps(), "a larger budget extends the run");
        TrainingResult fresh150 = new Trainer(cfg.maxSteps(150).build()).train(data, split);
        assertEquals(fresh150.model().recommend(ids(split.test().get(0).history()), 10),
                longer.model().recommend(ids(split.test().get(0).history()), 10), "continued equals uninterrupted");

        IllegalStateException shorter = assertThrows(IllegalStateException.class,
                () -> new Trainer(cfg.maxSteps(50).build(), settings).train(data, split));
        assertTrue(shorter.getMessage().contains("step 150"), shorter.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> new Trainer(cfg.maxSteps(150).learningRate(1e-3).build(), settings).train(data, split));
        assertTrue(other.getMessage().contains("learning_rate was 0.005, now 0.001"), other.getMessage());
        TrainingResult restarted = new Trainer(cfg.maxSteps(50).learningRate(1e-3).build(),
                RunSettings.builder().workDir(work).workDirPolicy(WorkDirPolicy.RESTART).build()).train(data, split);
        assertEquals(50, restarted.report().steps());
    }

    private static List<String> ids(int[] internal) {
        List<String> out = new ArrayList<>();
        for (int id : internal) out.add(data.catalog().externalId(id));
        return out;
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (float x : v) sb.append(sb.length() == 0 ? "" : ",").append(x);
        return sb.toString();
    }

    private static double dotf(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
