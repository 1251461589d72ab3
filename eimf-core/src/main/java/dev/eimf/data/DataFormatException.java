package dev.eimf.data;

import java.nio.file.Path;

/**
 * Malformed input: names the file, the 1-based line number and the field at fault.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long line;
    private final String field;

    /**
     * @param file   the file being read
     * @param line   1-based physical line number where the record starts, or 0 when not line-bound
     * @param field  the field name (or column) at fault, or {@code null} for the whole record
     * @param reason what is wrong
     */
    public DataFormatException(Path file, long line, String field, String reason) {
        super(format(file, line, field, reason));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    private static String format(Path file, long line, String field, String reason) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<input>" : file.toString());
        if (line > 0) sb.append(", line ").append(line);
        if (field != null) sb.append(", field '").append(field).append('\'');
        sb.append(": ").append(reason);
        return sb.toString();
    }

    /** The file being read. */
    public Path file() { return file; }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public long line() { return line; }

    /** The field at fault, or {@code null}. */
    public String field() { return field; }
}
