package dev.eimf.internal.train;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.eval.EvalConfig;
import dev.eimf.internal.ibim.EncoderRecipe;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/** Turns the public training configuration into the engine's. */
public final class EngineConfigs {
    private static final String VERSION = readVersion();

    private EngineConfigs() {
    }

    /** Checks the public settings by building the engine's configuration from them. */
    public static void check(BackboneConfig backbone, int batchSize, double learningRate, int negativeMultiplier,
                             String sampler, double clipNorm, long maxSteps, Optional<Duration> timeBudget,
                             int evalEvery, int patience, String selectionMetric, EvalConfig evaluation, int logEvery,
                             long seed) {
        EncoderRecipe recipe = EncoderRecipe.of(backbone);
        engine(recipe, batchSize, learningRate, negativeMultiplier, sampler, clipNorm, maxSteps, timeBudget, evalEvery,
                patience, selectionMetric, evaluation, logEvery, seed, 0);
    }

    /** The engine's configuration of a public one, with {@code threads} set. */
    public static TrainerConfig engine(dev.eimf.train.TrainerConfig c, int threads) {
        return engine(EncoderRecipe.of(c.backbone()), c.batchSize(), c.learningRate(), c.negativeMultiplier(),
                c.negatives().name(), c.clipNorm(), c.maxSteps(), c.timeBudget(), c.evalEvery(), c.patience(),
                c.selectionMetric(), c.evaluation(), c.logEvery(), c.seed(), threads);
    }

    private static TrainerConfig engine(EncoderRecipe recipe, int batchSize, double learningRate, int negativeMultiplier,
                                        String sampler, double clipNorm, long maxSteps, Optional<Duration> timeBudget,
                                        int evalEvery, int patience, String selectionMetric, EvalConfig evaluation,
                                        int logEvery, long seed, int threads) {
        return TrainerConfig.builder(EncoderFactory.of(recipe)).batchSize(batchSize).learningRate(learningRate)
                .negativeMultiplier(negativeMultiplier).sampler(SamplerType.valueOf(sampler)).clipNorm(clipNorm)
                .maxSteps(maxSteps).timeBudget(timeBudget.orElse(null)).evalEvery(evalEvery).patience(patience)
                .selectionMetric(selectionMetric).evalConfig(evaluation).logEvery(logEvery).seed(seed).threads(threads)
                .build();
    }

    /** This library's version, from the build. */
    public static String libraryVersion() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = EngineConfigs.class.getResourceAsStream("/dev/eimf/internal/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
