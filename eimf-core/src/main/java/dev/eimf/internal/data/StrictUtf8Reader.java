package dev.eimf.internal.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and refuses malformed bytes instead of silently turning them into U+FFFD as
 * {@link java.io.InputStreamReader} does. The characters before a malformed sequence are returned first; the
 * next read then throws {@link java.nio.charset.MalformedInputException} exactly once and skips the sequence, so
 * a caller that knows its position (see {@link DelimitedReader}) can name the line and go on reading.
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).limit(0);
    private boolean eof;
    private boolean flushed;
    private CoderResult pending;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pending != null) {
            CoderResult e = pending;
            pending = null;
            bytes.position(bytes.position() + e.length());
            e.throwException();
        }
        if (flushed) return -1;
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                pending = r;
                if (out.position() > off) break;
                return read(cbuf, off, len);
            }
            if (r.isOverflow() || out.position() > off) break;
            if (eof) {
                if (!flushed) {
                    flushed = true;
                    decoder.flush(out);
                }
                break;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) eof = true;
            else bytes.position(bytes.position() + n);
            bytes.flip();
        }
        int n = out.position() - off;
        return n == 0 && eof ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
