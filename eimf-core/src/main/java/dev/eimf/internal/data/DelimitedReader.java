package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.LoadOptions;

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
 * <p>A record may hold at most {@code maxLineLength} characters. A longer unquoted line is rejected and skipped
 * to its end without being kept in memory. A quoted field still open at that length, or at the end of the input,
 * is rejected at the line where its quote opened, and reading goes on at the line after that one: one stray
 * quote costs one line, not the rest of the file. {@link #lastRecordLines()} and {@link #lastRecordBytes()} say
 * how much input the last record (read or rejected) took, so that a caller can count what it skips.
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
    private final int maxLineLength;
    /** Characters read for the current record. */
    private int recordChars;
    /** UTF-8 bytes read (input given back by a resynchronisation is not counted twice). */
    private long bytes;
    /** No character of the current physical line has been read yet. */
    private boolean atLineStart = true;
    private long lastRecordBytes;
    private long lastRecordLines;
    /** Input given back after an unclosed quote, read before {@link #buf}. */
    private String replay = "";
    private int replayPos;
    /** The given-back input held bytes that could not be decoded, each now a U+FFFD. */
    private boolean replayUndecodable;

    /**
     * @param in        characters to read (already decoded)
     * @param delimiter the field separator, e.g. {@code ','} or {@code '\t'}; must not be {@code "}, CR or LF
     * @param quoting   whether a leading {@code "} opens a quoted field
     * @param file      the file name used in error messages, may be {@code null}
     */
    public DelimitedReader(Reader in, char delimiter, boolean quoting, Path file) {
        this(in, delimiter, quoting, file, LoadOptions.DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * @param in            characters to read (already decoded)
     * @param delimiter     the field separator, e.g. {@code ','} or {@code '\t'}; must not be {@code "}, CR or LF
     * @param quoting       whether a leading {@code "} opens a quoted field
     * @param file          the file name used in error messages, may be {@code null}
     * @param maxLineLength the most characters one record may hold, at least 1
     */
    public DelimitedReader(Reader in, char delimiter, boolean quoting, Path file, int maxLineLength) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
        if (maxLineLength < 1) throw new IllegalArgumentException("maxLineLength must be >= 1, got " + maxLineLength);
        this.in = in;
        this.delimiter = delimiter;
        this.quoting = quoting;
        this.file = file;
        this.maxLineLength = maxLineLength;
    }

    /** A quoting reader over {@code in} with the given delimiter. */
    public DelimitedReader(Reader in, char delimiter, Path file) {
        this(in, delimiter, true, file);
    }

    /** 1-based physical line on which the record last returned by {@link #next()} starts. */
    public long recordLine() {
        return recordLine;
    }

    /** Physical lines the last call of {@link #next()} consumed, whether it returned a record or threw. */
    public long lastRecordLines() {
        return lastRecordLines;
    }

    /** UTF-8 bytes the last call of {@link #next()} consumed, whether it returned a record or threw. */
    public long lastRecordBytes() {
        return lastRecordBytes;
    }

    /** Physical lines read so far (at the end of input: the lines of the file). */
    public long linesRead() {
        return line - 1 + (atLineStart ? 0 : 1);
    }

    /** UTF-8 bytes read so far, the byte-order mark included (at the end of input: the size of a UTF-8 file). */
    public long bytesRead() {
        return bytes;
    }

    /**
     * Reads the next record.
     *
     * @return the fields of the record, or {@code null} at end of input. An empty line gives one empty field.
     * @throws DataFormatException if a quoted field is not closed before end of input or before the record
     *                             reaches {@code maxLineLength} characters (named at the line where the quote
     *                             opened; reading goes on at the line after it); if an unquoted record is longer
     *                             than {@code maxLineLength} (the rest of its line is skipped); if a closing quote
     *                             is followed by something other than a delimiter or line end (the rest of the
     *                             record is consumed so reading can go on); also if the record holds bytes that
     *                             the reader could not decode, once the whole record has been consumed
     */
    public List<String> next() throws IOException {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
                atLineStart = true;
            }
        }
        long startBytes = bytes;
        long startLine = linesRead();
        lastRecordBytes = 0;
        lastRecordLines = 0;
        if (peek() < 0) return null;
        try {
            return readRecord();
        } finally {
            lastRecordBytes = bytes - startBytes;
            lastRecordLines = linesRead() - startLine;
        }
    }

    private List<String> readRecord() throws IOException {
        recordLine = line;
        recordChars = 0;
        List<String> out = new ArrayList<>(8);
        while (true) {
            field.setLength(0);
            int c = read();
            if (quoting && c == '"') {
                long quoteLine = line;
                while (true) {
                    if (recordChars >= maxLineLength) {
                        throw unclosedQuote(quoteLine, out.size() + 1, "quoted field opened here runs past "
                                + maxLineLength + " characters without its closing quote (the line limit)");
                    }
                    c = read();
                    if (c < 0) {
                        throw unclosedQuote(quoteLine, out.size() + 1,
                                "quoted field opened here is not closed before end of file");
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
                    if (recordChars > maxLineLength) throw tooLong(out.size() + 1);
                    field.append((char) c);
                    c = read();
                }
                // Empty fields add nothing to the field but still grow the record.
                if (c == delimiter && recordChars > maxLineLength) throw tooLong(out.size() + 2);
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

    /**
     * The error for a quoted field that never closed. The input after the physical line where the quote opened is
     * given back to be read again: inside quotes the only change made to the text was {@code ""} to {@code "},
     * so the field's characters, re-escaped, are that input.
     */
    private DataFormatException unclosedQuote(long quoteLine, int column, String reason) {
        int from = -1;
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\n' || ch == '\r') {
                from = i + (ch == '\r' && i + 1 < field.length() && field.charAt(i + 1) == '\n' ? 2 : 1);
                break;
            }
        }
        if (from >= 0) {
            StringBuilder back = new StringBuilder(field.length() - from + replay.length() - replayPos);
            for (int i = from; i < field.length(); i++) {
                char ch = field.charAt(i);
                back.append(ch);
                if (ch == '"') back.append('"');
            }
            bytes -= utf8Length(back);
            back.append(replay, replayPos, replay.length());
            replayUndecodable |= undecodable;
            replay = back.toString();
            replayPos = 0;
            line = quoteLine + 1;
            atLineStart = true;
        }
        field.setLength(0);
        undecodable = false;
        undecodableColumn = 0;
        return new DataFormatException(file, quoteLine, "column " + column, reason);
    }

    private static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) n += utf8Length(s.charAt(i));
        return n;
    }

    /** Bytes of one UTF-16 unit in UTF-8; a surrogate pair's two units make its four bytes. */
    private static int utf8Length(int c) {
        return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate((char) c) ? 2 : 3;
    }

    /** The error for an unquoted record over the limit, once the rest of its physical line is skipped. */
    private DataFormatException tooLong(int column) throws IOException {
        skipRestOfLine();
        field.setLength(0);
        undecodable = false;
        undecodableColumn = 0;
        return new DataFormatException(file, recordLine, "column " + column,
                "line is longer than " + maxLineLength + " characters (the line limit)");
    }

    /** Consumes characters up to and including the next line break, quotes or not. */
    private void skipRestOfLine() throws IOException {
        for (int c = read(); c >= 0; c = read()) {
            if (c == '\n') return;
            if (c == '\r') {
                if (peek() == '\n') read();
                return;
            }
        }
    }

    /** Consumes characters up to and including the end of the current record, honouring quotes. */
    private void skipRestOfRecord(int c) throws IOException {
        boolean inQuotes = false;
        while (c >= 0) {
            if (recordChars > maxLineLength) {
                // Quotes that never balance would otherwise take the rest of the file with them.
                if (c != '\n' && c != '\r') {
                    skipRestOfLine();
                } else if (c == '\r' && peek() == '\n') {
                    read();
                }
                return;
            }
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
        if (replayPos < replay.length()) return replay.charAt(replayPos);
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
        if (replayPos < replay.length()) {
            replayPos++;
            if (replayUndecodable && c == '\uFFFD') undecodable = true;
            if (replayPos == replay.length()) {
                replay = "";
                replayPos = 0;
                replayUndecodable = false;
            }
        } else {
            if (undecodableBuffer) undecodable = true;
            pos++;
        }
        recordChars++;
        bytes += utf8Length(c);
        atLineStart = false;
        if (c == '\n') {
            line++;
            atLineStart = true;
        } else if (c == '\r' && peek() != '\n') {
            line++; // a lone CR ends a line; CRLF is counted at its LF
            atLineStart = true;
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
