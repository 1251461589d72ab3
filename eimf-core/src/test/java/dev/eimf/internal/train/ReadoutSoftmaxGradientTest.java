package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Finite-difference proofs of hard readout + sampled softmax, in double precision. */
class ReadoutSoftmaxGradientTest {
    private static final int N = 30;
    private static final int D = 5;
    private static final int B = 4;
    private static final int K = 3;

    private static INDArray randn(SplittableRandom r, long... shape) {
        long len = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[(int) len];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(DataType.DOUBLE);
    }

    private static double loss(INDArray interests, INDArray table, int[] targets, Candidates negs) {
        INDArray eT = Nd4j.pullRows(table, 1, targets);
        HardReadout.Result r = HardReadout.forward(interests, eT);
        return new SampledSoftmax().forwardBackward(r.user(), targets, table, negs,
                new TableGradient((int) table.size(0), (int) table.size(1))).loss();
    }

    /** Negatives that contain target 7 (accidental hit for user 0), with log-uniform expected counts. */
    private static Candidates fixedNegatives() {
        CandidateSampler sampler = new LogUniformSampler(N);
        int[] ids = {3, 7, 12, 1, 25, 18, 2, 9};
        int tries = 17;
        double[] ec = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ec[i] = CandidateSampler.expectedCount(sampler.probability(ids[i]), ids.length, tries);
        }
        return new Candidates(ids, ec, tries, sampler);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(11);
        INDArray table = randn(r, N + 1, D);
        INDArray interests = randn(r, B, K, D);
        int[] targets = {7, 3, 21, 7}; // duplicate target, a target among negatives, one outside
        Candidates negs = fixedNegatives();

        INDArray eT = Nd4j.pullRows(table, 1, targets);
        HardReadout.Result ro = HardReadout.forward(interests, eT);
        TableGradient tg = new TableGradient(N + 1, D);
        SampledSoftmax.Result res = new SampledSoftmax().forwardBackward(ro.user(), targets, table, negs, tg);
        INDArray dInterests = HardReadout.backward(ro, res.dUser());
        assertEquals(loss(interests, table, targets, negs), res.loss(), 1e-12);

