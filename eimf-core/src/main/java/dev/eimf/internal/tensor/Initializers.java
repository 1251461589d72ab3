package dev.eimf.internal.tensor;

import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Seeded weight initialisers matching the TensorFlow defaults the ComiRec code relies on. Values are
 * drawn in double and in c-order, so FLOAT and DOUBLE arrays from the same seed hold the same weights
 * (up to rounding).
 */
public final class Initializers {

    private Initializers() {
    }

    /** Glorot/Xavier uniform: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))} (TF's default kernel init). */
    public static void glorotUniform(INDArray w, int fanIn, int fanOut, RandomGenerator rng) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        Buf b = Buf.of(w);
        for (int i = 0; i < b.length(); i++) {
            b.set(i, (2.0 * rng.nextDouble() - 1.0) * limit);
        }
    }

    /** Normal N(0, std^2). */
    public static void normal(INDArray w, double std, RandomGenerator rng) {
        Buf b = Buf.of(w);
        for (int i = 0; i < b.length(); i++) {
            b.set(i, std * rng.nextGaussian());
        }
    }

    /**
     * A standard normal truncated at two standard deviations by redrawing, as TF's
     * {@code truncated_normal}.
     */
    public static double truncatedGaussian(RandomGenerator rng) {
        while (true) {
            double z = rng.nextGaussian();
            if (Math.abs(z) <= 2.0) {
                return z;
            }
        }
    }
}
