package dev.eimf.train;

/** Why training ended. */
public enum StopReason {
    /** The configured number of steps was run. */
    MAX_STEPS,
    /** Validation did not improve for {@code patience} validations in a row. */
    EARLY_STOP,
    /** The wall-clock budget was used up. */
    TIME_BUDGET,
    /**
     * {@link TrainingControl#cancel()} was called, a listener asked to stop, or the training thread was
     * interrupted; the best weights so far are kept.
     */
    CANCELLED
}
