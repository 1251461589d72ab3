package dev.eimf.internal.ibim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eimf.internal.tensor.Kernels;
import dev.eimf.internal.tensor.Simd;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The Vector API form of SA's hidden backward for a pair of rows gives the scalar form's bits. */
class SaPairBackwardTest {

    @Test
    void vectorPairBackwardIsBitForBitTheScalarOne() {
        Assumptions.assumeTrue(Simd.vectorised(), Simd.description());
        SplittableRandom r = new SplittableRandom(3);
        for (int h : new int[] {256, 259, 5}) {
            for (int dtCase = 0; dtCase < 3; dtCase++) { // no per-position sums, two rows, one row twice
                float[] y1 = tanhs(r, h), y2 = tanhs(r, h), g1 = floats(r, 4), g2 = floats(r, 4);
                float[][] w2 = {floats(r, h), floats(r, h), floats(r, h), floats(r, h)};
                float[][] dw2 = {floats(r, h), floats(r, h), floats(r, h), floats(r, h)};
                float[] db1 = floats(r, h), dtA = floats(r, h), dtB = floats(r, h);
                float[][] dw2s = {dw2[0].clone(), dw2[1].clone(), dw2[2].clone(), dw2[3].clone()};
                float[] db1s = db1.clone(), dtAs = dtA.clone(), dtBs = dtB.clone();
                float[] dh1 = new float[h], dh2 = new float[h], dh1s = new float[h], dh2s = new float[h];
                float[] d1 = dtCase == 0 ? null : dtA, d2 = dtCase == 0 ? null : dtCase == 1 ? dtB : dtA;
                float[] s1 = dtCase == 0 ? null : dtAs, s2 = dtCase == 0 ? null : dtCase == 1 ? dtBs : dtAs;
                Kernels.pairBackward4(y1, g1, y2, g2, h, w2, dw2, db1, d1, d2, dh1, dh2);
                SelfAttentiveEncoder.SaPass.pairBackward4Scalar(y1, g1, y2, g2, h, w2, dw2s, db1s, s1, s2, dh1s, dh2s);
                String at = "h=" + h + " case " + dtCase;
                same(dh1s, dh1, at + " dh1");
                same(dh2s, dh2, at + " dh2");
                same(db1s, db1, at + " db1");
                for (int k = 0; k < 4; k++) {
                    same(dw2s[k], dw2[k], at + " dW2 " + k);
                }
                same(dtAs, dtA, at + " dt A");
                same(dtBs, dtB, at + " dt B");
            }
        }
    }

    private static void same(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + " at " + i);
        }
    }

    private static float[] floats(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static float[] tanhs(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) Math.tanh(2 * r.nextGaussian());
        }
        return a;
    }
}
