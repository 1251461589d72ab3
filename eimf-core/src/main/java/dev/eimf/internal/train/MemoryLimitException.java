package dev.eimf.internal.train;

/**
 * A training run whose estimated memory exceeds what the process may use ({@link MemoryEstimate#check}).
 * It is an {@link IllegalArgumentException} because the settings, not the machine's state, are at fault:
 * the message names the setting to lower (as the command-line option, e.g. {@code --dim}) and the
 * estimate against the limit.
 */
public final class MemoryLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;
    private final long estimateBytes;
    private final long limitBytes;

    /**
     * @param message       the full explanation
     * @param option        the setting that weighs most, as a command-line option ({@code --dim}), or
     *                      {@code "data"} when the data set itself is too large
     * @param estimateBytes the estimate that was refused
     * @param limitBytes    the limit it was checked against
     */
    public MemoryLimitException(String message, String option, long estimateBytes, long limitBytes) {
        super(message);
        this.option = option;
        this.estimateBytes = estimateBytes;
        this.limitBytes = limitBytes;
    }

    /** The setting that weighs most, as a command-line option ({@code --dim}), or {@code "data"}. */
    public String option() {
        return option;
    }

    /** The refused estimate in bytes ({@link Long#MAX_VALUE} when it does not fit a long). */
    public long estimateBytes() {
        return estimateBytes;
    }

    /** The limit in bytes. */
    public long limitBytes() {
        return limitBytes;
    }
}
