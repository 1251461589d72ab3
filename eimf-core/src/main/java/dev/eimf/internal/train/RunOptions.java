package dev.eimf.internal.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How one call of {@link Trainer#train(dev.eimf.eval.Split, TrainingListener, RunOptions)} runs, beyond
 * the model's configuration: checkpoints, resuming, and an auxiliary objective.
 *
 * @param checkpoint      file that receives a checkpoint every {@code checkpointEvery} steps and at the
 *                        end (written atomically: temporary file, fsync, rename); empty = none
 * @param checkpointEvery steps between checkpoints (with a checkpoint file); 0 = only at the end
 * @param resumeFrom      checkpoint to continue from (same encoder, batch, seed and data; the step budget
 *                        and validation settings may differ); empty = start afresh
 * @param auxiliary       extra objective; empty = none
 * @param restoreBest     restore the best validated weights at the end (default true); a warm-up stage
 *                        that another stage continues sets false
 * @param stopRequested   polled after every step; true ends the run with {@link StopReason#CANCELLED},
 *                        with the best weights restored and a checkpoint written
 */
public record RunOptions(Optional<Path> checkpoint, int checkpointEvery, Optional<Path> resumeFrom,
                         Optional<AuxiliaryObjective> auxiliary, boolean restoreBest,
                         java.util.function.BooleanSupplier stopRequested) {

    /** Validates. */
    public RunOptions {
        java.util.Objects.requireNonNull(stopRequested, "stopRequested");
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
        }
    }

    /** No checkpoints, a fresh start, no auxiliary objective, best weights restored. */
    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), 0, Optional.empty(), Optional.empty(), true, () -> false);
    }

    /** With checkpoints to {@code file} every {@code every} steps (0 = only at the end). */
    public RunOptions withCheckpoint(Path file, int every) {
        return new RunOptions(Optional.of(file), every, resumeFrom, auxiliary, restoreBest, stopRequested);
    }

    /** Continuing from the checkpoint {@code file}. */
    public RunOptions withResume(Path file) {
        return new RunOptions(checkpoint, checkpointEvery, Optional.of(file), auxiliary, restoreBest, stopRequested);
    }

    /** With an auxiliary objective. */
    public RunOptions withAuxiliary(AuxiliaryObjective objective) {
        return new RunOptions(checkpoint, checkpointEvery, resumeFrom, Optional.of(objective), restoreBest, stopRequested);
    }

    /** With a stop request polled after every step. */
    public RunOptions withStop(java.util.function.BooleanSupplier stop) {
        return new RunOptions(checkpoint, checkpointEvery, resumeFrom, auxiliary, restoreBest, stop);
    }

    /** Whether to restore the best validated weights at the end. */
    public RunOptions withRestoreBest(boolean restore) {
        return new RunOptions(checkpoint, checkpointEvery, resumeFrom, auxiliary, restore, stopRequested);
    }
}
