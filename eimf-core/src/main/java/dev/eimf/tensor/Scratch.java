package dev.eimf.tensor;

/**
 * Per-thread scratch arrays for bulk conversions, so that hot loops neither allocate nor read direct
 * buffers element by element. Contents are garbage between calls; never hold on to one across a call
 * that may use scratch itself.
 */
final class Scratch {

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[1][256]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[1][256]);

    private Scratch() {
    }

    static float[] floats(int n) {
        float[][] h = FLOATS.get();
        if (h[0].length < n) {
            h[0] = new float[Math.max(n, 2 * h[0].length)];
        }
        return h[0];
    }

    static double[] doubles(int n) {
        double[][] h = DOUBLES.get();
        if (h[0].length < n) {
            h[0] = new double[Math.max(n, 2 * h[0].length)];
        }
        return h[0];
    }
}
