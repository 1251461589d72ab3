package dev.eimf.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.Dataset;
import dev.eimf.data.Preprocessor;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.internal.esim.TypicalSampleConfig;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.synth.SyntheticConfig;
import dev.eimf.internal.synth.SyntheticGenerator;
import dev.eimf.internal.train.TrainerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EimfPipelineTest {

    private static Dataset data() {
        SyntheticConfig cfg = SyntheticConfig.builder().users(600).items(300).topics(8).meanSequenceLength(15)
                .minSequenceLength(6).maxSequenceLength(40).seed(3).build();
        return new Preprocessor().process(SyntheticGenerator.generate(cfg).data());
    }

    private static EimfConfig config(Path dir, boolean semantic) {
        EncoderConfig ec = EncoderConfig.builder(EncoderType.SA).dim(16).numInterests(3).maxLen(10).build();
        TrainerConfig tc = TrainerConfig.builder(rng -> Encoders.create(ec, rng)).batchSize(32).learningRate(0.01)
                .maxSteps(120).evalEvery(40).evalConfig(EvalConfig.builder().cutoffs(10, 20).build())
                .selectionMetric("recall@20").seed(4).threads(2).build();
        return EimfConfig.builder(tc).semantic(semantic)
                .typical(TypicalSampleConfig.builder().clusters(6).perCluster(3).seed(4).build())
                .extractor(MetadataInterestExtractor.builder().interests(3).build())
                .textEncoder(new HashingTextEncoder(64, false)).storeDir(dir.resolve("store"))
                .workDir(dir.resolve("work")).checkpointEvery(20).build();
    }

    @Test
    void runsEveryStageAndResumesFromTheStoreAndCheckpoints(@TempDir Path dir) throws Exception {
        Dataset ds = data();
        Split split = ComiRecProtocol.defaults().split(ds, 4);
        StringBuilder log = new StringBuilder();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stage(String stage, String detail) {
                log.append(stage).append(": ").append(detail).append('\n');
            }
        };
        EimfResult first = new EimfPipeline(config(dir, true)).run(ds, split, listener);
        System.out.print(log);
        assertEquals(40, first.warmup().steps());
        assertEquals(120, first.training().steps());
        // The multi-task stage continues the warm-up's validation record.
        assertEquals(List.of(40L, 80L, 120L), first.training().validations().stream().map(v -> v.step()).toList());
        assertEquals(18, first.typical().orElseThrow().chosen().size(), "C*m typical users");
        assertEquals(18, first.esim().orElseThrow().stats().typicalUsers());
        SemanticObjective obj = first.objective().orElseThrow();
        assertTrue(obj.targets().ownCount() > 0 && obj.targets().propagatedCount() > 0,
                "own " + obj.targets().ownCount() + ", propagated " + obj.targets().propagatedCount());
        assertTrue(obj.lastActiveUsers() > 0, "the auxiliary tasks saw users with semantics");

        // A rerun reuses the interest store and the final checkpoint: same model, nothing recomputed.
        EimfResult again = new EimfPipeline(config(dir, true)).run(ds, split, PipelineListener.NONE);
        assertEquals(18, again.esim().orElseThrow().stats().cached());
        assertEquals(first.training().validations(), again.training().validations());
        assertTrue(Arrays.equals(first.model().itemTable().data().asFloat(), again.model().itemTable().data().asFloat()));

        // Named interests, also after a save and load of the semantics.
        Semantics sem = first.semantics().orElseThrow();
        Path file = dir.resolve("semantics.eimf");
        sem.save(file);
        Semantics loaded = Semantics.load(file);
        assertEquals(sem.labels(), loaded.labels());
        int[] history = split.test().get(0).history();
        List<InterestExplainer.Explained> a = new InterestExplainer(first.model(), sem).explain(history);
        List<InterestExplainer.Explained> b = new InterestExplainer(first.model(), loaded).explain(history);
        assertEquals(a, b);
        assertEquals(3, a.size());
        int assigned = a.stream().mapToInt(e -> e.items().size()).sum();
        assertTrue(assigned > 0 && assigned <= Math.min(10, history.length), "driving items " + assigned);
        for (InterestExplainer.Explained e : a) {
            assertFalse(e.label().isBlank());
        }
    }

    @Test
    void backboneOnlyMatchesPlainTrainingThroughTheWarmUpCheckpoint(@TempDir Path dir) {
        Dataset ds = data();
        Split split = ComiRecProtocol.defaults().split(ds, 4);
        EimfConfig cfg = config(dir, false);
        EimfResult staged = new EimfPipeline(cfg).run(ds, split, PipelineListener.NONE);
        var plain = new dev.eimf.internal.train.Trainer(cfg.trainer()).train(split);
        assertEquals(plain.validations(), staged.training().validations());
        assertTrue(Arrays.equals(plain.model().itemTable().data().asFloat(), staged.model().itemTable().data().asFloat()));
    }

    @Test
    void itemAlignmentAndCentredTargetsTakePartInTraining(@TempDir Path dir) throws Exception {
        Dataset ds = data();
        Split split = ComiRecProtocol.defaults().split(ds, 4);
        EimfConfig defaults = config(dir.resolve("plain"), true);
        assertEquals(0.1, defaults.aux().lambdaItem(), "item-side alignment is on by default");
        EimfConfig plainCfg = defaults.toBuilder().aux(defaults.aux().toBuilder().lambdaItem(0).build()).build();
        EimfConfig cfg = plainCfg.toBuilder().aux(plainCfg.aux().toBuilder().lambdaItem(0.5).centerTargets(true).build())
                .build();
        StringBuilder log = new StringBuilder();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void stage(String stage, String detail) {
                log.append(stage).append(": ").append(detail).append('\n');
            }
        };
        EimfResult plain = new EimfPipeline(plainCfg).run(ds, split, PipelineListener.NONE);
        EimfResult with = new EimfPipeline(cfg.toBuilder().storeDir(dir.resolve("store2")).workDir(dir.resolve("work2"))
                .build()).run(ds, split, listener);
        assertTrue(log.toString().contains("item texts: "), log.toString());
        SemanticObjective obj = with.objective().orElseThrow();
        assertTrue(Double.isFinite(obj.averageItemLoss()) && obj.averageItemLoss() > 0, "item loss " + obj.averageItemLoss());
        assertTrue(Double.isNaN(plain.objective().orElseThrow().averageItemLoss()), "off at weight 0");
        assertTrue(obj.targets().mean().isPresent());
        assertTrue(obj.targets().constantPredictorLoss(true) > obj.targets().constantPredictorLoss(false),
                "an input-blind head does worse on centred targets");
        // the same warm-up, then different multi-task training
        assertEquals(plain.warmup().validations(), with.warmup().validations());
        assertFalse(Arrays.equals(plain.model().itemTable().data().asFloat(), with.model().itemTable().data().asFloat()));
    }

    @Test
    void itemTextIsTitleCategoriesAndBrand() {
        assertEquals("Red lipstick. Makeup > Lips. Brand: Acme", EimfPipeline.itemText(
                new dev.eimf.data.ItemInfo("i1", " Red lipstick ", List.of("Makeup", " ", "Lips"), "Acme", "")));
        assertEquals("", EimfPipeline.itemText(new dev.eimf.data.ItemInfo("i2", "", List.of(), "", "")));
    }
}
