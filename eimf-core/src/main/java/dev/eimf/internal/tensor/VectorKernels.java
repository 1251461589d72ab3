package dev.eimf.internal.tensor;

/**
 * The loops whose speed depends on explicit SIMD: reductions, which C2 leaves scalar because
 * floating-point sums may not be reordered, and products too small for a BLAS call. Implemented with
 * {@code jdk.incubator.vector} by {@code VectorApiKernels}, which is loaded only when that module is
 * present (see {@link Simd}); callers keep their own scalar forms for when it is not.
 */
interface VectorKernels {

    /**
     * Adds {@code u . v_k} to {@code out[o + k stride]} for k = 0..3, over {@code d} elements.
     */
    void dots4(double[] u, double[] v0, double[] v1, double[] v2, double[] v3, int d, double[] out, int o,
               int stride);

    /**
     * {@code out[o + k stride] = row . w_k} for k = 0..3, over {@code n} elements.
     */
    void dots4(float[] row, float[] w0, float[] w1, float[] w2, float[] w3, int n, float[] out, int o, int stride);

    /**
     * {@code s_k = sum_i c[k n + i] u_i} over {@code i < n} for k = 0..3, each {@code s_k} overwritten
     * over {@code d} elements.
     */
    void capsules4(double[][] uu, double[] c, int n, double[][] s, int d);

    /**
     * For each {@code i < n}: {@code c[k n + i] = softmax over k of logits[k n + i]}, k = 0..3 (the
     * routing's coupling, four interests).
     */
    void softmax4(double[] logits, double[] c, int n);

    /** {@code a[ao..ao+n) . b[bo..bo+n)}. */
    double dot(double[] a, int ao, double[] b, int bo, int n);

    /** {@code out[k d + j] = sum_{t < len} a[4 t + k] x[t d + j]} for k = 0..3, j < d. */
    void weightedSums4(float[] x, int len, int d, float[] a, float[] out);

    /** {@code out[4 t + k] = x[t d ..] . g[k d ..]} over d elements, for t < len, k = 0..3. */
    void rowDots4(float[] x, int len, int d, float[] g, float[] out);

    /**
     * {@code out[t d + j] = (accumulate ? out[t d + j] : 0) + sum_k a[4 t + k] g[k d + j]} for t < len,
     * j < d, k = 0..3.
     */
    void weightedRows4(float[] a, int len, float[] g, int d, float[] out, boolean accumulate);

    /**
     * {@code a[i] = tanh(a[i])} for {@code i < n} by the rational approximation of
     * {@code Kernels.tanhFloatFma}, operation for operation (so bit for bit) the same.
     */
    void tanhFma(float[] a, int n);

    /**
     * ComiRec-SA's hidden-layer backward for two rows and K = 4, in one pass: for each row r of the
     * pair, {@code dh_r = sum_k g_r[k] w2[k]} (terms added in k order), {@code dW2_k = (dW2_k + g_1[k] y_1)
     * + g_2[k] y_2}, {@code dh_r *= 1 - y_r^2}, {@code db1 += dh_1}, then {@code += dh_2}, and the same for
     * {@code dt1}, {@code dt2} when not null (they may be one array). Multiplications and additions
     * without fusing, in the scalar code's order, so the results are bit for bit those of the scalar
     * {@code SaPass.pairBackward4}.
     */
    void pairBackward4(float[] y1, float[] g1, float[] y2, float[] g2, int h, float[][] w2, float[][] dw2,
                       float[] db1, float[] dt1, float[] dt2, float[] dh1, float[] dh2);
}
