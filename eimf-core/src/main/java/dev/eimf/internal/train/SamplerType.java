package dev.eimf.internal.train;

/** Which distribution the shared negatives are drawn from. */
public enum SamplerType {
    /**
     * Log-uniform (Zipfian) over frequency-ranked ids, as {@code tf.nn.log_uniform_candidate_sampler}:
     * {@code P(id) = log((id+1)/id) / log(n+1)}. The default, as in ComiRec.
     */
    LOG_UNIFORM,
    /** Uniform over ids 1..n. */
    UNIFORM
}
