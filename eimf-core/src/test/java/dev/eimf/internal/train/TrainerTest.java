package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.MostPopular;
import dev.eimf.eval.Split;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    private static final int GROUPS = 8;
    private static final int PER_GROUP = 20;
    private static final int ITEMS = GROUPS * PER_GROUP;
    private static final EvalConfig EVAL = EvalConfig.builder().cutoffs(10, 20).build();

    /**
     * Users each stay within one item group (items g, g+8, g+16, ... so groups are spread over the
     * frequency ranks), so the next item is predictable from the history's group but not from
     * popularity.
     */
    private static Split groupedSplit(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> train = new ArrayList<>();
        List<EvalCase> valid = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        for (int u = 0; u < 400; u++) {
            int g = u % GROUPS;
            int len = 8 + r.nextInt(12);
            int[] seq = new int[len];
            for (int i = 0; i < len; i++) {
                // Skewed within the group so ids stay roughly frequency-ranked.
                int j = (int) Math.min(PER_GROUP - 1, Math.floor(-Math.log(1 - r.nextDouble()) * 6));
                seq[i] = 1 + g + GROUPS * j;
            }
            if (u < 320) {
                train.add(seq);
            } else {
                int cut = len * 4 / 5;
                EvalCase c = new EvalCase(u, Arrays.copyOf(seq, cut), Arrays.copyOfRange(seq, cut, len));
                (u < 360 ? valid : test).add(c);
            }
        }
        int[] users = new int[train.size()];
        for (int i = 0; i < users.length; i++) {
            users[i] = i;
        }
        return new Split("synthetic", ITEMS, users, train.toArray(int[][]::new), valid, test);
    }

    private static TrainerConfig.Builder config() {
        return TrainerConfig.builder(rng -> new MeanPoolEncoder(8, 2, 10, DataType.FLOAT, rng))
                .batchSize(32).learningRate(0.01).maxSteps(300).evalEvery(100).logEvery(50)
                .evalConfig(EVAL).selectionMetric("recall@10").seed(3);
    }

    @Test
    void learnsStructureBeyondPopularity() {
        Split split = groupedSplit(1);
        List<Progress> reports = new ArrayList<>();
        TrainingResult res = new Trainer(config().build()).train(split, reports::add);
        Evaluator ev = new Evaluator(EVAL);
        double model = ev.evaluateTest(res.model(), split).recall(10);
        double pop = ev.evaluateTest(MostPopular.fit(split), split).recall(10);
        assertTrue(model > pop + 0.15, "model " + model + " vs most-popular " + pop);
        assertEquals(300, res.steps());
        assertEquals(3, res.validations().size());
        assertEquals(StopReason.MAX_STEPS, res.stopReason());
        assertTrue(res.trainSeconds() > 0 && res.evalSeconds() > 0);
        assertEquals(res.trainSeconds() * 1000 / 300, res.secondsPer1000Steps(), 1e-9);
        // Reports every 50 steps plus after each validation (which coincide with multiples of 50).
        assertEquals(6, reports.size());
        assertTrue(reports.get(1).evaluated() && reports.get(1).latestValidation().isPresent());
        assertTrue(reports.get(0).latestValidation().isEmpty());
        assertTrue(reports.get(5).loss() < reports.get(0).loss(), "loss should fall");
    }

    @Test
    void bestWeightsAreRestoredAndSameSeedGivesSameResult() {
        Split split = groupedSplit(2);
        TrainerConfig cfg = config().maxSteps(200).evalEvery(40).build();
        TrainingResult a = new Trainer(cfg).train(split);
        TrainingResult b = new Trainer(cfg).train(split);
        MetricsResult again = new Evaluator(EVAL).evaluateValid(a.model(), split);
        assertEquals(a.bestValidation().orElseThrow().values(), again.values());
        double best = a.validations().stream().mapToDouble(v -> v.metrics().recall(10)).max().orElseThrow();
        assertEquals(best, a.bestValidation().orElseThrow().recall(10), 0);
        assertEquals(a.validations().stream().map(v -> v.metrics().values()).toList(),
                b.validations().stream().map(v -> v.metrics().values()).toList());
        assertArrayEquals(a.model().itemTable().data().asFloat(), b.model().itemTable().data().asFloat(), 0f);
        TrainingResult c = new Trainer(cfg.toBuilder().seed(4).build()).train(split);
        assertNotEquals(Arrays.toString(a.model().itemTable().data().asFloat()),
                Arrays.toString(c.model().itemTable().data().asFloat()));
        // The padding row is never trained.
        assertArrayEquals(new float[8], a.model().itemTable().getRow(0).toFloatVector(), 0f);
    }

    /** A trainer of a small encoder of the given type: d 16, K interests, T 10, batch 64. */
    private static TrainerConfig.Builder smallEncoder(dev.eimf.internal.ibim.EncoderType type, int k) {
        dev.eimf.internal.ibim.EncoderConfig ec = dev.eimf.internal.ibim.EncoderConfig.builder(type).dim(16).numInterests(k)
                .maxLen(10).build();
        return TrainerConfig.builder(rng -> dev.eimf.internal.ibim.Encoders.create(ec, rng))
                .batchSize(64).learningRate(0.01).evalConfig(EVAL).selectionMetric("recall@10");
    }

    @Test
    void sameSeedAndThreadCountGiveTheSameModel() {
        Split split = groupedSplit(5);
        for (dev.eimf.internal.ibim.EncoderType type : dev.eimf.internal.ibim.EncoderType.values()) {
            TrainerConfig.Builder cfg = smallEncoder(type, 3).maxSteps(30).evalEvery(15).seed(11);
            int before = dev.eimf.internal.tensor.Parallel.threads();
            try {
                TrainingResult one = new Trainer(cfg.threads(1).build()).train(split);
                TrainingResult two = new Trainer(cfg.threads(2).build()).train(split);
                TrainingResult twoAgain = new Trainer(cfg.threads(2).build()).train(split);
                assertArrayEquals(two.model().itemTable().data().asFloat(),
                        twoAgain.model().itemTable().data().asFloat(), 0f, type + ": same seed and threads differ");
                // Splitting a product across threads changes BLAS blocking, so only rounding may differ.
                assertEquals(one.finalLoss(), two.finalLoss(), 1e-3 * Math.abs(one.finalLoss()), type.toString());
            } finally {
                dev.eimf.internal.tensor.Parallel.setThreads(before);
            }
        }
    }

    /** One interest per user (K = 1) trains with every encoder: its [B, 1, d] buffers were once refused. */
    @Test
    void oneInterestPerUserTrains() {
        Split split = groupedSplit(6);
        for (dev.eimf.internal.ibim.EncoderType type : dev.eimf.internal.ibim.EncoderType.values()) {
            TrainingResult res = new Trainer(smallEncoder(type, 1).maxSteps(20).evalEvery(0).seed(3).build())
                    .train(split);
            assertEquals(20, res.steps(), type.toString());
            assertTrue(Double.isFinite(res.finalLoss()), type.toString());
            assertEquals(1, res.model().interests(new int[][] {{1, 2, 3}}).size(1), type.toString());
        }
    }

    @Test
    void stopsEarlyAndOnTimeBudget() {
        Split split = groupedSplit(3);
        // With a negligible learning rate validation cannot improve after the first run.
        TrainingResult early = new Trainer(config().learningRate(1e-12).evalEvery(10).patience(2).maxSteps(1000)
                .build()).train(split);
        assertEquals(StopReason.EARLY_STOP, early.stopReason());
        assertEquals(10, early.bestStep());
        assertEquals(30, early.steps());

        TrainingResult timed = new Trainer(config().timeBudget(Duration.ofNanos(1)).build()).train(split);
        assertEquals(StopReason.TIME_BUDGET, timed.stopReason());
        assertEquals(1, timed.steps());
        assertEquals(1, timed.validations().size()); // the last weights are still validated

        TrainingResult noValid = new Trainer(config().evalEvery(0).maxSteps(20).build()).train(split);
        assertTrue(noValid.bestValidation().isEmpty());
        assertEquals(20, noValid.bestStep());
    }

    @Test
    void scoringIsMaxOverInterests() {
        Split split = groupedSplit(4);
        TrainedModel m = new Trainer(config().maxSteps(30).evalEvery(0).build()).train(split).model();
        int[][] hist = {{1, 9, 17}, {2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15}, {160}};
        float[][] out = new float[3][ITEMS + 1];
        m.scoreBatch(hist, out);
        INDArray v = m.interests(hist);
        INDArray table = m.itemTable();
        for (int i = 0; i < hist.length; i++) {
            for (int item = 1; item <= ITEMS; item++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 2; k++) {
                    double s = 0;
                    for (int c = 0; c < 8; c++) {
                        s += v.getDouble(i, k, c) * table.getDouble(item, c);
                    }
                    best = Math.max(best, s);
                }
                assertEquals(best, out[i][item], 1e-5);
            }
        }
        // Only the last T = 10 items matter.
        float[] a = new float[ITEMS + 1];
        float[] b = new float[ITEMS + 1];
        m.score(hist[1], a);
        m.score(Arrays.copyOfRange(hist[1], 3, hist[1].length), b);
        assertArrayEquals(a, b, 0f);
    }

    @Test
    void batchesFollowComiRecCutPoints() {
        int[][] train = {{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}, {11}, {12, 13, 14, 15, 16}};
        BatchSampler s = new BatchSampler(train, 4);
        assertEquals(1, s.skipped);
        SplittableRandom r = new SplittableRandom(0);
        int[] ids = new int[3 * 4];
        float[] mask = new float[3 * 4];
        int[] targets = new int[3];
        Set<Integer> seenTargets = new HashSet<>();
        for (int rep = 0; rep < 200; rep++) {
            s.next(r, ids, mask, targets, new int[targets.length]);
            Set<Integer> users = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                int tgt = targets[i];
                seenTargets.add(tgt);
                int[] seq = tgt <= 7 ? train[0] : tgt <= 10 ? train[1] : train[3];
                users.add(seq[0]);
                int k = Arrays.binarySearch(seq, tgt);
                assertTrue(seq.length >= 5 ? k >= 4 : k >= 1, "cut " + k + " in " + Arrays.toString(seq));
                int start = Math.max(0, k - 4);
                for (int p = 0; p < 4; p++) {
                    boolean real = p < k - start;
                    assertEquals(real ? seq[start + p] : 0, ids[i * 4 + p]);
                    assertEquals(real ? 1f : 0f, mask[i * 4 + p]);
                }
            }
            assertEquals(3, users.size(), "users within a batch are distinct");
        }
        assertEquals(Set.of(5, 6, 7, 9, 10, 16), seenTargets);
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new int[][] {{1}}, 4));
    }

    @Test
    void configIsValidated() {
        EncoderFactory f = rng -> new MeanPoolEncoder(4, 2, 5, DataType.FLOAT, rng);
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).clipNorm(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).evalEvery(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).selectionMetric("recall@7").build());
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).timeBudget(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder(f).learningRate(0).build());
        TrainerConfig c = TrainerConfig.builder(f).build();
        assertEquals(128, c.batchSize());
        assertEquals(1280, c.numNegatives());
        assertEquals(1e-3, c.adam().learningRate());
        assertEquals(1000, c.evalEvery());
        assertEquals(5e-3, TrainerConfig.recommendedLearningRate("DR"));
        assertEquals(1e-3, TrainerConfig.recommendedLearningRate("sa"));
        assertEquals(c, c.toBuilder().build());
    }
}
