package dev.eimf.internal.model;

import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.train.EncoderFactory;
import dev.eimf.internal.train.SamplerType;
import dev.eimf.internal.train.TrainerConfig;
import java.util.Objects;

/**
 * The training settings a saved model keeps. The seed matters for serving: MIND draws its routing
 * logits at inference from a stream derived from it, so the same seed gives the same scores.
 *
 * @param seed               training seed
 * @param learningRate       Adam learning rate
 * @param batchSize          users per step
 * @param negativeMultiplier shared negatives per step as a multiple of the batch size
 * @param sampler            negative sampler
 * @param maxSteps           the step budget it was given
 */
public record TrainingSettings(long seed, double learningRate, int batchSize, int negativeMultiplier,
                               SamplerType sampler, long maxSteps) {
    public TrainingSettings {
        Objects.requireNonNull(sampler, "sampler");
    }

    /** The settings of a trainer configuration. */
    public static TrainingSettings of(TrainerConfig c) {
        return new TrainingSettings(c.seed(), c.adam().learningRate(), c.batchSize(), c.negativeMultiplier(),
                c.sampler(), c.maxSteps());
    }

    /** A trainer configuration with these settings for an encoder configuration (defaults elsewhere). */
    public TrainerConfig toTrainerConfig(EncoderConfig encoder) {
        return toTrainerConfig(new dev.eimf.internal.ibim.EncoderRecipe.BuiltIn(encoder));
    }

    /** A trainer configuration with these settings for any encoder (defaults elsewhere). */
    public TrainerConfig toTrainerConfig(dev.eimf.internal.ibim.EncoderRecipe recipe) {
        return TrainerConfig.builder(EncoderFactory.of(recipe)).seed(seed).learningRate(learningRate)
                .batchSize(batchSize).negativeMultiplier(negativeMultiplier).sampler(sampler).maxSteps(maxSteps)
                .build();
    }
}
