package dev.eimf.internal.ibim;

import java.util.random.RandomGenerator;

/** Creates the encoder a configuration names. */
public final class Encoders {

    private Encoders() {
    }

    /**
     * A new encoder with initial weights drawn from {@code rng} (same generator state, same weights).
     *
     * @return a {@link SelfAttentiveEncoder} for SA, a {@link CapsuleEncoder} for DR and MIND
     */
    public static InterestEncoder create(EncoderConfig config, RandomGenerator rng) {
        return switch (config.type()) {
            case SA -> SelfAttentiveEncoder.create(config, rng);
            case DR, MIND -> CapsuleEncoder.create(config, rng);
        };
    }
}
