package dev.eimf.backbone;

import java.util.random.RandomGenerator;

/** Builds a freshly initialised {@link Backbone} for a configuration. */
@FunctionalInterface
public interface BackboneFactory {
    /**
     * @param config the backbone's configuration (its name is the one registered)
     * @param rng    the source of the initial weights: the same generator state gives the same weights
     * @return a new backbone whose {@link Backbone#config()} equals {@code config}
     */
    Backbone create(BackboneConfig config, RandomGenerator rng);
}
