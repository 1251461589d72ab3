package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class KernelsTest {

    @Test
    void transposeMovesEveryElementAndLeavesTheRestAlone() {
        int rows = 3, cols = 5;
        double[] a = new double[2 + rows * cols + 4 + rows * cols + 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = -1 - i;
        }
        int src = 2, dst = 2 + rows * cols + 4;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[src + r * cols + c] = 10 * r + c;
            }
        }
        double[] before = a.clone();
        Kernels.transpose(a, src, rows, cols, a, dst);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(10 * r + c, a[dst + c * rows + r], "element (" + r + ", " + c + ")");
            }
        }
        for (int i = 0; i < a.length; i++) {
            if (i < dst || i >= dst + rows * cols) {
                assertEquals(before[i], a[i], "index " + i + " outside the destination");
            }
        }
    }

    @Test
    void fastTanhIsWithinFloatPrecision() {
        double worst = 0;
        for (float x = -12f; x <= 12f; x += 1e-3f) {
            worst = Math.max(worst, Math.abs(Kernels.tanhFloat(x) - Math.tanh(x)));
        }
        assertEquals(0.0, worst, 5e-7);
        assertEquals(0f, Kernels.tanhFloat(0f), 0f);
        assertEquals(1f, Kernels.tanhFloat(100f), 1e-6f);
    }

    @Test
    void bothArrayFormsOfTheFastTanhAreAccurate() {
        int n = 24001;
        float[] plain = new float[n];
        for (int i = 0; i < n; i++) {
            plain[i] = -12f + i * 1e-3f;
        }
        float[] fma = plain.clone();
        float[] x = plain.clone();
        Kernels.tanhFloatPlain(plain, n);
        Kernels.tanhFloatFma(fma, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.tanh(x[i]), plain[i], 5e-7);
            assertEquals(Math.tanh(x[i]), fma[i], 5e-7);
        }
    }

    @Test
    void biasAndTanhAgreeAcrossTypes() {
        Buf f = Buf.zeros(DataType.FLOAT, 3, 5);
        Buf d = Buf.zeros(DataType.DOUBLE, 3, 5);
        Buf bf = Buf.zeros(DataType.FLOAT, 5);
        Buf bd = Buf.zeros(DataType.DOUBLE, 5);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 15; i++) {
            float v = (float) (3 * r.nextGaussian());
            f.set(i, v);
            d.set(i, v);
        }
        for (int j = 0; j < 5; j++) {
            bf.set(j, j - 2f);
            bd.set(j, j - 2f);
        }
        Buf zf = Buf.zeros(DataType.FLOAT, 3, 5);
        Buf zd = Buf.zeros(DataType.DOUBLE, 3, 5);
        Kernels.fillRows(zf, 3, 5, bf);
        Kernels.fillRows(zd, 3, 5, bd);
        for (int i = 0; i < 15; i++) {
            zf.add(i, f.get(i));
            zd.add(i, d.get(i));
        }
        Kernels.tanhInPlace(zf, 15);
        Kernels.tanhInPlace(zd, 15);
        for (int i = 0; i < 15; i++) {
            assertEquals(Math.tanh(d.get(i) + (i % 5) - 2), zd.get(i), 1e-15);
            assertEquals(zd.get(i), zf.get(i), 1e-6);
        }
        // longer than one heap chunk
        Buf big = Buf.zeros(DataType.FLOAT, 10000);
        for (int i = 0; i < 10000; i++) {
            big.set(i, (i - 5000) / 500.0);
        }
        Kernels.tanhInPlace(big, 10000);
        for (int i = 0; i < 10000; i += 7) {
            assertEquals(Math.tanh((float) ((i - 5000) / 500.0)), big.get(i), 1e-6);
        }
    }

    @Test
    void squashBackwardMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int d = 6;
        for (double scale : new double[] {0.05, 1.0, 20.0}) {
            double[] s = new double[d];
            double[] g = new double[d];
            for (int j = 0; j < d; j++) {
                s[j] = scale * r.nextGaussian();
                g[j] = r.nextGaussian();
            }
            double[] ds = new double[d];
            Kernels.squashBackward(s, 0, d, g, 0, ds, 0);
            double h = 1e-6 * Math.max(1, scale);
            for (int j = 0; j < d; j++) {
                double old = s[j];
                s[j] = old + h;
                double lp = dot(squash(s), g);
                s[j] = old - h;
                double lm = dot(squash(s), g);
                s[j] = old;
                double num = (lp - lm) / (2 * h);
                assertEquals(num, ds[j], 1e-6 * Math.max(1, Math.abs(num)), "scale " + scale + " j " + j);
            }
        }
    }

    @Test
    void squashShrinksShortAndKeepsLongVectorsBelowOne() {
        double[] v = new double[2];
        Kernels.squash(new double[] {3, 4}, 0, 2, v, 0);
        assertEquals(25.0 / 26.0, Math.hypot(v[0], v[1]), 1e-10); // up to the 1e-9 inside the root
        Kernels.squash(new double[] {0, 0}, 0, 2, v, 0);
        assertEquals(0.0, v[0], 0.0);
    }

    private static double[] squash(double[] s) {
        double[] v = new double[s.length];
        Kernels.squash(s, 0, s.length, v, 0);
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void fastExpIsWithinFloatPrecisionAndSumsWhatItWrites() {
        int n = 200_001;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = -100f + 188f * i / (n - 1); // -100 .. 88, past both clamps
        }
        float[] x = z.clone();
        double sum = Kernels.expShiftInPlace(z, 0, n, 0f, new float[n]);
        double worst = 0;
        double check = 0;
        for (int i = 0; i < n; i++) {
            check += z[i];
            double e = Math.exp(x[i]);
            if (x[i] >= -87f && x[i] <= 88f) {
                worst = Math.max(worst, Math.abs(z[i] - e) / e);
            } else if (x[i] < -87.3f) {
                assertEquals(0.0, z[i], 2e-38, "clamped below at " + x[i]);
            }
        }
        assertEquals(0.0, worst, 2e-7);
        assertEquals(check, sum, 1e-9 * check);
        float[] one = {5f, Float.NEGATIVE_INFINITY, 3f};
        double s = Kernels.expShiftInPlace(one, 0, 3, 5f, new float[3]);
        assertEquals(1f, one[0], 0f);
        assertEquals(Math.exp(-2), one[2], 1e-7);
        assertEquals(0.0, one[1], 2e-38);
        assertEquals(1 + Math.exp(-2), s, 1e-6);
    }

    @Test
    void floatReluStepIsOneForEveryPositiveFloat() {
        float[] y = {Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 0.5f, 4f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            0f, -0f, -Float.MIN_VALUE, -3f, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] expected = {2f, 2f, 2f, 2f, 2f, 2f, 2f, 0f, 0f, 0f, 0f, 0f, Float.NaN};
        float[] g = new float[y.length];
        java.util.Arrays.fill(g, 2f);
        Kernels.reluStepTimes(g, y, y.length);
        for (int i = 0; i < y.length; i++) {
            assertEquals(expected[i], g[i], 0f, "y = " + y[i]);
        }
    }

    @Test
    void reluKernelsTouchOnlyTheirWindowAndMatchTheDefinition() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            int n = 9000; // more than two internal chunks (1,024 in double, 4,096 in float)
            int off = 7, len = 8500;
            SplittableRandom rng = new SplittableRandom(5);
            Buf x = Buf.zeros(type, n);
            Buf g = Buf.zeros(type, n);
            double[] x0 = new double[n];
            double[] g0 = new double[n];
            for (int i = 0; i < n; i++) {
                x0[i] = i % 97 == 0 ? 0.0 : rng.nextGaussian();
                g0[i] = rng.nextGaussian();
                x.set(i, x0[i]);
                g.set(i, g0[i]);
                x0[i] = x.get(i);
                g0[i] = g.get(i);
            }
            Kernels.reluInPlace(x, off, len);
            Kernels.reluBackwardInPlace(g, x, off, len);
            for (int i = 0; i < n; i++) {
                boolean in = i >= off && i < off + len;
                double y = in ? Math.max(x0[i], 0.0) : x0[i];
                assertEquals(y, x.get(i), 0.0, type + " relu at " + i);
                double dg = in ? (y > 0 ? g0[i] : 0.0) : g0[i];
                assertEquals(dg, g.get(i), 0.0, type + " relu backward at " + i);
            }
            Buf rows = Buf.zeros(type, 3, 4);
            Buf bias = Buf.zeros(type, 4);
            for (int j = 0; j < 4; j++) {
                bias.set(j, j - 1.5);
            }
            Kernels.addBiasRelu(rows, 3, 4, bias);
            for (int i = 0; i < 12; i++) {
                assertEquals(Math.max(i % 4 - 1.5, 0.0), rows.get(i), 0.0, type + " bias relu at " + i);
            }
        }
    }
}
