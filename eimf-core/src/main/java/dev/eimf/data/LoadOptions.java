package dev.eimf.data;

/**
 * Parsing options shared by all loaders.
 *
 * @param lenient skip malformed lines (counting each in the {@link LoadReport}) instead of throwing
 */
public record LoadOptions(boolean lenient) {
    /** Strict parsing: the first malformed line throws {@link DataFormatException}. */
    public static LoadOptions strict() { return new LoadOptions(false); }

    /** Lenient parsing: malformed lines are skipped and reported. */
    public static LoadOptions lenientMode() { return new LoadOptions(true); }
}
