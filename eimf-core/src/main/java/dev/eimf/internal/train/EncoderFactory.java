package dev.eimf.internal.train;

import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.ibim.InterestEncoder;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Creates a freshly initialised encoder. The trainer passes a generator split from its seed, so the
 * initial weights follow the training seed. Typically {@link #of(EncoderConfig)}, or
 * {@code rng -> Encoders.create(encoderConfig, rng)}.
 */
@FunctionalInterface
public interface EncoderFactory {
    /**
     * @param rng source of the initial weights
     * @return a new encoder
     */
    InterestEncoder create(RandomGenerator rng);

    /**
     * The configuration of the encoders this factory makes, when it is a built-in one. The trainer estimates a
     * run's memory from it before creating the encoder (whose weights alone may exceed the machine's
     * memory); without it, the estimate is made once the encoder exists.
     */
    default Optional<EncoderConfig> encoderConfig() {
        return Optional.empty();
    }

    /** A factory for a recipe: {@link #of(EncoderConfig)} for a built-in encoder, else the recipe's own. */
    static EncoderFactory of(dev.eimf.internal.ibim.EncoderRecipe recipe) {
        if (recipe instanceof dev.eimf.internal.ibim.EncoderRecipe.BuiltIn b) {
            return of(b.config());
        }
        return recipe::create;
    }

    /** A factory of built-in encoders ({@link Encoders#create}) that knows their configuration. */
    static EncoderFactory of(EncoderConfig config) {
        Objects.requireNonNull(config, "config");
        return new EncoderFactory() {
            @Override
            public InterestEncoder create(RandomGenerator rng) {
                return Encoders.create(config, rng);
            }

            @Override
            public Optional<EncoderConfig> encoderConfig() {
                return Optional.of(config);
            }
        };
    }
}
