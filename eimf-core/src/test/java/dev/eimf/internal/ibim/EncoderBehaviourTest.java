package dev.eimf.internal.ibim;

import static dev.eimf.internal.ibim.EncoderTestSupport.B;
import static dev.eimf.internal.ibim.EncoderTestSupport.D;
import static dev.eimf.internal.ibim.EncoderTestSupport.K;
import static dev.eimf.internal.ibim.EncoderTestSupport.MASK;
import static dev.eimf.internal.ibim.EncoderTestSupport.T;
import static dev.eimf.internal.ibim.EncoderTestSupport.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Padding, determinism, precision and buffer-reuse behaviour of all three encoders. */
class EncoderBehaviourTest {

    private static InterestEncoder create(EncoderType type, DataType dt, long seed) {
        return Encoders.create(EncoderTestSupport.small(type, dt).build(), new SplittableRandom(seed));
    }

    private static InterestEncoder.Pass run(InterestEncoder enc, INDArray x, INDArray m) {
        return enc.forward(x, m, true, new SplittableRandom(11));
    }

    /** Attention (SA) or coupling (DR, MIND), [B, K, T]. */
    private static INDArray weights(InterestEncoder.Pass p) {
        return p instanceof SelfAttentiveEncoder.SaPass sa ? sa.attention()
                : ((CapsuleEncoder.CapsulePass) p).coupling();
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void paddedPositionsGetNoWeightAndNoGradient(EncoderType type) {
        InterestEncoder enc = create(type, DataType.DOUBLE, 1);
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.DOUBLE);
        InterestEncoder.Pass p = run(enc, x, m);
        double[] w = flat(weights(p));
        double[] dx = flat(p.backward(EncoderTestSupport.gaussian(4, DataType.DOUBLE, B, K, D)));
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double overK = 0;
                for (int k = 0; k < K; k++) {
                    double v = w[(b * K + k) * T + t];
                    if (MASK[b][t] == 0) {
                        assertEquals(0.0, v, 0.0, "weight at padded (" + b + "," + t + ")");
                    }
                    overK += v;
                }
                if (MASK[b][t] == 1 && type != EncoderType.SA) {
                    assertEquals(1.0, overK, 1e-12, "coupling sums to 1 over interests");
                }
                for (int j = 0; j < D; j++) {
                    if (MASK[b][t] == 0) {
                        assertEquals(0.0, dx[(b * T + t) * D + j], 0.0);
                    }
                }
            }
            if (type == EncoderType.SA) {
                for (int k = 0; k < K; k++) {
                    double overT = 0;
                    for (int t = 0; t < T; t++) {
                        overT += w[(b * K + k) * T + t];
                    }
                    assertEquals(1.0, overT, 1e-12, "attention sums to 1 over real positions");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void outputsDoNotDependOnPaddingContents(EncoderType type) {
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.DOUBLE);
        INDArray junk = x.dup();
        INDArray noise = EncoderTestSupport.gaussian(8, DataType.DOUBLE, B, T, D).muli(100);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                if (MASK[b][t] == 0) {
                    for (int j = 0; j < D; j++) {
                        junk.putScalar(new long[] {b, t, j}, noise.getDouble(b, t, j));
                    }
                }
            }
        }
        INDArray g = EncoderTestSupport.gaussian(4, DataType.DOUBLE, B, K, D);
        InterestEncoder e1 = create(type, DataType.DOUBLE, 1);
        InterestEncoder e2 = create(type, DataType.DOUBLE, 1);
        InterestEncoder.Pass p1 = run(e1, x, m);
        InterestEncoder.Pass p2 = run(e2, junk, m);
        assertArrayEquals(flat(p1.interests()), flat(p2.interests()), 0.0);
        assertArrayEquals(flat(p1.backward(g)), flat(p2.backward(g)), 0.0);
        for (int i = 0; i < e1.parameters().size(); i++) {
            assertArrayEquals(flat(e1.parameters().get(i).grad()), flat(e2.parameters().get(i).grad()), 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void emptyHistoryGivesFiniteOutputAndZeroGradient(EncoderType type) {
        double[][] mask = {{1, 1, 1, 0, 0}, {0, 0, 0, 0, 0}};
        InterestEncoder enc = create(type, DataType.DOUBLE, 1);
        INDArray x = EncoderTestSupport.input(mask, D, 1.0, 3, DataType.DOUBLE);
        InterestEncoder.Pass p = run(enc, x, EncoderTestSupport.mask(mask, DataType.DOUBLE));
        double[] v = flat(p.interests());
        for (double value : v) {
            assertTrue(Double.isFinite(value));
        }
        if (type != EncoderType.MIND) { // MIND's default ReLU projection maps 0 to relu(bias)
            for (int i = K * D; i < 2 * K * D; i++) {
                assertEquals(0.0, v[i], 0.0);
            }
        }
        double[] dx = flat(p.backward(EncoderTestSupport.gaussian(4, DataType.DOUBLE, 2, K, D)));
        for (int i = T * D; i < 2 * T * D; i++) {
            assertEquals(0.0, dx[i], 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void sameSeedSameWeightsAndOutputs(EncoderType type) {
        InterestEncoder a = create(type, DataType.FLOAT, 42);
        InterestEncoder b = create(type, DataType.FLOAT, 42);
        InterestEncoder c = create(type, DataType.FLOAT, 43);
        boolean anyDiffers = false;
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(flat(a.parameters().get(i).value()), flat(b.parameters().get(i).value()), 0.0);
            anyDiffers |= !java.util.Arrays.equals(flat(a.parameters().get(i).value()),
                    flat(c.parameters().get(i).value()));
        }
        assertTrue(anyDiffers, "another seed gives other weights");
        INDArray m = EncoderTestSupport.mask(MASK, DataType.FLOAT);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.FLOAT);
        assertArrayEquals(flat(run(a, x, m).interests()), flat(run(b, x, m).interests()), 0.0);
    }

    @ParameterizedTest
    @EnumSource(value = EncoderType.class, names = "MIND")
    void mindDrawsRoutingLogitsFromTheGivenGenerator(EncoderType type) {
        InterestEncoder enc = create(type, DataType.DOUBLE, 1);
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.DOUBLE);
        double[] a = flat(enc.forward(x, m, false, new SplittableRandom(5)).interests());
        double[] b = flat(enc.forward(x, m, true, new SplittableRandom(5)).interests());
        double[] c = flat(enc.forward(x, m, true, new SplittableRandom(6)).interests());
        assertArrayEquals(a, b, 0.0);
        assertFalse(java.util.Arrays.equals(a, c));
        assertThrows(IllegalArgumentException.class, () -> enc.forward(x, m, true, null));

        EncoderConfig trunc = EncoderTestSupport.small(type, DataType.DOUBLE).truncatedRoutingLogits(true).build();
        InterestEncoder te = Encoders.create(trunc, new SplittableRandom(1));
        double[] tv = flat(te.forward(x, m, true, new SplittableRandom(5)).interests());
        assertFalse(java.util.Arrays.equals(a, tv), "truncation redraws some logits");
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void interestsDifferAcrossHeads(EncoderType type) {
        InterestEncoder enc = create(type, DataType.DOUBLE, 1);
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.DOUBLE);
        INDArray v = run(enc, x, m).interests();
        assertNotEquals(0.0, v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                .sub(v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(1)))
                .norm2Number().doubleValue(), 1e-9);
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void floatAgreesWithDouble(EncoderType type) {
        // T=20, d=16 so the float kernels (fast tanh, float BLAS) see realistic sizes
        double[][] mask = new double[6][20];
        SplittableRandom r = new SplittableRandom(3);
        for (double[] row : mask) {
            int len = r.nextInt(21);
            for (int t = 0; t < len; t++) {
                row[t] = 1;
            }
        }
        EncoderConfig.Builder cb = EncoderConfig.builder(type).dim(16).numInterests(4).maxLen(20);
        InterestEncoder ef = Encoders.create(cb.dataType(DataType.FLOAT).build(), new SplittableRandom(9));
        InterestEncoder ed = Encoders.create(cb.dataType(DataType.DOUBLE).build(), new SplittableRandom(9));
        // biases start at zero: give them (and the rest) nonzero values so that every term is compared
        for (int i = 0; i < ed.parameters().size(); i++) {
            INDArray v = ed.parameters().get(i).value();
            INDArray noise = EncoderTestSupport.gaussian(100 + i, DataType.DOUBLE, v.shape()).muli(0.1);
            v.addi(noise);
            ef.parameters().get(i).value().assign(v.castTo(DataType.FLOAT));
        }
        INDArray xd = EncoderTestSupport.input(mask, 16, 0.3, 4, DataType.DOUBLE);
        INDArray g = EncoderTestSupport.gaussian(5, DataType.DOUBLE, 6, 4, 16);
        InterestEncoder.Pass pf = ef.forward(xd.castTo(DataType.FLOAT), EncoderTestSupport.mask(mask, DataType.FLOAT), true, new SplittableRandom(1));
        InterestEncoder.Pass pd = ed.forward(xd, EncoderTestSupport.mask(mask, DataType.DOUBLE), true, new SplittableRandom(1));
        assertEquals(DataType.FLOAT, pf.interests().dataType());
        assertClose(flat(pd.interests()), flat(pf.interests()), "interests");
        INDArray dxf = pf.backward(g.castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, dxf.dataType());
        assertClose(flat(pd.backward(g)), flat(dxf), "dx");
        for (int i = 0; i < ed.parameters().size(); i++) {
            assertClose(flat(ed.parameters().get(i).grad()), flat(ef.parameters().get(i).grad()),
                    ed.parameters().get(i).name());
        }
    }

    /**
     * Work split across threads (user blocks with per-block parameter gradients for SA, per-user
     * routing for DR and MIND) gives what one thread computes, in double where the gradient checks
     * run: those use a batch too small to be split, so this carries their proof over to the split path.
     */
    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void splitAcrossThreadsAgreesWithOneThread(EncoderType type) {
        double[][] mask = new double[40][10];
        SplittableRandom r = new SplittableRandom(21);
        for (double[] row : mask) {
            int len = r.nextInt(11);
            for (int t = 0; t < len; t++) {
                row[t] = 1;
            }
        }
        EncoderConfig cfg = EncoderConfig.builder(type).dim(8).numInterests(3).maxLen(10)
                .dataType(DataType.DOUBLE).build();
        INDArray x = EncoderTestSupport.input(mask, 8, 0.5, 6, DataType.DOUBLE);
        INDArray m = EncoderTestSupport.mask(mask, DataType.DOUBLE);
        INDArray g = EncoderTestSupport.gaussian(7, DataType.DOUBLE, 40, 3, 8);
        int before = dev.eimf.internal.tensor.Parallel.threads();
        double[][] ref = null;
        try {
            for (int threads : new int[] {1, 2, 3}) {
                dev.eimf.internal.tensor.Parallel.setThreads(threads);
                InterestEncoder enc = Encoders.create(cfg, new SplittableRandom(4));
                enc.parameters().get(0).value().muli(10); // SA positions large enough to matter
                InterestEncoder.Pass pass = enc.forward(x, m, true, new SplittableRandom(1));
                double[] out = flat(pass.interests());
                double[] dx = flat(pass.backward(g));
                double[][] got = new double[2 + enc.parameters().size()][];
                got[0] = out;
                got[1] = dx;
                for (int i = 0; i < enc.parameters().size(); i++) {
                    got[2 + i] = flat(enc.parameters().get(i).grad());
                }
                if (ref == null) {
                    ref = got;
                } else {
                    for (int i = 0; i < ref.length; i++) {
                        assertClose(ref[i], got[i], "part " + i + " with " + threads + " threads");
                        double scale = 1e-300;
                        for (double v : ref[i]) {
                            scale = Math.max(scale, Math.abs(v));
                        }
                        for (int j = 0; j < ref[i].length; j++) {
                            assertEquals(ref[i][j], got[i][j], 1e-12 * scale + 1e-14, "part " + i + "[" + j + "], " + threads + " threads");
                        }
                    }
                }
            }
        } finally {
            dev.eimf.internal.tensor.Parallel.setThreads(before);
        }
    }

    /**
     * A keyed pass (positions of equal item share their input products) computes the same interests
     * and parameter gradients as a plain one, and the same gradient summed per key, for every encoder
     * (SA takes the shared form; the capsule encoders ignore the keys) with 1 to 3 threads, in double.
     */
    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void keyedPassAgreesWithPlainPassPerKey(EncoderType type) {
        keyedAgainstPlain(type, DataType.DOUBLE, 1e-12, 3);
        // FLOAT takes SA's heap form of the sum and tanh; with K = 4 its keyed backward has a form of its own
        keyedAgainstPlain(type, DataType.FLOAT, 2e-5, 3);
        keyedAgainstPlain(type, DataType.FLOAT, 2e-5, 4);
    }

    private static void keyedAgainstPlain(EncoderType type, DataType dt, double tol, int numInterests) {
        int batch = 40, maxLen = 10, d = 8, items = 9;
        SplittableRandom r = new SplittableRandom(31);
        double[][] mask = new double[batch][maxLen];
        int[] keys = new int[batch * maxLen];
        for (int b = 0; b < batch; b++) {
            int len = b == 3 ? 0 : 1 + r.nextInt(maxLen);
            for (int t = 0; t < maxLen; t++) {
                mask[b][t] = t < len ? 1 : 0;
                keys[b * maxLen + t] = t < len ? 1 + r.nextInt(items) : 0;
            }
        }
        double[][] table = new double[items + 1][d];
        for (double[] row : table) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian() * 0.5;
            }
        }
        INDArray x = Nd4j.create(DataType.DOUBLE, batch, maxLen, d);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < maxLen; t++) {
                for (int j = 0; j < d; j++) {
                    x.putScalar(new long[] {b, t, j}, mask[b][t] == 1 ? table[keys[b * maxLen + t]][j] : 0.0);
                }
            }
        }
        x = x.castTo(dt);
        EncoderConfig cfg = EncoderConfig.builder(type).dim(d).numInterests(numInterests).maxLen(maxLen)
                .dataType(dt).build();
        INDArray m = EncoderTestSupport.mask(mask, dt);
        INDArray g = EncoderTestSupport.gaussian(7, dt, batch, numInterests, d);
        int before = dev.eimf.internal.tensor.Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                dev.eimf.internal.tensor.Parallel.setThreads(threads);
                double[][][] got = new double[2][][];
                for (int keyed = 0; keyed < 2; keyed++) {
                    InterestEncoder enc = Encoders.create(cfg, new SplittableRandom(4));
                    enc.parameters().get(0).value().muli(10);
                    for (int i = 0; i < enc.parameters().size(); i++) { // nonzero biases too
                        INDArray v = enc.parameters().get(i).value();
                        v.addi(EncoderTestSupport.gaussian(200 + i, dt, v.shape()).muli(0.1));
                    }
                    InterestEncoder.Pass pass = keyed == 1
                            ? enc.forward(x, m, keys, true, new SplittableRandom(1))
                            : enc.forward(x, m, true, new SplittableRandom(1));
                    double[] out = flat(pass.interests());
                    double[] dx = flat(pass.backward(g));
                    double[] perKey = new double[(items + 1) * d];
                    for (int p = 0; p < batch * maxLen; p++) {
                        for (int j = 0; j < d; j++) {
                            perKey[keys[p] * d + j] += dx[p * d + j];
                        }
                    }
                    double[][] parts = new double[2 + enc.parameters().size()][];
                    parts[0] = out;
                    parts[1] = perKey;
                    for (int i = 0; i < enc.parameters().size(); i++) {
                        parts[2 + i] = flat(enc.parameters().get(i).grad());
                    }
                    got[keyed] = parts;
                    pass.release();
                }
                for (int i = 0; i < got[0].length; i++) {
                    double scale = 1e-300;
                    for (double v : got[0][i]) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int j = 0; j < got[0][i].length; j++) {
                        // FLOAT: an absolute floor for SA's b2, whose gradient is rounding noise (it cancels in the softmax)
                        assertEquals(got[0][i][j], got[1][i][j], tol * scale + (dt == DataType.FLOAT ? 1e-5 : 1e-14),
                                type + " " + dt + " K " + numInterests + " part " + i + "[" + j + "], " + threads + " threads");
                    }
                }
            }
        } finally {
            dev.eimf.internal.tensor.Parallel.setThreads(before);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale + 1e-6, what + "[" + i + "]");
        }
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void releasedBuffersAreReusedWithoutChangingResults(EncoderType type) {
        InterestEncoder reused = create(type, DataType.FLOAT, 1);
        InterestEncoder fresh = create(type, DataType.FLOAT, 1);
        double[][] other = {{1, 1, 0, 0, 0}, {1, 1, 1, 1, 1}, {0, 0, 0, 0, 0}};
        INDArray g = EncoderTestSupport.gaussian(4, DataType.FLOAT, B, K, D);

        InterestEncoder.Pass first = run(reused, EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.FLOAT),
                EncoderTestSupport.mask(MASK, DataType.FLOAT));
        INDArray firstOut = first.interests();
        first.backward(g);
        first.release();
        assertThrows(IllegalStateException.class, first::interests);
        EncoderTestSupport.zeroGrads(reused);

        INDArray x2 = EncoderTestSupport.input(other, D, 1.0, 5, DataType.FLOAT);
        INDArray m2 = EncoderTestSupport.mask(other, DataType.FLOAT);
        InterestEncoder.Pass second = run(reused, x2, m2);
        assertTrue(second.interests() == firstOut, "the released buffer is reused");
        InterestEncoder.Pass ref = run(fresh, x2, m2);
        assertArrayEquals(flat(ref.interests()), flat(second.interests()), 0.0);
        assertArrayEquals(flat(ref.backward(g)), flat(second.backward(g)), 0.0);
        for (int i = 0; i < fresh.parameters().size(); i++) {
            assertArrayEquals(flat(fresh.parameters().get(i).grad()), flat(reused.parameters().get(i).grad()), 0.0);
        }
        // an unreleased pass keeps its buffers
        InterestEncoder.Pass third = run(reused, x2, m2);
        assertTrue(third.interests() != second.interests());
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void rejectsBadInputs(EncoderType type) {
        InterestEncoder enc = create(type, DataType.FLOAT, 1);
        INDArray m = EncoderTestSupport.mask(MASK, DataType.FLOAT);
        INDArray x = EncoderTestSupport.input(MASK, D, 1.0, 3, DataType.FLOAT);
        var rng = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> enc.forward(x.castTo(DataType.DOUBLE), m, true, rng));
        assertThrows(IllegalArgumentException.class, () -> enc.forward(Nd4j.create(DataType.FLOAT, B, T + 1, D), m, true, rng));
        INDArray half = m.dup();
        half.putScalar(0, 1, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.forward(x, half, true, rng));
        assertTrue(e.getMessage().contains("mask[0, 1]"), e.getMessage());
        InterestEncoder.Pass p = enc.forward(x, m, true, rng);
        assertThrows(IllegalArgumentException.class, () -> p.backward(Nd4j.create(DataType.FLOAT, B, K + 1, D)));
        // int masks and non-contiguous inputs are accepted
        INDArray xt = x.permute(1, 0, 2).dup('c').permute(1, 0, 2);
        assertArrayEquals(flat(p.interests()), flat(enc.forward(xt, m.castTo(DataType.INT32), true, new SplittableRandom(1)).interests()), 0.0);
    }

    @ParameterizedTest
    @EnumSource(EncoderType.class)
    void parameterNamesAreStable(EncoderType type) {
        InterestEncoder enc = Encoders.create(EncoderConfig.builder(type).build(), new SplittableRandom(1));
        List<String> names = enc.parameters().stream().map(Param::name).toList();
        List<String> expected = switch (type) {
            case SA -> List.of("sa.position", "sa.w1", "sa.b1", "sa.w2", "sa.b2");
            case DR -> List.of("dr.w");
            case MIND -> List.of("mind.w", "mind.b", "mind.proj_w", "mind.proj_b");
        };
        assertEquals(expected, names);
        for (Param p : enc.parameters()) {
            assertArrayEquals(p.value().shape(), p.grad().shape());
            assertEquals(DataType.FLOAT, p.value().dataType());
        }
        if (type == EncoderType.DR) {
            assertArrayEquals(new long[] {20, 4 * 64, 64}, enc.parameters().get(0).value().shape());
        }
    }
}