        double h = 1e-6;
        for (int i = 0; i < interests.length(); i++) {
            double old = interests.getDouble(i);
            interests.putScalar(i, old + h);
            double lp = loss(interests, table, targets, negs);
            interests.putScalar(i, old - h);
            double lm = loss(interests, table, targets, negs);
            interests.putScalar(i, old);
            double fd = (lp - lm) / (2 * h);
            assertEquals(fd, dInterests.getDouble(i), 1e-8, "d interests element " + i);
        }
        for (int row = 0; row <= N; row++) {
            double[] analytic = tg.gradientOf(row);
            for (int c = 0; c < D; c++) {
                double old = table.getDouble(row, c);
                table.putScalar(row, c, old + h);
                double lp = loss(interests, table, targets, negs);
                table.putScalar(row, c, old - h);
                double lm = loss(interests, table, targets, negs);
                table.putScalar(row, c, old);
                double fd = (lp - lm) / (2 * h);
                assertEquals(fd, analytic[c], 1e-8, "d table row " + row + " col " + c);
            }
        }
        // The rows with a gradient are exactly the true items and the negatives.
        int[] rows = tg.rows();
        Arrays.sort(rows);
        assertArrayEquals(new int[] {1, 2, 3, 7, 9, 12, 18, 21, 25}, rows);
    }

    @Test
    void readoutPicksArgmaxAndRoutesGradientThere() {
        INDArray interests = Nd4j.createFromArray(new double[][][] {{{1, 0}, {0, 1}, {-1, 0}}}).castTo(DataType.DOUBLE);
        INDArray target = Nd4j.createFromArray(new double[][] {{0.2, 0.9}});
        HardReadout.Result r = HardReadout.forward(interests, target);
        assertEquals(1, r.chosen()[0]);
        assertArrayEquals(new double[] {0, 1}, r.user().toDoubleVector(), 0);
        INDArray d = HardReadout.backward(r, Nd4j.createFromArray(new double[][] {{3, 4}}));
        assertArrayEquals(new double[] {0, 0, 3, 4, 0, 0}, d.reshape(6).toDoubleVector(), 0);
    }

    /**
     * The readout of a batch large enough to be split across threads, for K = 4 (its own loop) and other
     * K, against a plain argmax with the first index winning ties; ties are planted by duplicated
     * interests.
     */
    @Test
    void readoutMatchesPlainArgmaxForAnyKAndTies() {
        SplittableRandom r = new SplittableRandom(5);
        for (int k : new int[] {1, 3, 4, 5}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                int b = 200, d = 16;
                INDArray interests = randn(r, b, k, d).castTo(type);
                INDArray targets = randn(r, b, d).castTo(type);
                for (int i = 0; i < b; i += 3) { // interest k-1 repeats interest 0: argmax must keep the first
                    interests.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(k - 1))
                            .assign(interests.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
                }
                HardReadout.Result res = HardReadout.forward(interests, targets);
                double[] v = interests.castTo(DataType.DOUBLE).reshape(b * k * d).toDoubleVector();
                double[] t = targets.castTo(DataType.DOUBLE).reshape(b * d).toDoubleVector();
                double[] user = res.user().castTo(DataType.DOUBLE).reshape(b * d).toDoubleVector();
                for (int i = 0; i < b; i++) {
                    int best = 0;
                    double bestScore = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < k; j++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += v[(i * k + j) * d + c] * t[i * d + c];
                        }
                        if (s > bestScore) {
                            bestScore = s;
                            best = j;
                        }
                    }
                    assertEquals(best, res.chosen()[i], "user " + i + ", K " + k + ", " + type);
                    assertArrayEquals(Arrays.copyOfRange(v, (i * k + best) * d, (i * k + best + 1) * d),
                            Arrays.copyOfRange(user, i * d, (i + 1) * d), 0, "user " + i + ", K " + k);
                }
            }
        }
    }

    @Test
    void lossMatchesDirectFormulaAndAccidentalHitIsRemoved() {
        SplittableRandom r = new SplittableRandom(5);
        INDArray table = randn(r, N + 1, D);
        INDArray user = randn(r, 1, D);
        Candidates negs = fixedNegatives(); // contains 7
        int[] target = {7};
        double got = new SampledSoftmax().forwardBackward(user, target, table, negs, new TableGradient(N + 1, D)).loss();

        // Direct: softmax cross-entropy over [true, negatives except the hit], each logit minus log Q.
        double[] u = user.toDoubleVector();
        double zTrue = dot(u, table.getRow(7).toDoubleVector()) - Math.log(negs.expectedCount(7));
        double sum = Math.exp(zTrue);
        for (int j = 0; j < negs.size(); j++) {
            if (negs.ids()[j] != 7) {
                sum += Math.exp(dot(u, table.getRow(negs.ids()[j]).toDoubleVector()) - Math.log(negs.expectedCounts()[j]));
            }
        }
        assertEquals(Math.log(sum) - zTrue, got, 1e-12);

        // Removing the hit from the candidates entirely gives the same loss and no gradient to the
        // hit's sampled copy: row 7 only gets its true-class gradient.
        int[] ids = {3, 12, 1, 25, 18, 2, 9};
        double[] ec = new double[ids.length];
        for (int i = 0, j = 0; i < negs.size(); i++) {
            if (negs.ids()[i] != 7) {
                ec[j++] = negs.expectedCounts()[i];
            }
        }
        Candidates without = new Candidates(ids, ec, negs.numTries(), negs.sampler());
        TableGradient g1 = new TableGradient(N + 1, D);
        TableGradient g2 = new TableGradient(N + 1, D);
        SampledSoftmax.Result a = new SampledSoftmax().forwardBackward(user, target, table, negs, g1);
        SampledSoftmax.Result b = new SampledSoftmax().forwardBackward(user, target, table, without, g2);
        assertEquals(b.loss(), a.loss(), 1e-12);
        assertArrayEquals(g2.gradientOf(7), g1.gradientOf(7), 1e-12);
        assertArrayEquals(b.dUser().toDoubleVector(), a.dUser().toDoubleVector(), 1e-12);
        assertTrue(a.loss() > 0);
    }

    @Test
    void floatTableGivesSameLossAsDouble() {
        SplittableRandom r = new SplittableRandom(8);
        INDArray table = randn(r, N + 1, D);
        INDArray user = randn(r, B, D);
        int[] targets = {1, 2, 3, 4};
        Candidates negs = new LogUniformSampler(N).sample(10, new SplittableRandom(3));
        double ld = new SampledSoftmax().forwardBackward(user, targets, table, negs, new TableGradient(N + 1, D)).loss();
        double lf = new SampledSoftmax().forwardBackward(user.castTo(DataType.FLOAT), targets,
                table.castTo(DataType.FLOAT), negs, new TableGradient(N + 1, D)).loss();
        assertEquals(ld, lf, 1e-5);
    }

    /**
     * The FLOAT path (float rows, polynomial exp, blocks of users per thread) against the DOUBLE path
     * that the finite-difference tests prove: loss, dUser and every table row's gradient, on a batch
     * large enough to be split across threads, with accidental hits and large logits.
     */
    @Test
    void floatPathMatchesDoublePathIncludingGradients() {
        int n = 400;
        int d = 16;
        int b = 53;
        SplittableRandom r = new SplittableRandom(11);
        INDArray table = randn(r, n + 1, d).muli(2.0);
        INDArray user = randn(r, b, d).muli(2.0);
        int[] targets = new int[b];
        for (int i = 0; i < b; i++) {
            targets[i] = 1 + r.nextInt(n);
        }
        Candidates negs = new LogUniformSampler(n).sample(150, new SplittableRandom(4));
        int hits = 0;
        for (int t : targets) {
            for (int id : negs.ids()) {
                hits += id == t ? 1 : 0;
            }
        }
        assertTrue(hits > 0, "the sample should contain accidental hits");
        for (int threads : new int[] {1, 2, 3}) {
            int before = dev.eimf.internal.tensor.Parallel.threads();
            dev.eimf.internal.tensor.Parallel.setThreads(threads);
            try {
                TableGradient gd = new TableGradient(n + 1, d);
                TableGradient gf = new TableGradient(n + 1, d);
                SampledSoftmax.Result rd = new SampledSoftmax().forwardBackward(user, targets, table, negs, gd);
                SampledSoftmax.Result rf = new SampledSoftmax().forwardBackward(user.castTo(DataType.FLOAT), targets,
                        table.castTo(DataType.FLOAT), negs, gf);
                assertEquals(rd.loss(), rf.loss(), 1e-5 * Math.abs(rd.loss()));
                double[] dd = rd.dUser().reshape(-1).toDoubleVector();
                double[] df = rf.dUser().reshape(-1).toDoubleVector();
                for (int i = 0; i < dd.length; i++) {
                    assertEquals(dd[i], df[i], 1e-5, "dUser[" + i + "] with " + threads + " threads");
                }
                assertArrayEquals(gd.rows(), gf.rows());
                for (int row : gd.rows()) {
                    assertArrayEquals(gd.gradientOf(row), gf.gradientOf(row), 1e-5, "table row " + row);
                }
            } finally {
                dev.eimf.internal.tensor.Parallel.setThreads(before);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
