package dev.eimf.tensor;

/**
 * The few loops whose speed depends on explicit SIMD: dot products, which C2 leaves scalar because
 * floating-point sums may not be reordered. Implemented with {@code jdk.incubator.vector} by
 * {@code VectorApiKernels}, which is loaded only when that module is present (see {@link Simd}); callers
 * keep their own scalar loop for when it is not.
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
}
