package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LayerNormTest {
    private static final double H = 1e-6;

    @Test
    void normalisesRows() {
        double[][] x = {{1, 2, 3, 6}};
        LayerNorm.Cache c = LayerNorm.forward(x, new double[] {1, 1, 1, 1}, new double[4], 0);
        double mean = 0;
        double var = 0;
        for (double y : c.y()[0]) {
            mean += y / 4;
        }
        for (double y : c.y()[0]) {
            var += (y - mean) * (y - mean) / 4;
        }
        assertEquals(0, mean, 1e-12);
        assertEquals(1, var, 1e-12);
        // (1 - 3) / sqrt(3.5): population variance of {1,2,3,6} is 3.5
        assertEquals(-2 / Math.sqrt(3.5), c.y()[0][0], 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 4;
        int d = 5;
        double[][] x = rand(rng, n, d);
        double[] gain = rand(rng, 1, d)[0];
        double[] bias = rand(rng, 1, d)[0];
        double[][] r = rand(rng, n, d);
        double eps = 1e-5;

        LayerNorm.Cache c = LayerNorm.forward(x, gain, bias, eps);
        double[] dGain = new double[d];
        double[] dBias = new double[d];
        double[][] dx = LayerNorm.backward(c, r, gain, dGain, dBias);

        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double o = x[i][j];
                x[i][j] = o + H;
                double up = objective(x, gain, bias, r, eps);
                x[i][j] = o - H;
                double down = objective(x, gain, bias, r, eps);
                x[i][j] = o;
                assertClose(dx[i][j], (up - down) / (2 * H), "dx[" + i + "][" + j + "]");
            }
        }
        for (int j = 0; j < d; j++) {
            double o = gain[j];
            gain[j] = o + H;
            double up = objective(x, gain, bias, r, eps);
            gain[j] = o - H;
            double down = objective(x, gain, bias, r, eps);
            gain[j] = o;
            assertClose(dGain[j], (up - down) / (2 * H), "dGain[" + j + "]");
            o = bias[j];
            bias[j] = o + H;
            up = objective(x, gain, bias, r, eps);
            bias[j] = o - H;
            down = objective(x, gain, bias, r, eps);
            bias[j] = o;
            assertClose(dBias[j], (up - down) / (2 * H), "dBias[" + j + "]");
        }
    }

    private static void assertClose(double a, double n, String what) {
        double err = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), 1e-4);
        assertEquals(0, err, 1e-6, what + ": analytic " + a + " numeric " + n);
    }

    private static double objective(double[][] x, double[] gain, double[] bias, double[][] r, double eps) {
        double[][] y = LayerNorm.forward(x, gain, bias, eps).y();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y[i].length; j++) {
                s += r[i][j] * y[i][j];
            }
        }
        return s;
    }

    private static double[][] rand(SplittableRandom rng, int n, int d) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return out;
    }
}
