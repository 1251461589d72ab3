package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.eimf.internal.ibim.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class AuxiliaryTasksTest {
    private static final int D = MtlFixtures.D_SMALL;
    private static final int BIG_D = MtlFixtures.D_BIG;
    private static final int K = MtlFixtures.K;

    @Test
    void parametersHaveStableNamesAndShapes() {
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 1L);
        List<Param> ps = aux.parameters();
        assertEquals(List.of("mtl.g.W", "mtl.g.b", "mtl.g.gain", "mtl.g.bias", "mtl.h.W1", "mtl.h.b1", "mtl.h.W2",
                "mtl.h.b2"), ps.stream().map(Param::name).toList());
        assertArrayEquals(new long[] {BIG_D, D}, ps.get(0).value().shape());
        assertArrayEquals(new long[] {D, 2 * D}, ps.get(4).value().shape());
        assertArrayEquals(new long[] {2 * D, BIG_D}, ps.get(6).value().shape());
        for (Param p : ps) {
            assertEquals(DataType.FLOAT, p.value().dataType());
            assertArrayEquals(p.value().shape(), p.grad().shape());
        }
        assertEquals(1.0, ps.get(2).value().minNumber().doubleValue());
        assertEquals(0.0, ps.get(1).value().amaxNumber().doubleValue());
        double limit = Math.sqrt(6.0 / (BIG_D + D));
        double max = ps.get(0).value().amaxNumber().doubleValue();
        assertTrue(max > 0 && max <= limit, "Glorot bound " + limit + ", max " + max);
    }

    @Test
    void usersWithoutSemanticsOrWeightGetZeroGradient() {
        SplittableRandom rng = new SplittableRandom(4);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.FLOAT);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 2L);
        INDArray dV = Nd4j.zeros(DataType.FLOAT, v.shape());
        AuxiliaryTasks.Result r = aux.forwardBackward(v, batch, dV);
        assertEquals(3, r.activeUsers());
        assertEquals(3 * K, r.pairs());
        for (int b = 0; b < batch.size(); b++) {
            double max = dV.get(NDArrayIndex.point(b)).amaxNumber().doubleValue();
            if (batch.row(b).active()) {
                assertTrue(max > 0, "row " + b);
                assertEquals(K, r.matching()[b].length);
            } else {
                assertEquals(0.0, max, 0.0, "row " + b + " has no semantics or weight 0");
                assertNull(r.matching()[b]);
            }
        }
    }

    @Test
    void addsIntoExistingGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.DOUBLE);
        AuxTasksConfig cfg = AuxTasksConfig.builder().dataType(DataType.DOUBLE).build();
        AuxiliaryTasks aux = new AuxiliaryTasks(cfg, D, BIG_D, 2L);
        INDArray once = Nd4j.zeros(DataType.DOUBLE, v.shape());
        aux.forwardBackward(v, batch, once);
        INDArray gOnce = aux.parameters().get(0).grad().dup();
        INDArray twice = Nd4j.ones(DataType.DOUBLE, v.shape());
        aux.forwardBackward(v, batch, twice);
        assertTrue(twice.sub(1).equalsWithEps(once, 1e-12));
        assertTrue(aux.parameters().get(0).grad().equalsWithEps(gOnce.mul(2), 1e-12));
        aux.zeroGradients();
        assertEquals(0.0, aux.parameters().get(0).grad().amaxNumber().doubleValue());
    }

    @Test
    void zeroLambdasContributeNothing() {
        SplittableRandom rng = new SplittableRandom(6);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.FLOAT);
        AuxTasksConfig cfg = AuxTasksConfig.builder().lambdaAlign(0).lambdaSemantic(0).build();
        AuxiliaryTasks aux = new AuxiliaryTasks(cfg, D, BIG_D, 3L);
        INDArray dV = Nd4j.zeros(DataType.FLOAT, v.shape());
        AuxiliaryTasks.Result r = aux.forwardBackward(v, batch, dV);
        assertEquals(0.0, r.loss());
        assertTrue(r.alignLoss() > 0 && r.semanticLoss() > 0, "parts are still reported");
        assertEquals(0.0, dV.amaxNumber().doubleValue());
        for (Param p : aux.parameters()) {
            assertEquals(0.0, p.grad().amaxNumber().doubleValue(), p.name());
        }
    }

    @Test
    void lossIsLambdaWeightedSumOfParts() {
        SplittableRandom rng = new SplittableRandom(7);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.DOUBLE);
        AuxTasksConfig cfg = AuxTasksConfig.builder().lambdaAlign(0.25).lambdaSemantic(0.5)
                .dataType(DataType.DOUBLE).build();
        AuxiliaryTasks.Result r = new AuxiliaryTasks(cfg, D, BIG_D, 3L).evaluate(v, batch);
        assertEquals(0.25 * r.alignLoss() + 0.5 * r.semanticLoss(), r.loss(), 1e-12);
        assertTrue(r.semanticLoss() >= 0 && r.semanticLoss() <= 2);
        AuxiliaryTasks.Result alignOff = new AuxiliaryTasks(cfg.toBuilder().alignEnabled(false).build(), D, BIG_D, 3L)
                .evaluate(v, batch);
        assertEquals(0.0, alignOff.alignLoss());
        assertEquals(0.5 * r.semanticLoss(), alignOff.loss(), 1e-12);
    }

    @Test
    void weightsAreAWeightedMeanAndWeightZeroExcludes() {
        SplittableRandom rng = new SplittableRandom(8);
        float[][] s0 = MtlFixtures.vectors(rng, 3, BIG_D);
        float[][] s1 = MtlFixtures.vectors(rng, 3, BIG_D);
        INDArray v = MtlFixtures.interests(rng, 2, K, D, DataType.DOUBLE);
        AuxTasksConfig cfg = AuxTasksConfig.builder().alignEnabled(false).lambdaSemantic(1)
                .dataType(DataType.DOUBLE).build();
        AuxiliaryTasks aux = new AuxiliaryTasks(cfg, D, BIG_D, 9L);
        double only0 = aux.evaluate(v, SemanticBatch.of(new float[][][] {s0, s1}, new double[] {1, 0})).loss();
        double only1 = aux.evaluate(v, SemanticBatch.of(new float[][][] {s0, s1}, new double[] {0, 1})).loss();
        double mixed = aux.evaluate(v, SemanticBatch.of(new float[][][] {s0, s1}, new double[] {0.2, 0.6})).loss();
        assertEquals(0.25 * only0 + 0.75 * only1, mixed, 1e-12);
        double scaled = aux.evaluate(v, SemanticBatch.of(new float[][][] {s0, s1}, new double[] {0.1, 0.3})).loss();
        assertEquals(mixed, scaled, 1e-12);
    }

    @Test
    void noEligibleUserGivesZero() {
        SplittableRandom rng = new SplittableRandom(9);
        INDArray v = MtlFixtures.interests(rng, 2, K, D, DataType.FLOAT);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 1L);
        INDArray dV = Nd4j.zeros(DataType.FLOAT, v.shape());
        AuxiliaryTasks.Result r = aux.forwardBackward(v, SemanticBatch.of(SemanticBatch.Row.none(),
                new SemanticBatch.Row(MtlFixtures.vectors(rng, 2, BIG_D), 0, -1)), dV);
        assertEquals(0, r.activeUsers());
        assertEquals(0.0, r.loss());
        assertEquals(0.0, dV.amaxNumber().doubleValue());
    }

    @Test
    void sameSeedSameResultDifferentSeedDifferentWeights() {
        SplittableRandom rng = new SplittableRandom(10);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.FLOAT);
        AuxiliaryTasks a = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 42L);
        AuxiliaryTasks b = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 42L);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(a.parameters().get(i).value(), b.parameters().get(i).value());
        }
        INDArray dA = Nd4j.zeros(DataType.FLOAT, v.shape());
        INDArray dB = Nd4j.zeros(DataType.FLOAT, v.shape());
        AuxiliaryTasks.Result ra = a.forwardBackward(v, batch, dA);
        AuxiliaryTasks.Result rb = b.forwardBackward(v, batch, dB);
        assertEquals(ra.loss(), rb.loss());
        assertEquals(dA, dB);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(a.parameters().get(i).grad(), b.parameters().get(i).grad());
        }
        AuxiliaryTasks c = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 43L);
        assertNotEquals(a.parameters().get(0).value(), c.parameters().get(0).value());
    }

    @Test
    void floatAgreesWithDouble() {
        SplittableRandom rng = new SplittableRandom(11);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.DOUBLE);
        AuxTasksConfig dbl = AuxTasksConfig.builder().dataType(DataType.DOUBLE).build();
        AuxiliaryTasks ad = new AuxiliaryTasks(dbl, D, BIG_D, 4L);
        AuxiliaryTasks af = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 4L);
        INDArray dvD = Nd4j.zeros(DataType.DOUBLE, v.shape());
        INDArray dvF = Nd4j.zeros(DataType.FLOAT, v.shape());
        double ld = ad.forwardBackward(v, batch, dvD).loss();
        double lf = af.forwardBackward(v.castTo(DataType.FLOAT), batch, dvF).loss();
        assertEquals(ld, lf, 1e-5);
        assertTrue(dvF.castTo(DataType.DOUBLE).equalsWithEps(dvD, 1e-4));
    }

    @Test
    void argmaxMatchingUsesCosineToProjectedSemantics() {
        SplittableRandom rng = new SplittableRandom(12);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.DOUBLE);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.builder().dataType(DataType.DOUBLE).build(),
                D, BIG_D, 5L);
        AuxiliaryTasks.Result r = aux.evaluate(v, batch);
        boolean anyRepeat = false;
        for (int b = 0; b < batch.size(); b++) {
            if (!batch.row(b).active()) {
                continue;
            }
            float[][] gs = aux.project(batch.row(b).interests());
            for (int k = 0; k < K; k++) {
                double[] vk = v.get(NDArrayIndex.point(b), NDArrayIndex.point(k), NDArrayIndex.all()).toDoubleVector();
                int best = 0;
                double bestCos = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < gs.length; j++) {
                    double c = Mats.cos(vk, toDouble(gs[j]));
                    if (c > bestCos) {
                        bestCos = c;
                        best = j;
                    }
                }
                assertEquals(best, r.matching()[b][k], "row " + b + " interest " + k);
            }
            anyRepeat |= r.matching()[b][0] == r.matching()[b][1] || r.matching()[b][1] == r.matching()[b][2]
                    || r.matching()[b][0] == r.matching()[b][2];
        }
        assertEquals(0, r.matchingFallbacks());
        // Hungarian on the same data: a permutation for every square user, never worse in total cosine.
        AuxiliaryTasks hung = new AuxiliaryTasks(AuxTasksConfig.builder().dataType(DataType.DOUBLE)
                .matching(Matching.HUNGARIAN).build(), D, BIG_D, 5L);
        AuxiliaryTasks.Result rh = hung.evaluate(v, batch);
        for (int b = 0; b < batch.size(); b++) {
            if (batch.row(b).active()) {
                assertEquals(K, Arrays.stream(rh.matching()[b]).distinct().count(), "row " + b);
            }
        }
        assertTrue(anyRepeat || Arrays.deepEquals(r.matching(), rh.matching()),
                "without repeats, argmax is already the optimal assignment");
    }

    @Test
    void argmaxTiesTakeLowestIndexAndHungarianFallsBackWhenFewerSemantics() {
        assertArrayEquals(new int[] {1, 0}, InterestMatching.argmax(new double[][] {{0.1, 0.5, 0.5}, {0.2, 0.2, 0.2}}));
        double[][] cos = {{0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}};
        assertArrayEquals(new int[] {0, 0, 0}, InterestMatching.match(cos, Matching.HUNGARIAN));
        assertArrayEquals(new int[] {1, 0}, InterestMatching.match(new double[][] {{0.9, 0.8}, {0.8, 0.1}},
                Matching.HUNGARIAN));

        SplittableRandom rng = new SplittableRandom(13);
        INDArray v = MtlFixtures.interests(rng, 2, K, D, DataType.FLOAT);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.builder().matching(Matching.HUNGARIAN).build(),
                D, BIG_D, 5L);
        AuxiliaryTasks.Result r = aux.evaluate(v, SemanticBatch.of(
                SemanticBatch.Row.own(MtlFixtures.vectors(rng, 2, BIG_D)),
                SemanticBatch.Row.own(MtlFixtures.vectors(rng, 5, BIG_D))));
        assertEquals(1, r.matchingFallbacks());
    }

    @Test
    void sameSourceUsersAreNotNegativesForEachOther() {
        SplittableRandom rng = new SplittableRandom(14);
        float[][] shared = MtlFixtures.vectors(rng, 3, BIG_D);
        INDArray v = MtlFixtures.interests(rng, 2, K, D, DataType.DOUBLE);
        AuxTasksConfig cfg = AuxTasksConfig.builder().semanticEnabled(false).lambdaAlign(1)
                .dataType(DataType.DOUBLE).build();
        SemanticBatch sameCluster = SemanticBatch.of(new SemanticBatch.Row(shared, 1, 3),
                new SemanticBatch.Row(shared, 0.5, 3));
        // Only negatives were from the same source: every softmax has one candidate, so the loss is 0.
        assertEquals(0.0, new AuxiliaryTasks(cfg, D, BIG_D, 1L).evaluate(v, sameCluster).alignLoss(), 0.0);
        double kept = new AuxiliaryTasks(cfg.toBuilder().excludeSameSource(false).build(), D, BIG_D, 1L)
                .evaluate(v, sameCluster).alignLoss();
        assertTrue(kept > 0);
    }

    @Test
    void centredTargetsChangeOnlyTheSemanticLossAndNeedTheSetting() {
        SplittableRandom rng = new SplittableRandom(21);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), K, D, DataType.DOUBLE);
        AuxTasksConfig plainCfg = AuxTasksConfig.builder().dataType(DataType.DOUBLE).build();
        AuxTasksConfig centredCfg = plainCfg.toBuilder().centerTargets(true).build();
        AuxiliaryTasks plain = new AuxiliaryTasks(plainCfg, D, MtlFixtures.D_BIG, 3L);
        AuxiliaryTasks centred = new AuxiliaryTasks(centredCfg, D, MtlFixtures.D_BIG, 3L);
        assertThrows(IllegalStateException.class, () -> centred.evaluate(v, batch), "no mean set yet");
        // no typical user had interests: no mean, and no row with targets either; training goes on without loss
        SemanticBatch none = new SemanticBatch(java.util.Collections.nCopies(batch.size(), SemanticBatch.Row.none()));
        assertEquals(0.0, centred.evaluate(v, none).loss());
        assertThrows(IllegalStateException.class, () -> plain.centreTargets(new float[MtlFixtures.D_BIG]));
        assertThrows(IllegalArgumentException.class, () -> centred.centreTargets(new float[MtlFixtures.D_BIG + 1]));
        float[] zero = new float[MtlFixtures.D_BIG];
        centred.centreTargets(zero);
        AuxiliaryTasks.Result a = plain.evaluate(v, batch);
        AuxiliaryTasks.Result b = centred.evaluate(v, batch);
        assertEquals(a.semanticLoss(), b.semanticLoss(), 1e-12, "a zero mean centres nothing");
        float[] mean = new float[MtlFixtures.D_BIG];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) rng.nextGaussian();
        }
        centred.centreTargets(mean);
        AuxiliaryTasks.Result c = centred.evaluate(v, batch);
        assertEquals(a.alignLoss(), c.alignLoss(), 1e-12, "alignment does not see the centring");
        assertNotEquals(a.semanticLoss(), c.semanticLoss(), 1e-6);
    }

    @Test
    void rejectsMismatchedShapes() {
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), D, BIG_D, 1L);
        SplittableRandom rng = new SplittableRandom(15);
        INDArray v = MtlFixtures.interests(rng, 2, K, D, DataType.FLOAT);
        SemanticBatch one = SemanticBatch.of(SemanticBatch.Row.none());
        assertThrows(IllegalArgumentException.class, () -> aux.evaluate(v, one));
        SemanticBatch wrongDim = SemanticBatch.of(SemanticBatch.Row.none(),
                SemanticBatch.Row.own(MtlFixtures.vectors(rng, 2, BIG_D + 1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> aux.evaluate(v, wrongDim));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> aux.evaluate(
                MtlFixtures.interests(rng, 2, K, D + 1, DataType.FLOAT), SemanticBatch.of(SemanticBatch.Row.none(),
                        SemanticBatch.Row.none())));
        assertThrows(IllegalArgumentException.class, () -> aux.forwardBackward(v, SemanticBatch.of(
                SemanticBatch.Row.none(), SemanticBatch.Row.none()), Nd4j.zeros(DataType.FLOAT, 2, K, D + 1)));
        assertThrows(IllegalArgumentException.class, () -> aux.project(new float[][] {new float[BIG_D - 1]}));
    }

    @Test
    void semanticBatchValidatesRows() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> SemanticBatch.Row.own(new float[][] {{1, 2}, {1}}));
        assertTrue(ragged.getMessage().contains("interests[1]"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SemanticBatch.Row.own(new float[][] {{0, 0}}));
        assertThrows(IllegalArgumentException.class, () -> SemanticBatch.Row.own(new float[][] {{1, Float.NaN}}));
        assertThrows(IllegalArgumentException.class, () -> SemanticBatch.Row.own(new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> new SemanticBatch.Row(new float[][] {{1}}, -0.5, -1));
        assertThrows(IllegalArgumentException.class, () -> new SemanticBatch.Row(new float[][] {{1}},
                Double.NaN, -1));
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class, () -> SemanticBatch.of(
                new float[][][] {null, {{1, 2}, {3}}}, new double[] {1, 1}));
        assertTrue(row.getMessage().startsWith("row 1"), row.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SemanticBatch.of(new float[1][][], new double[2]));
    }

    @Test
    void configDefaultsAndValidation() {
        AuxTasksConfig c = AuxTasksConfig.defaults();
        assertEquals(0.1, c.lambdaAlign());
        assertEquals(0.1, c.lambdaSemantic());
        assertEquals(0.1, c.tau());
        assertEquals(Matching.ARGMAX, c.matching());
        assertEquals(NegativeSet.ALL, c.negatives());
        assertEquals(DataType.FLOAT, c.dataType());
        assertEquals(128, c.headHiddenFor(64));
        assertEquals(0.1, c.lambdaItem());
        assertTrue(c.itemAlignEnabled() && !c.toBuilder().lambdaItem(0).build().itemAlignEnabled());
        assertFalse(c.centerTargets());
        assertEquals(c, c.toBuilder().build());
        assertEquals(Math.exp(-0.5 / 2), c.toBuilder().propagationTemperature(2).build().propagationWeight(0.5),
                1e-15);
        assertThrows(IllegalArgumentException.class, () -> c.propagationWeight(-1));
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().tau(0).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().lambdaAlign(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().lambdaSemantic(Double.NaN)
                .build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().headHidden(-1).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().lambdaItem(-1).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().matching(null).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().dataType(DataType.INT32).build());
        assertThrows(IllegalArgumentException.class, () -> AuxTasksConfig.builder().propagationTemperature(0)
                .build());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
