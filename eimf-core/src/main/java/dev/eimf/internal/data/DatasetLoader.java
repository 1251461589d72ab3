package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one on-disk format into {@link RawData}. Implementations know files, never models.
 */
@FunctionalInterface
public interface DatasetLoader {
    /**
     * Reads the dataset in {@code dir}.
     *
     * @param dir     directory holding the files
     * @param options parsing options (strict or lenient)
     * @return the interactions in file order and the item metadata
     * @throws IOException         if a file cannot be read
     * @throws DataFormatException if a line is malformed and {@code options.lenient()} is false
     */
    RawData load(Path dir, LoadOptions options) throws IOException;
}
