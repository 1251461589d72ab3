package dev.eimf.internal.train;

/**
 * Receives progress while a {@link Trainer} runs: every {@link TrainerConfig#logEvery()} steps and after
 * each validation. Called on the training thread; keep it quick. The core never prints; the CLI's
 * listener does.
 */
@FunctionalInterface
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = p -> { };

    /** One progress report. */
    void onProgress(Progress progress);
}
