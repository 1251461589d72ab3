package dev.eimf.train;

/**
 * Receives a training run's reports, on the training thread: keep the methods quick. Every method has an
 * empty default, so a listener implements what it needs, or is a lambda for {@link #onProgress}. A
 * listener that wants the run to stop calls {@link TrainingControl#cancel()} on the control it was started
 * with; an exception thrown from a listener ends the run and reaches the caller of
 * {@link Trainer#train}, without a model.
 */
@FunctionalInterface
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = p -> { };

    /** Training progress, every {@code logEvery} steps and after each validation. */
    void onProgress(Progress progress);

    /** A stage starts or reports (a human-readable line, e.g. how many typical users were chosen). */
    default void onStage(Stage stage, String detail) {
    }

    /** A validation ran. */
    default void onValidation(Stage stage, ValidationPoint point) {
    }

    /** Explicit-interest extraction advanced: {@code done} of {@code total} typical users are settled. */
    default void onExtraction(int done, int total) {
    }
}
