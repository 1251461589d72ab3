package dev.eimf.internal.pipeline;

import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.TextEncoder;
import dev.eimf.internal.esim.TypicalSampleConfig;
import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.train.TrainerConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link EimfPipeline} needs besides the data; build with {@link #builder(TrainerConfig)}.
 *
 * @param trainer         the backbone's training settings; {@code maxSteps} is the total of warm-up and
 *                        multi-task steps
 * @param warmupSteps     IBIM-only steps before ESIM; 0 (default) = until the first validation check
 *                        ({@code trainer.evalEvery()}), as docs/METHOD.md, section 4.1, describes
 * @param semantic        whether to run ESIM and the auxiliary tasks at all; false trains the backbone
 *                        alone (the ablation's baseline) through the same stages
 * @param typical         typical-sample selection (strategy, C, m, seed)
 * @param aux             auxiliary tasks (lambdas, tau, matching, enabled tasks, propagation temperature)
 * @param propagate       whether non-typical users inherit their cluster's interests (default true)
 * @param extractor       explicit-interest extractor (LLM or metadata); required when {@code semantic}
 * @param textEncoder     text encoder for the interests; required when {@code semantic}
 * @param storeDir        directory of the interest store; required when {@code semantic}
 * @param workDir         directory for checkpoints, so every stage resumes after a crash; empty = a
 *                        temporary directory, removed at the end
 * @param runName         names this run's multi-task checkpoint ({@code NAME.ckpt}); runs that share a
 *                        work directory share the warm-up checkpoint (default {@code eimf})
 * @param checkpointEvery steps between checkpoints (default 1000)
 * @param esimConcurrency concurrent extractor calls (default 4)
 */
public record EimfConfig(TrainerConfig trainer, long warmupSteps, boolean semantic, TypicalSampleConfig typical,
                         AuxTasksConfig aux, boolean propagate, InterestExtractor extractor, TextEncoder textEncoder,
                         Path storeDir, Optional<Path> workDir, String runName, int checkpointEvery,
                         int esimConcurrency) {

    /** Validates. */
    public EimfConfig {
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(typical, "typical");
        Objects.requireNonNull(aux, "aux");
        Objects.requireNonNull(workDir, "workDir");
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (semantic && (extractor == null || textEncoder == null || storeDir == null)) {
            throw new IllegalArgumentException("the semantic stages need an extractor, a text encoder and a store directory");
        }
        if (runName == null || !runName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("runName must be letters, digits, '.', '_' or '-', got " + runName);
        }
        if (checkpointEvery < 1 || esimConcurrency < 1) {
            throw new IllegalArgumentException("checkpointEvery and esimConcurrency must be >= 1");
        }
    }

    /** The warm-up length actually used. */
    public long effectiveWarmupSteps() {
        long w = warmupSteps > 0 ? warmupSteps : trainer.evalEvery();
        if (w <= 0) {
            w = Math.max(1, trainer.maxSteps() / 10);
        }
        return Math.min(w, trainer.maxSteps());
    }

    /** A builder with the defaults above. */
    public static Builder builder(TrainerConfig trainer) {
        return new Builder(trainer);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(trainer);
        b.warmupSteps = warmupSteps;
        b.semantic = semantic;
        b.typical = typical;
        b.aux = aux;
        b.propagate = propagate;
        b.extractor = extractor;
        b.textEncoder = textEncoder;
        b.storeDir = storeDir;
        b.workDir = workDir.orElse(null);
        b.runName = runName;
        b.checkpointEvery = checkpointEvery;
        b.esimConcurrency = esimConcurrency;
        return b;
    }

    /** Builder for {@link EimfConfig}. */
    public static final class Builder {
        private TrainerConfig trainer;
        private long warmupSteps;
        private boolean semantic = true;
        private TypicalSampleConfig typical = TypicalSampleConfig.defaults();
        private AuxTasksConfig aux = AuxTasksConfig.defaults();
        private boolean propagate = true;
        private InterestExtractor extractor;
        private TextEncoder textEncoder;
        private Path storeDir;
        private Path workDir;
        private String runName = "eimf";
        private int checkpointEvery = 1000;
        private int esimConcurrency = 4;

        private Builder(TrainerConfig trainer) {
            this.trainer = trainer;
        }

        /** Backbone training settings. */
        public Builder trainer(TrainerConfig v) { trainer = v; return this; }

        /** Warm-up steps (0 = until the first validation). */
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }

        /** Run ESIM and the auxiliary tasks (default true). */
        public Builder semantic(boolean v) { semantic = v; return this; }

        /** Typical-sample selection. */
        public Builder typical(TypicalSampleConfig v) { typical = v; return this; }

        /** Auxiliary-task settings. */
        public Builder aux(AuxTasksConfig v) { aux = v; return this; }

        /** Propagation of typical users' interests to their clusters (default true). */
        public Builder propagate(boolean v) { propagate = v; return this; }

        /** The explicit-interest extractor. */
        public Builder extractor(InterestExtractor v) { extractor = v; return this; }

        /** The text encoder. */
        public Builder textEncoder(TextEncoder v) { textEncoder = v; return this; }

        /** The interest store directory. */
        public Builder storeDir(Path v) { storeDir = v; return this; }

        /** The checkpoint directory (null = temporary). */
        public Builder workDir(Path v) { workDir = v; return this; }

        /** This run's name in the work directory. */
        public Builder runName(String v) { runName = v; return this; }

        /** Steps between checkpoints. */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }

        /** Concurrent extractor calls. */
        public Builder esimConcurrency(int v) { esimConcurrency = v; return this; }

        /** Validates and builds. */
        public EimfConfig build() {
            return new EimfConfig(trainer, warmupSteps, semantic, typical, aux, propagate, extractor, textEncoder,
                    storeDir, Optional.ofNullable(workDir), runName, checkpointEvery, esimConcurrency);
        }
    }
}
