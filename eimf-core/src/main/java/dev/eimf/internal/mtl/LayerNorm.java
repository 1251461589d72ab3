package dev.eimf.internal.mtl;

/**
 * Layer norm over the last axis with learnable gain and bias: {@code y = gain * (x - mean) / sqrt(var + eps) + bias},
 * var the biased (population) variance, as in PyTorch's {@code nn.LayerNorm}. Rows are short (d), so plain loops.
 */
final class LayerNorm {
    private LayerNorm() {
    }

    /** What backward needs: the normalised inputs and each row's 1/sqrt(var + eps). */
    record Cache(double[][] xhat, double[] invStd, double[][] y) {
    }

    static Cache forward(double[][] x, double[] gain, double[] bias, double eps) {
        int n = x.length;
        int d = gain.length;
        double[][] xhat = new double[n][d];
        double[][] y = new double[n][d];
        double[] invStd = new double[n];
        for (int r = 0; r < n; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r][i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                double c = x[r][i] - mean;
                var += c * c;
            }
            var /= d;
            double inv = 1.0 / Math.sqrt(var + eps);
            invStd[r] = inv;
            for (int i = 0; i < d; i++) {
                xhat[r][i] = (x[r][i] - mean) * inv;
                y[r][i] = gain[i] * xhat[r][i] + bias[i];
            }
        }
        return new Cache(xhat, invStd, y);
    }

    /**
     * Back-propagates {@code dy}: adds into {@code dGain} and {@code dBias} and returns dL/dx.
     */
    static double[][] backward(Cache c, double[][] dy, double[] gain, double[] dGain, double[] dBias) {
        int n = dy.length;
        int d = gain.length;
        double[][] dx = new double[n][d];
        double[] dxhat = new double[d];
        for (int r = 0; r < n; r++) {
            double meanD = 0;
            double meanDX = 0;
            for (int i = 0; i < d; i++) {
                dGain[i] += dy[r][i] * c.xhat[r][i];
                dBias[i] += dy[r][i];
                dxhat[i] = dy[r][i] * gain[i];
                meanD += dxhat[i];
                meanDX += dxhat[i] * c.xhat[r][i];
            }
            meanD /= d;
            meanDX /= d;
            for (int i = 0; i < d; i++) {
                dx[r][i] = c.invStd[r] * (dxhat[i] - meanD - c.xhat[r][i] * meanDX);
            }
        }
        return dx;
    }
}
