package dev.eimf.internal.train;

/** Why training ended. */
public enum StopReason {
    /** The configured number of steps was run. */
    MAX_STEPS,
    /** Validation did not improve for {@code patience} evaluations in a row. */
    EARLY_STOP,
    /** The wall-clock budget was used up. */
    TIME_BUDGET,
    /** Training was cancelled (an explicit cancel, a listener's request or a thread interrupt). */
    CANCELLED
}
