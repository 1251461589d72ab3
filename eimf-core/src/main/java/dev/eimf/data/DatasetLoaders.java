package dev.eimf.data;

import java.io.IOException;
import java.nio.file.Path;

/** Entry point for reading a dataset directory in any supported format. */
public final class DatasetLoaders {
    private DatasetLoaders() {}

    /**
     * Reads {@code dir}, detecting its format with {@link DatasetFormat#detect(Path)}.
     *
     * @throws DataFormatException if no format matches, or a line is malformed in strict mode
     */
    public static RawData load(Path dir, LoadOptions options) throws IOException {
        return load(dir, DatasetFormat.detect(dir), options);
    }

    /** Reads {@code dir} as the given format, whatever other files it holds. */
    public static RawData load(Path dir, DatasetFormat format, LoadOptions options) throws IOException {
        return format.loader().load(dir, options);
    }
}
