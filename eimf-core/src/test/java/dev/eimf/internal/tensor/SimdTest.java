package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API dot products against plain sums, and the choice {@link Simd} makes. The build runs the
 * tests twice: with {@code --add-modules jdk.incubator.vector} (the Vector API loops) and again for a few
 * classes with {@code -Deimf.vector=false} (the scalar loops).
 */
class SimdTest {

    private static final int[] LENGTHS = {1, 3, 4, 7, 8, 9, 63, 64, 67, 256, 259};

    @Test
    void choiceFollowsTheModuleAndTheProperty() {
        boolean wanted = Boolean.parseBoolean(System.getProperty(Simd.PROPERTY, "true"));
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!wanted || !module) {
            assertFalse(Simd.vectorised(), Simd.description());
            assertTrue(Simd.description().startsWith("scalar loops"), Simd.description());
        } else {
            // on hardware with narrower vectors the scalar loops are right too, and say why
            assertEquals(Simd.vectorised(), Simd.description().startsWith("Java Vector API"), Simd.description());
        }
    }

    @Test
    void vectorDoubleDotsMatchPlainSums() {
        VectorKernels vk = vectorKernels();
        SplittableRandom r = new SplittableRandom(7);
        for (int d : LENGTHS) {
            double[] u = gaussians(r, d);
            double[][] v = {gaussians(r, d), gaussians(r, d), gaussians(r, d), gaussians(r, d)};
            int stride = 5, o = 2;
            double[] out = new double[o + 3 * stride + 1];
            double[] expected = new double[out.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = expected[i] = r.nextGaussian();
            }
            vk.dots4(u, v[0], v[1], v[2], v[3], d, out, o, stride);
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += u[j] * v[k][j];
                }
                expected[o + k * stride] += s;
            }
            for (int i = 0; i < out.length; i++) {
                assertEquals(expected[i], out[i], 1e-12 * (1 + Math.abs(expected[i])), "d=" + d + " element " + i);
            }
        }
    }

    @Test
    void floatDotsMatchPlainSumsWithOrWithoutTheVectorApi() {
        SplittableRandom r = new SplittableRandom(8);
        for (int n : LENGTHS) {
            float[] row = floats(r, n);
            float[][] w = {floats(r, n), floats(r, n), floats(r, n), floats(r, n)};
            int stride = 3, o = 1;
            float[] out = new float[o + 3 * stride + 1];
            java.util.Arrays.fill(out, Float.NaN);
            Kernels.dots4(row, w[0], w[1], w[2], w[3], n, out, o, stride);
            float[] outVector = out.clone();
            if (Simd.vectorised()) {
                vectorKernels().dots4(row, w[0], w[1], w[2], w[3], n, outVector, o, stride);
            }
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += (double) row[j] * w[k][j];
                }
                assertEquals(s, out[o + k * stride], 1e-5 * (1 + Math.sqrt(n)), "n=" + n + " k=" + k);
                assertEquals(s, outVector[o + k * stride], 1e-5 * (1 + Math.sqrt(n)), "n=" + n + " k=" + k);
            }
            assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[2]), "only the four outputs are written");
        }
    }

    @Test
    void vectorDotCapsulesAndSoftmaxMatchPlainLoops() {
        VectorKernels vk = vectorKernels();
        SplittableRandom r = new SplittableRandom(9);
        for (int d : LENGTHS) {
            double[] a = gaussians(r, d + 3), b = gaussians(r, d + 5);
            double plain = 0;
            for (int j = 0; j < d; j++) {
                plain += a[3 + j] * b[5 + j];
            }
            assertEquals(plain, vk.dot(a, 3, b, 5, d), 1e-12 * (1 + d), "dot d=" + d);
        }
        for (int n : new int[] {1, 3, 4, 5, 8, 20, 50}) {
            int d = 64;
            double[][] uu = new double[n][];
            for (int i = 0; i < n; i++) {
                uu[i] = gaussians(r, d);
            }
            double[] logits = gaussians(r, 4 * n);
            logits[0] = 700; // exp overflows without the max subtracted
            double[] c = new double[4 * n];
            vk.softmax4(logits, c, n);
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < 4; k++) {
                    max = Math.max(max, logits[k * n + i]);
                }
                for (int k = 0; k < 4; k++) {
                    sum += Math.exp(logits[k * n + i] - max);
                }
                for (int k = 0; k < 4; k++) {
                    double expected = Math.exp(logits[k * n + i] - max) / sum;
                    assertEquals(expected, c[k * n + i], 1e-15, "softmax n=" + n + " i=" + i + " k=" + k);
                }
            }
            double[][] s = new double[4][d];
            for (double[] row : s) {
                java.util.Arrays.fill(row, Double.NaN); // overwritten, not added to
            }
            vk.capsules4(uu, c, n, s, d);
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < d; j++) {
                    double expected = 0;
                    for (int i = 0; i < n; i++) {
                        expected += c[k * n + i] * uu[i][j];
                    }
                    assertEquals(expected, s[k][j], 1e-13 * (1 + n), "capsule n=" + n + " k=" + k + " j=" + j);
                }
            }
        }
    }

    @Test
    void vectorTanhIsBitForBitTheScalarFmaTanh() {
        VectorKernels vk = vectorKernels();
        int n = 24003; // not a multiple of the vector length: the tail runs too
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = -12f + i * 1e-3f;
        }
        a[5] = Float.NaN;
        a[6] = Float.POSITIVE_INFINITY;
        a[7] = -0f;
        a[8] = Float.NEGATIVE_INFINITY;
        a[9] = 0f;
        a[10] = -Float.MAX_VALUE;
        a[11] = 7.90531110763549805f; // the clamp itself
        float[] b = a.clone();
        vk.tanhFma(a, n);
        Kernels.tanhFloatFma(b, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(b[i]), Float.floatToIntBits(a[i]), "element " + i);
        }
    }

    @Test
    void attentionProductsMatchPlainLoops() {
        SplittableRandom r = new SplittableRandom(10);
        for (int len : new int[] {1, 7, 20, 50}) {
            for (int d : new int[] {64, 67, 8, 3}) {
                float[] x = floats(r, len * d), a = floats(r, 4 * len), g = floats(r, 4 * d);
                float[] v = new float[4 * d], dots = new float[4 * len], rows = floats(r, len * d);
                float[] rows0 = rows.clone();
                Kernels.weightedSums4(x, len, d, a, v);
                Kernels.rowDots4(x, len, d, g, dots);
                Kernels.weightedRows4(a, len, g, d, rows, true);
                float[] fresh = new float[len * d];
                java.util.Arrays.fill(fresh, Float.NaN);
                Kernels.weightedRows4(a, len, g, d, fresh, false);
                for (int k = 0; k < 4; k++) {
                    for (int j = 0; j < d; j++) {
                        double s = 0;
                        for (int t = 0; t < len; t++) {
                            s += (double) a[4 * t + k] * x[t * d + j];
                        }
                        assertEquals(s, v[k * d + j], 1e-5 * (1 + len), "V len=" + len + " d=" + d);
                    }
                }
                for (int t = 0; t < len; t++) {
                    for (int k = 0; k < 4; k++) {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            s += (double) x[t * d + j] * g[k * d + j];
                        }
                        assertEquals(s, dots[4 * t + k], 1e-5 * (1 + d), "dA len=" + len + " d=" + d);
                    }
                    for (int j = 0; j < d; j++) {
                        double s = 0;
                        for (int k = 0; k < 4; k++) {
                            s += (double) a[4 * t + k] * g[k * d + j];
                        }
                        assertEquals(rows0[t * d + j] + s, rows[t * d + j], 1e-5, "dX += len=" + len + " d=" + d);
                        assertEquals(s, fresh[t * d + j], 1e-5, "dX = len=" + len + " d=" + d);
                    }
                }
            }
        }
    }

    private static VectorKernels vectorKernels() {
        assumeTrue(Simd.vectorised(), "Vector API loops not in use here: " + Simd.description());
        return Simd.KERNELS;
    }

    private static double[] gaussians(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    private static float[] floats(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
