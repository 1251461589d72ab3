package dev.eimf.data;

/**
 * Parsing options shared by all loaders.
 *
 * @param lenient         skip malformed lines (counting each in the {@link LoadReport}) instead of throwing
 * @param maxLineLength   the longest record read, in characters (a record quoted over several lines counts all
 *                        of them); a longer one is malformed, and a quoted field still open at this length is an
 *                        error at the line where its quote opened. Keeps one runaway line or one unclosed quote
 *                        from filling the memory or swallowing the rest of the file.
 * @param maxSkippedShare in lenient mode, the largest share (0 to 1) of a file's lines, and of its bytes, that
 *                        may be skipped; more is an error, since the data left would no longer be the file's
 */
public record LoadOptions(boolean lenient, int maxLineLength, double maxSkippedShare) {
    /** Default {@link #maxLineLength()}: 1 MiB characters, far above any real interaction or item line. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 1 << 20;
    /** Default {@link #maxSkippedShare()}: 1%. */
    public static final double DEFAULT_MAX_SKIPPED_SHARE = 0.01;

    /**
     * @throws IllegalArgumentException naming the field when {@code maxLineLength < 1} or {@code maxSkippedShare}
     *                                  is not in [0, 1]
     */
    public LoadOptions {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("LoadOptions.maxLineLength must be >= 1, got " + maxLineLength);
        }
        if (!(maxSkippedShare >= 0 && maxSkippedShare <= 1)) {
            throw new IllegalArgumentException("LoadOptions.maxSkippedShare must be in [0, 1], got " + maxSkippedShare);
        }
    }

    /** Strict or lenient parsing with the default line limit and skipped share. */
    public LoadOptions(boolean lenient) {
        this(lenient, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_SKIPPED_SHARE);
    }

    /** Strict parsing: the first malformed line throws {@link DataFormatException}. */
    public static LoadOptions strict() { return new LoadOptions(false); }

    /** Lenient parsing: malformed lines are skipped and reported, up to {@link #DEFAULT_MAX_SKIPPED_SHARE}. */
    public static LoadOptions lenientMode() { return new LoadOptions(true); }

    /** These options with another {@link #maxLineLength()}. */
    public LoadOptions withMaxLineLength(int characters) {
        return new LoadOptions(lenient, characters, maxSkippedShare);
    }

    /** These options with another {@link #maxSkippedShare()}. */
    public LoadOptions withMaxSkippedShare(double share) {
        return new LoadOptions(lenient, maxLineLength, share);
    }
}
