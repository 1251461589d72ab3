package dev.eimf.train;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a training run executes, apart from its hyperparameters: threads, where checkpoints and the interest
 * store live, and how many extraction calls run at once. None of these changes the model, except that
 * another thread count changes the rounding of products (same seed and threads, same model).
 *
 * <p><b>Threads are process-wide.</b> The engine's compute pool belongs to the JVM, not to a run:
 * {@code threads} sets it when training starts and it stays so for later runs and serving. The engine calls
 * OpenBLAS one thread per call and splits the work itself (the system property {@code eimf.blas.threads}
 * changes OpenBLAS's own threads for the whole process). Leave it 0 to keep the current setting (by default,
 * one per available processor, at most 8).
 *
 * @param threads            compute threads; 0 = leave the process's setting (default)
 * @param workDir            checkpoints and the run's manifest, so that a rerun after a crash, or with a
 *                           larger step budget, continues; empty = a temporary directory, removed at the end
 * @param storeDir           the interest store (extracted interests are reused by every later run that asks
 *                           the same questions); empty = {@code workDir/store}, or temporary without a work directory
 * @param workDirPolicy      what to do when the work directory holds a run with other settings or data
 * @param checkpointEvery    steps between checkpoints (default 1000)
 * @param extractionConcurrency extractor calls in flight at once (default 4)
 */
public record RunSettings(int threads, Optional<Path> workDir, Optional<Path> storeDir, WorkDirPolicy workDirPolicy,
                          int checkpointEvery, int extractionConcurrency) {
    /** Validates. */
    public RunSettings {
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(workDirPolicy, "workDirPolicy");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = the current setting), got " + threads);
        if (checkpointEvery < 1) throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
        if (extractionConcurrency < 1) {
            throw new IllegalArgumentException("extractionConcurrency must be >= 1, got " + extractionConcurrency);
        }
    }

    /** No work directory, current threads, checkpoints every 1000 steps, 4 extraction calls at once. */
    public static RunSettings defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link RunSettings}. */
    public static final class Builder {
        private int threads;
        private Path workDir;
        private Path storeDir;
        private WorkDirPolicy workDirPolicy = WorkDirPolicy.REFUSE;
        private int checkpointEvery = 1000;
        private int extractionConcurrency = 4;

        private Builder() {
        }

        /** Compute threads for the process; 0 = leave as is (default). */
        public Builder threads(int v) { threads = v; return this; }

        /** Directory of checkpoints, so reruns continue (null = temporary, the default). */
        public Builder workDir(Path v) { workDir = v; return this; }

        /** Directory of the interest store (null = inside the work directory, the default). */
        public Builder storeDir(Path v) { storeDir = v; return this; }

        /** What to do when the work directory holds another run (default refuse). */
        public Builder workDirPolicy(WorkDirPolicy v) { workDirPolicy = v; return this; }

        /** Steps between checkpoints (default 1000). */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }

        /** Extractor calls in flight at once (default 4). */
        public Builder extractionConcurrency(int v) { extractionConcurrency = v; return this; }

        /** Validates and builds. */
        public RunSettings build() {
            return new RunSettings(threads, Optional.ofNullable(workDir), Optional.ofNullable(storeDir), workDirPolicy,
                    checkpointEvery, extractionConcurrency);
        }
    }
}
