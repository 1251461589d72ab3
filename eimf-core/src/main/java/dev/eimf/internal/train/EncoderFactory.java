package dev.eimf.internal.train;

import dev.eimf.internal.ibim.InterestEncoder;
import java.util.random.RandomGenerator;

/**
 * Creates a freshly initialised encoder. The trainer passes a generator split from its seed, so the
 * initial weights follow the training seed. Typically {@code rng -> Encoders.create(encoderConfig, rng)}.
 */
@FunctionalInterface
public interface EncoderFactory {
    /**
     * @param rng source of the initial weights
     * @return a new encoder
     */
    InterestEncoder create(RandomGenerator rng);
}
