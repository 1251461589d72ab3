package dev.eimf.internal.train;

/**
 * Adam hyper-parameters with TensorFlow's update form: {@code lr_t = lr * sqrt(1-beta2^t) / (1-beta1^t)},
 * {@code w -= lr_t * m / (sqrt(v) + epsilon)} (epsilon is not bias-corrected).
 *
 * @param learningRate lr (positive)
 * @param beta1        first-moment decay in [0, 1)
 * @param beta2        second-moment decay in [0, 1)
 * @param epsilon      added to sqrt(v) (positive)
 */
public record AdamConfig(double learningRate, double beta1, double beta2, double epsilon) {
    /** TensorFlow's defaults: betas 0.9 / 0.999, epsilon 1e-8. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** TensorFlow's default second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** TensorFlow's default epsilon. */
    public static final double DEFAULT_EPSILON = 1e-8;

    public AdamConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite: " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1): " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1): " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive: " + epsilon);
        }
    }

    /** Default betas and epsilon with the given learning rate. */
    public static AdamConfig of(double learningRate) {
        return new AdamConfig(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /** The bias-corrected step size at (1-based) step {@code t}. */
    public double stepSize(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("step must be at least 1: " + t);
        }
        return learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }
}
