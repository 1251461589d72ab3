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
