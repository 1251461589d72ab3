package dev.eimf.internal.train;

import dev.eimf.eval.EvalConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable training configuration; build with {@link #builder(EncoderFactory)}, which validates.
 *
 * @param encoder          creates the encoder (its d, K and T are the model's)
 * @param batchSize        users per step (default 128)
 * @param adam             Adam hyper-parameters (default lr 1e-3, TF betas and epsilon; ComiRec uses
 *                         lr 5e-3 for ComiRec-DR, see {@link #recommendedLearningRate})
 * @param tableAdamMode    how the item table's Adam treats rows without gradient (default lazy)
 * @param negativeMultiplier shared negatives per step = this times the batch size (default 10)
 * @param sampler          negative sampler (default log-uniform)
 * @param clipNorm         global-norm clipping threshold; 0 = off (default off)
 * @param maxSteps         step budget (default 1,000,000 as ComiRec's max_iter)
 * @param timeBudget       wall-clock budget including evaluation; empty = none (a budget makes the
 *                         result depend on the machine)
 * @param evalEvery        validate every this many steps; 0 = never (default 1000, ComiRec's test_iter)
 * @param patience         stop after this many validations without improvement (default 50, as ComiRec)
 * @param selectionMetric  metric key used for model selection (default {@code recall@50})
 * @param evalConfig       evaluator settings for validation
 * @param logEvery         progress report every this many steps (default 100)
 * @param seed             seed of every random choice (initial weights, batches, negatives, routing)
 * @param threads          threads for EIMF's loops and products ({@link dev.eimf.internal.tensor.Parallel#setThreads}, JVM-wide), set when
 *                         training starts; 0 = leave the current setting (default: available processors). The
 *                         same seed and thread count give the same model; another thread count changes only
 *                         rounding (products are split differently).
 */
public record TrainerConfig(EncoderFactory encoder, int batchSize, AdamConfig adam, TableAdam.Mode tableAdamMode,
                            int negativeMultiplier, SamplerType sampler, double clipNorm, long maxSteps,
                            Optional<Duration> timeBudget, int evalEvery, int patience, String selectionMetric,
                            EvalConfig evalConfig, int logEvery, long seed, int threads) {

    /** Adam learning rate for ComiRec-SA and MIND (docs/METHOD.md, section 3.6). */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** Adam learning rate ComiRec uses for ComiRec-DR (docs/METHOD.md, section 3.6). */
    public static final double DR_LEARNING_RATE = 5e-3;

    /** Validates; prefer the builder. */
    public TrainerConfig {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(adam, "adam");
        Objects.requireNonNull(tableAdamMode, "tableAdamMode");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(timeBudget, "timeBudget");
        Objects.requireNonNull(selectionMetric, "selectionMetric");
        Objects.requireNonNull(evalConfig, "evalConfig");
        positive("batchSize", batchSize);
        positive("negativeMultiplier", negativeMultiplier);
        positive("maxSteps", maxSteps);
        positive("patience", patience);
        positive("logEvery", logEvery);
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be >= 0 and finite (0 = off), got " + clipNorm);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("evalEvery must be >= 0 (0 = never), got " + evalEvery);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = current setting), got " + threads);
        }
        if (timeBudget.isPresent() && (timeBudget.get().isNegative() || timeBudget.get().isZero())) {
            throw new IllegalArgumentException("timeBudget must be positive, got " + timeBudget.get());
        }
        int at = selectionMetric.indexOf('@');
        if (at < 0 || !evalConfig.cutoffs().contains(parseCutoff(selectionMetric.substring(at + 1)))) {
            throw new IllegalArgumentException("selectionMetric " + selectionMetric
                    + " must be metric@N with N among the evaluation cut-offs " + evalConfig.cutoffs());
        }
        if ((long) batchSize * negativeMultiplier > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batchSize * negativeMultiplier too large");
        }
    }

    private static int parseCutoff(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void positive(String field, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + v);
        }
    }

    /** Number of shared negatives per step. */
    public int numNegatives() {
        return batchSize * negativeMultiplier;
    }

    /**
     * The recommended learning rate for a backbone name: {@value #DR_LEARNING_RATE} for ComiRec-DR
     * ({@code "dr"} or {@code "comirec-dr"}, any case), {@value #DEFAULT_LEARNING_RATE} otherwise.
     */
    public static double recommendedLearningRate(String backbone) {
        String b = backbone.toLowerCase(Locale.ROOT);
        return b.equals("dr") || b.equals("comirec-dr") ? DR_LEARNING_RATE : DEFAULT_LEARNING_RATE;
    }

    /** A builder with the defaults above. */
    public static Builder builder(EncoderFactory encoder) {
        return new Builder(encoder);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(encoder);
        b.batchSize = batchSize;
        b.adam = adam;
        b.tableAdamMode = tableAdamMode;
        b.negativeMultiplier = negativeMultiplier;
        b.sampler = sampler;
        b.clipNorm = clipNorm;
        b.maxSteps = maxSteps;
        b.timeBudget = timeBudget.orElse(null);
        b.evalEvery = evalEvery;
        b.patience = patience;
        b.selectionMetric = selectionMetric;
        b.evalConfig = evalConfig;
        b.logEvery = logEvery;
        b.seed = seed;
        b.threads = threads;
        return b;
    }

    /** Builder for {@link TrainerConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final EncoderFactory encoder;
        private int batchSize = 128;
        private AdamConfig adam = AdamConfig.of(DEFAULT_LEARNING_RATE);
        private TableAdam.Mode tableAdamMode = TableAdam.Mode.LAZY;
        private int negativeMultiplier = 10;
        private SamplerType sampler = SamplerType.LOG_UNIFORM;
        private double clipNorm;
        private long maxSteps = 1_000_000;
        private Duration timeBudget;
        private int evalEvery = 1000;
        private int patience = 50;
        private String selectionMetric = "recall@50";
        private EvalConfig evalConfig = EvalConfig.defaults();
        private int logEvery = 100;
        private long seed = 1;
        private int threads;

        private Builder(EncoderFactory encoder) {
            this.encoder = encoder;
        }

        /** Users per step. */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** Learning rate with TensorFlow's betas and epsilon. */
        public Builder learningRate(double v) { adam = AdamConfig.of(v); return this; }

        /** All Adam hyper-parameters. */
        public Builder adam(AdamConfig v) { adam = v; return this; }

        /** Lazy (default) or dense Adam for the item table. */
        public Builder tableAdamMode(TableAdam.Mode v) { tableAdamMode = v; return this; }

        /** Shared negatives per step as a multiple of the batch size. */
        public Builder negativeMultiplier(int v) { negativeMultiplier = v; return this; }

        /** Negative sampler. */
        public Builder sampler(SamplerType v) { sampler = v; return this; }

        /** Global-norm clipping threshold; 0 = off. */
        public Builder clipNorm(double v) { clipNorm = v; return this; }

        /** Step budget. */
        public Builder maxSteps(long v) { maxSteps = v; return this; }

        /** Wall-clock budget (null = none). */
        public Builder timeBudget(Duration v) { timeBudget = v; return this; }

        /** Validation interval in steps; 0 = never. */
        public Builder evalEvery(int v) { evalEvery = v; return this; }

        /** Validations without improvement before stopping. */
        public Builder patience(int v) { patience = v; return this; }

        /** Metric key for model selection, e.g. {@code recall@50}. */
        public Builder selectionMetric(String v) { selectionMetric = v; return this; }

        /** Evaluator settings for validation. */
        public Builder evalConfig(EvalConfig v) { evalConfig = v; return this; }

        /** Progress report interval in steps. */
        public Builder logEvery(int v) { logEvery = v; return this; }

        /** Seed of every random choice. */
        public Builder seed(long v) { seed = v; return this; }

        /** Threads for training (0 = leave {@link dev.eimf.internal.tensor.Parallel#threads()} as is). */
        public Builder threads(int v) { threads = v; return this; }

        /** Validates and builds. */
        public TrainerConfig build() {
            return new TrainerConfig(encoder, batchSize, adam, tableAdamMode, negativeMultiplier, sampler,
                    clipNorm, maxSteps, Optional.ofNullable(timeBudget), evalEvery, patience, selectionMetric,
                    evalConfig, logEvery, seed, threads);
        }
    }
}
