package dev.eimf.internal.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file that cannot be read: not an EIMF model file, truncated, damaged (checksum mismatch),
 * written by a newer format version, or internally inconsistent. The message names the file and the
 * problem, with byte positions where they help.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /**
     * @param file   the file being read, or {@code null} for a stream
     * @param reason what is wrong
     */
    public ModelFormatException(Path file, String reason) {
        super((file == null ? "<input>" : file.toString()) + ": " + reason);
        this.file = file;
    }

    /** The file being read, or {@code null}. */
    public Path file() {
        return file;
    }
}
