package dev.eimf.train;

/** How the shared negative items of a training step are drawn. */
public enum NegativeSampling {
    /** Log-uniform over popularity rank, as TensorFlow's sampled softmax and ComiRec (the default). */
    LOG_UNIFORM,
    /** Uniform over items. */
    UNIFORM
}
