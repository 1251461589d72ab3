package dev.eimf.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Entry point for reading a dataset directory in any supported format.
 *
 * <p>Rules every loader follows: errors name the file, the physical line where the record starts, and the
 * field. Header problems (an empty file, a missing required column) always throw, since no line after them can
 * be read; a malformed data line throws in strict mode and is skipped and counted in {@link LoadReport} in
 * lenient mode, which refuses a file of which it would skip more than {@link LoadOptions#maxSkippedShare()}; a
 * record longer than {@link LoadOptions#maxLineLength()} is malformed, and a quote still open at that length is
 * an error at the line where it opened (reading goes on at the next line); bytes that are not valid UTF-8 in a UTF-8 file make their record malformed (never silently
 * replaced). Blank lines carry no data and are skipped without being counted. An interactions file that
 * yields no interaction is an error in both modes. Item rows for items without interactions, and interactions
 * whose item has no row, are both fine. Interactions keep file order; ordering by time is the
 * {@link Preprocessor}'s job.
 */
public final class DatasetLoaders {
    private DatasetLoaders() {}

    /**
     * Reads {@code dir}, detecting its format with {@link DatasetFormat#detect(Path)}.
     *
     * @throws DataFormatException  if no format matches, or a line is malformed in strict mode
     * @throws UncheckedIOException naming the path when a file cannot be read
     */
    public static RawData load(Path dir, LoadOptions options) {
        DatasetFormat format;
        try {
            format = DatasetFormat.detect(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        return load(dir, format, options);
    }

    /**
     * Reads {@code dir} as the given format, whatever other files it holds.
     *
     * @throws DataFormatException  when a line is malformed in strict mode
     * @throws UncheckedIOException naming the path when a file cannot be read
     */
    public static RawData load(Path dir, DatasetFormat format, LoadOptions options) {
        try {
            return format.loader().load(dir, options);
        } catch (IOException e) {
            String path = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? "" : dir + ": ";
            throw new UncheckedIOException(path + e.getMessage(), e);
        }
    }
}
