package dev.eimf.internal.tensor;

/**
 * Heap arrays of the calling thread, reused from call to call: the parallel loops' rows and chunks, and
 * {@link Buf}'s bulk conversions, need short-lived arrays on every training step, and allocating them
 * each time made most of a step's garbage. Each instance holds {@code count} arrays per thread; an array
 * grows (to at least 64 elements) when a caller asks for more than it holds and keeps its contents
 * otherwise. A caller must not hold an array across a call that may take the same one on its thread.
 */
public final class ThreadScratch {

    private ThreadScratch() {
    }

    /** {@code count} double arrays per thread. */
    public static final class Doubles {
        private final ThreadLocal<double[][]> local;

        /** Scratch of {@code count} arrays per thread, all empty until first asked for. */
        public Doubles(int count) {
            local = ThreadLocal.withInitial(() -> new double[count][0]);
        }

        /** This thread's array {@code i}, at least {@code n} long; its elements are whatever was left there. */
        public double[] get(int i, int n) {
            double[][] s = local.get();
            if (s[i].length < n) {
                s[i] = new double[Math.max(n, 64)];
            }
            return s[i];
        }
    }

    /** {@code count} float arrays per thread. */
    public static final class Floats {
        private final ThreadLocal<float[][]> local;

        /** Scratch of {@code count} arrays per thread, all empty until first asked for. */
        public Floats(int count) {
            local = ThreadLocal.withInitial(() -> new float[count][0]);
        }

        /** This thread's array {@code i}, at least {@code n} long; its elements are whatever was left there. */
        public float[] get(int i, int n) {
            float[][] s = local.get();
            if (s[i].length < n) {
                s[i] = new float[Math.max(n, 64)];
            }
            return s[i];
        }
    }
}
