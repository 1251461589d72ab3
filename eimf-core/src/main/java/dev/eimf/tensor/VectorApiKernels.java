package dev.eimf.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels} on the Java Vector API. Only {@link Simd} names this class, by reflection, and
 * only when {@code jdk.incubator.vector} is in the boot layer; nothing else may refer to it, or the class
 * loader would need the module everywhere.
 *
 * <p>The species are fixed at 256 bits rather than the platform's preferred size, so that the order of
 * the additions, and with it every rounding, is the same on every machine that runs this class.
 */
final class VectorApiKernels implements VectorKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    /**
     * Fails where 256-bit vectors would be emulated (slower than the scalar loops they replace).
     *
     * @throws UnsupportedOperationException on hardware with narrower vectors
     */
    VectorApiKernels() {
        if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("preferred vectors are "
                    + DoubleVector.SPECIES_PREFERRED.vectorBitSize() + " bits, below 256");
        }
    }

    @Override
    public void dots4(double[] u, double[] v0, double[] v1, double[] v2, double[] v3, int d, double[] out, int o,
                      int stride) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (int bound = D.loopBound(d); j < bound; j += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, u, j);
            a0 = x.fma(DoubleVector.fromArray(D, v0, j), a0);
            a1 = x.fma(DoubleVector.fromArray(D, v1, j), a1);
            a2 = x.fma(DoubleVector.fromArray(D, v2, j), a2);
            a3 = x.fma(DoubleVector.fromArray(D, v3, j), a3);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        double s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
            double x = u[j];
            s0 += x * v0[j];
            s1 += x * v1[j];
            s2 += x * v2[j];
            s3 += x * v3[j];
        }
        out[o] += s0;
        out[o + stride] += s1;
        out[o + 2 * stride] += s2;
        out[o + 3 * stride] += s3;
    }

    /**
     * Eight accumulators (two vectors of each capsule) stay in registers over all positions: with one
     * vector per capsule the loop waited on the four chains of fused multiply-adds.
     */
    @Override
    public void capsules4(double[][] uu, double[] c, int n, double[][] s, int d) {
        double[] s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        final int w = D.length();
        int j = 0;
        for (; j + 2 * w <= d; j += 2 * w) {
            DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
            DoubleVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int i = 0; i < n; i++) {
                double[] ui = uu[i];
                DoubleVector x = DoubleVector.fromArray(D, ui, j), y = DoubleVector.fromArray(D, ui, j + w);
                DoubleVector c0 = DoubleVector.broadcast(D, c[i]), c1 = DoubleVector.broadcast(D, c[n + i]);
                DoubleVector c2 = DoubleVector.broadcast(D, c[2 * n + i]), c3 = DoubleVector.broadcast(D, c[3 * n + i]);
                a0 = x.fma(c0, a0);
                b0 = y.fma(c0, b0);
                a1 = x.fma(c1, a1);
                b1 = y.fma(c1, b1);
                a2 = x.fma(c2, a2);
                b2 = y.fma(c2, b2);
                a3 = x.fma(c3, a3);
                b3 = y.fma(c3, b3);
            }
            a0.intoArray(s0, j);
            b0.intoArray(s0, j + w);
            a1.intoArray(s1, j);
            b1.intoArray(s1, j + w);
            a2.intoArray(s2, j);
            b2.intoArray(s2, j + w);
            a3.intoArray(s3, j);
            b3.intoArray(s3, j + w);
        }
        for (; j < d; j++) {
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (int i = 0; i < n; i++) {
                double x = uu[i][j];
                t0 = Math.fma(x, c[i], t0);
                t1 = Math.fma(x, c[n + i], t1);
                t2 = Math.fma(x, c[2 * n + i], t2);
                t3 = Math.fma(x, c[3 * n + i], t3);
            }
            s0[j] = t0;
            s1[j] = t1;
            s2[j] = t2;
            s3[j] = t3;
        }
    }

    /** Two vectors of partial sums, to halve the chain of dependent fused multiply-adds. */
    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int n) {
        final int w = D.length();
        DoubleVector p = DoubleVector.zero(D), q = p;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w) {
            p = DoubleVector.fromArray(D, a, ao + j).fma(DoubleVector.fromArray(D, b, bo + j), p);
            q = DoubleVector.fromArray(D, a, ao + j + w).fma(DoubleVector.fromArray(D, b, bo + j + w), q);
        }
        double sum = p.add(q).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            sum += a[ao + j] * b[bo + j];
        }
        return sum;
    }

    /** Four positions per vector; the exponential is the Vector API's (an intrinsic on x86). */
    @Override
    public void softmax4(double[] logits, double[] c, int n) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector l0 = DoubleVector.fromArray(D, logits, i), l1 = DoubleVector.fromArray(D, logits, n + i);
            DoubleVector l2 = DoubleVector.fromArray(D, logits, 2 * n + i);
            DoubleVector l3 = DoubleVector.fromArray(D, logits, 3 * n + i);
            DoubleVector m = l0.max(l1).max(l2).max(l3);
            DoubleVector e0 = l0.sub(m).lanewise(VectorOperators.EXP), e1 = l1.sub(m).lanewise(VectorOperators.EXP);
            DoubleVector e2 = l2.sub(m).lanewise(VectorOperators.EXP), e3 = l3.sub(m).lanewise(VectorOperators.EXP);
            DoubleVector sum = e0.add(e1).add(e2).add(e3);
            e0.div(sum).intoArray(c, i);
            e1.div(sum).intoArray(c, n + i);
            e2.div(sum).intoArray(c, 2 * n + i);
            e3.div(sum).intoArray(c, 3 * n + i);
        }
        for (; i < n; i++) {
            double l0 = logits[i], l1 = logits[n + i], l2 = logits[2 * n + i], l3 = logits[3 * n + i];
            double m = Math.max(Math.max(Math.max(l0, l1), l2), l3);
            double e0 = Math.exp(l0 - m), e1 = Math.exp(l1 - m), e2 = Math.exp(l2 - m), e3 = Math.exp(l3 - m);
            double sum = ((e0 + e1) + e2) + e3;
            c[i] = e0 / sum;
            c[n + i] = e1 / sum;
            c[2 * n + i] = e2 / sum;
            c[3 * n + i] = e3 / sum;
        }
    }

    @Override
    public void dots4(float[] row, float[] w0, float[] w1, float[] w2, float[] w3, int n, float[] out, int o,
                      int stride) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, row, j);
            a0 = x.fma(FloatVector.fromArray(F, w0, j), a0);
            a1 = x.fma(FloatVector.fromArray(F, w1, j), a1);
            a2 = x.fma(FloatVector.fromArray(F, w2, j), a2);
            a3 = x.fma(FloatVector.fromArray(F, w3, j), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float x = row[j];
            s0 += x * w0[j];
            s1 += x * w1[j];
            s2 += x * w2[j];
            s3 += x * w3[j];
        }
        out[o] = s0;
        out[o + stride] = s1;
        out[o + 2 * stride] = s2;
        out[o + 3 * stride] = s3;
    }
}
