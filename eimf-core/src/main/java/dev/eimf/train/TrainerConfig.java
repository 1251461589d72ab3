package dev.eimf.train;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.eval.EvalConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The hyperparameters of a training run: the backbone, the optimisation, validation and early stopping,
 * the seed, and optionally the explicit-interest stages. How the run executes (threads, work directory,
 * concurrency) is {@link RunSettings}, apart. Immutable; build with {@link #builder(BackboneConfig)}, which
 * validates.
 *
 * <pre>{@code
 * TrainerConfig config = TrainerConfig.builder(BackboneConfig.builder("comirec-sa").build())
 *         .maxSteps(3000).evalEvery(250).seed(1)
 *         .explicitInterests(ExplicitInterestsConfig.builder(extractor, textEncoder).build())  // optional
 *         .build();
 * }</pre>
 *
 * @param backbone          the encoder, with K, d and T
 * @param batchSize         users per step (default 128)
 * @param learningRate      Adam's learning rate (default 1e-3; {@link #recommendedLearningRate} gives 5e-3 for
 *                          ComiRec-DR)
 * @param negativeMultiplier shared negatives per step as a multiple of the batch size (default 10)
 * @param negatives         how negatives are drawn (default log-uniform)
 * @param clipNorm          global gradient-norm clipping; 0 = off (default)
 * @param maxSteps          the step budget, warm-up included (default 1,000,000)
 * @param timeBudget        a wall-clock budget for each training stage (the warm-up and the training after it
 *                          have one each); empty = none (a budget makes results depend on the machine)
 * @param evalEvery         validate every this many steps; 0 = never (default 1000)
 * @param patience          stop after this many validations without improvement (default 50)
 * @param selectionMetric   metric that selects the kept weights (default {@code recall@50})
 * @param evaluation        validation settings (cut-offs, NDCG variant, history exclusion)
 * @param logEvery          progress report interval in steps (default 100)
 * @param seed              seed of every random choice: same seed and thread count, same model
 * @param explicitInterests the explicit-interest stages; empty trains the backbone alone
 */
public record TrainerConfig(BackboneConfig backbone, int batchSize, double learningRate, int negativeMultiplier,
                            NegativeSampling negatives, double clipNorm, long maxSteps, Optional<Duration> timeBudget,
                            int evalEvery, int patience, String selectionMetric, EvalConfig evaluation, int logEvery,
                            long seed, Optional<ExplicitInterestsConfig> explicitInterests) {

    /** Validates. */
    public TrainerConfig {
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(negatives, "negatives");
        Objects.requireNonNull(timeBudget, "timeBudget");
        Objects.requireNonNull(selectionMetric, "selectionMetric");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(explicitInterests, "explicitInterests");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        // The engine's configuration checks the rest and names the field.
        dev.eimf.internal.train.EngineConfigs.check(backbone, batchSize, learningRate, negativeMultiplier,
                negatives.name(), clipNorm, maxSteps, timeBudget, evalEvery, patience, selectionMetric, evaluation,
                logEvery, seed);
    }

    /** The learning rate the method's reference settings use for a backbone: 5e-3 for ComiRec-DR, else 1e-3. */
    public static double recommendedLearningRate(String backbone) {
        return dev.eimf.internal.train.TrainerConfig.recommendedLearningRate(backbone);
    }

    /** A builder with the defaults above. */
    public static Builder builder(BackboneConfig backbone) {
        return new Builder(backbone);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(backbone);
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.negativeMultiplier = negativeMultiplier;
        b.negatives = negatives;
        b.clipNorm = clipNorm;
        b.maxSteps = maxSteps;
        b.timeBudget = timeBudget.orElse(null);
        b.evalEvery = evalEvery;
        b.patience = patience;
        b.selectionMetric = selectionMetric;
        b.evaluation = evaluation;
        b.logEvery = logEvery;
        b.seed = seed;
        b.explicitInterests = explicitInterests.orElse(null);
        return b;
    }

    /** Builder for {@link TrainerConfig}; {@link #build()} validates. */
    public static final class Builder {
        private BackboneConfig backbone;
        private int batchSize = 128;
        private double learningRate = 1e-3;
        private int negativeMultiplier = 10;
        private NegativeSampling negatives = NegativeSampling.LOG_UNIFORM;
        private double clipNorm;
        private long maxSteps = 1_000_000;
        private Duration timeBudget;
        private int evalEvery = 1000;
        private int patience = 50;
        private String selectionMetric = "recall@50";
        private EvalConfig evaluation = EvalConfig.defaults();
        private int logEvery = 100;
        private long seed = 1;
        private ExplicitInterestsConfig explicitInterests;

        private Builder(BackboneConfig backbone) {
            this.backbone = backbone;
        }

        /** The backbone. */
        public Builder backbone(BackboneConfig v) { backbone = v; return this; }

        /** Users per step (default 128). */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** Adam's learning rate (default 1e-3). */
        public Builder learningRate(double v) { learningRate = v; return this; }

        /** Shared negatives per step as a multiple of the batch size (default 10). */
        public Builder negativeMultiplier(int v) { negativeMultiplier = v; return this; }

        /** How negatives are drawn (default log-uniform). */
        public Builder negatives(NegativeSampling v) { negatives = v; return this; }

        /** Global gradient-norm clipping threshold; 0 = off (default). */
        public Builder clipNorm(double v) { clipNorm = v; return this; }

        /** Step budget, warm-up included (default 1,000,000: early stopping ends most runs). */
        public Builder maxSteps(long v) { maxSteps = v; return this; }

        /** Wall-clock budget (null = none, the default). */
        public Builder timeBudget(Duration v) { timeBudget = v; return this; }

        /** Validation interval in steps; 0 = never (default 1000). */
        public Builder evalEvery(int v) { evalEvery = v; return this; }

        /** Validations without improvement before stopping (default 50). */
        public Builder patience(int v) { patience = v; return this; }

        /** Metric selecting the kept weights, e.g. {@code recall@50} (the default). */
        public Builder selectionMetric(String v) { selectionMetric = v; return this; }

        /** Validation settings (default {@link EvalConfig#defaults()}). */
        public Builder evaluation(EvalConfig v) { evaluation = v; return this; }

        /** Progress interval in steps (default 100). */
        public Builder logEvery(int v) { logEvery = v; return this; }

        /** Seed of every random choice (default 1). */
        public Builder seed(long v) { seed = v; return this; }

        /** Adds the explicit-interest stages (null = backbone alone, the default). */
        public Builder explicitInterests(ExplicitInterestsConfig v) { explicitInterests = v; return this; }

        /** Validates and builds. */
        public TrainerConfig build() {
            return new TrainerConfig(backbone, batchSize, learningRate, negativeMultiplier, negatives, clipNorm, maxSteps,
                    Optional.ofNullable(timeBudget), evalEvery, patience, selectionMetric, evaluation, logEvery, seed,
                    Optional.ofNullable(explicitInterests));
        }
    }
}
