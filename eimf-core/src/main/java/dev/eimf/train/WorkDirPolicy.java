package dev.eimf.train;

/**
 * What a run does when its work directory holds a run with other settings or data. A run with the same
 * settings and data always continues from the directory's checkpoints (a larger step budget extends it).
 */
public enum WorkDirPolicy {
    /**
     * Refuse with an {@link IllegalStateException} naming each setting that differs (the default): a work
     * directory never silently yields a model other than the one asked for.
     */
    REFUSE,
    /** Delete the directory's checkpoints and interest store and train afresh. */
    RESTART
}
