package dev.eimf.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads delimited records as RFC 4180 describes them, with a configurable delimiter: a field that starts
 * with {@code "} runs to the matching closing quote, may contain the delimiter, CR and LF, and writes an
 * inner quote as {@code ""}. Records end at LF, CRLF or a lone CR outside quotes, so one record may span
 * several physical lines; {@link #recordLine()} gives the physical line where the current record starts,
 * which is the line that errors name. A quote inside an unquoted field is an ordinary character (as most
 * CSV writers expect). A leading UTF-8 byte-order mark is dropped. When the {@link Reader} refuses bytes it
 * cannot decode (by throwing {@link CharacterCodingException}, as the loaders' UTF-8 reader does), the record
 * holding them is read to its end and then rejected with a {@link DataFormatException}, so reading can go on.
 *
 * <p>With quoting switched off every character is literal, which suits formats such as MovieLens
 * {@code u.item} whose titles may contain quotes but never quote a field.
 *
 * <p>Not thread-safe. The caller owns the {@link Reader} and closes it through {@link #close()}.
 */
public final class DelimitedReader implements Closeable {
    private final Reader in;
    private final char delimiter;
    private final boolean quoting;
    private final Path file;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private long recordLine;
    private boolean started;
    /** The buffer holds one stand-in character for bytes the reader could not decode. */
    private boolean undecodableBuffer;
    /** 1-based column of the current record in which undecodable bytes were met, or 0. */
    private int undecodableColumn;
    private boolean undecodable;
    private final StringBuilder field = new StringBuilder(64);

    /**
     * @param in        characters to read (already decoded)
     * @param delimiter the field separator, e.g. {@code ','} or {@code '\t'}; must not be {@code "}, CR or LF
     * @param quoting   whether a leading {@code "} opens a quoted field
     * @param file      the file name used in error messages, may be {@code null}
     */
    public DelimitedReader(Reader in, char delimiter, boolean quoting, Path file) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
        this.in = in;
        this.delimiter = delimiter;
        this.quoting = quoting;
        this.file = file;
    }

    /** A quoting reader over {@code in} with the given delimiter. */
    public DelimitedReader(Reader in, char delimiter, Path file) {
        this(in, delimiter, true, file);
    }

    /** 1-based physical line on which the record last returned by {@link #next()} starts. */
    public long recordLine() {
        return recordLine;
    }

    /**
     * Reads the next record.
     *
     * @return the fields of the record, or {@code null} at end of input. An empty line gives one empty field.
     * @throws DataFormatException if a quoted field is not closed before end of input, or a closing quote is
     *                             followed by something other than a delimiter or line end; in the latter
     *                             case the rest of the record is consumed so reading can go on; also if the
     *                             record holds bytes that the reader could not decode, once the whole record
     *                             has been consumed
     */
    public List<String> next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') pos++;
        }
        if (peek() < 0) return null;
        recordLine = line;
        List<String> out = new ArrayList<>(8);
        while (true) {
            field.setLength(0);
            int c = read();
            if (quoting && c == '"') {
                while (true) {
                    c = read();
                    if (c < 0) {
                        undecodable = false;
                        undecodableColumn = 0;
                        throw new DataFormatException(file, recordLine, "column " + (out.size() + 1),
                                "quoted field is not closed before end of file");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            field.append('"');
                        } else {
                            break;
                        }
                    } else {
                        field.append((char) c);
                    }
                }
                c = read();
                if (c != delimiter && c != '\n' && c != '\r' && c >= 0) {
                    int column = out.size() + 1;
                    skipRestOfRecord(c);
                    undecodable = false;
                    undecodableColumn = 0;
                    throw new DataFormatException(file, recordLine, "column " + column,
                            "unexpected character '" + (char) c + "' after closing quote");
                }
            } else {
                while (c != delimiter && c != '\n' && c != '\r' && c >= 0) {
                    field.append((char) c);
                    c = read();
                }
            }
            out.add(field.toString());
            if (undecodable && undecodableColumn == 0) undecodableColumn = out.size();
            if (c == delimiter) continue;
            if (c == '\r' && peek() == '\n') read();
            if (undecodable) {
                int column = undecodableColumn;
                undecodable = false;
                undecodableColumn = 0;
                throw new DataFormatException(file, recordLine, "column " + column,
                        "bytes that cannot be decoded as text (the file must be UTF-8)");
            }
            return out;
        }
    }

    /** Consumes characters up to and including the end of the current record, honouring quotes. */
    private void skipRestOfRecord(int c) throws IOException {
        boolean inQuotes = false;
        while (c >= 0) {
            if (quoting && c == '"') {
                inQuotes = !inQuotes;
            } else if (!inQuotes && (c == '\n' || c == '\r')) {
                if (c == '\r' && peek() == '\n') read();
                return;
            }
            c = read();
        }
    }

    private int peek() throws IOException {
        if (pos >= len) {
            undecodableBuffer = false;
            try {
                len = in.read(buf, 0, buf.length);
            } catch (CharacterCodingException e) {
                // A stand-in character marks where the bytes were, so the error goes to the record holding them.
                buf[0] = '\uFFFD';
                len = 1;
                undecodableBuffer = true;
            }
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos];
    }

    private int read() throws IOException {
        int c = peek();
        if (c < 0) return c;
        if (undecodableBuffer) undecodable = true;
        pos++;
        if (c == '\n') {
            line++;
        } else if (c == '\r' && peek() != '\n') {
            line++; // a lone CR ends a line; CRLF is counted at its LF
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
