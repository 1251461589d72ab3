package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per loader bug that {@link LoaderFuzzTest} found. */
class LoaderRegressionTest {
    @TempDir
    Path dir;

    /** Hang guard only: each of these finishes in well under a second once fixed. */
    private static final Duration GUARD = Duration.ofSeconds(60);

    private static Path writeBytes(Path dir, String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.write(p);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // Bug 1: bytes that are not UTF-8 became U+FFFD inside ids and titles, silently.

    @Test
    void invalidUtf8InACsvIdIsAnErrorNamingLineAndColumn() throws IOException {
        writeBytes(dir, "interactions.csv", ascii("user,item,timestamp\nu1,i1,1\nu"), new byte[] {(byte) 0xFF},
                ascii("2,i1,2\nu3,i2,3\n"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(3, e.line());
        assertEquals("column 1", e.field());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());

        RawData raw = new CsvLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(List.of(new Interaction("u1", "i1", 1, Double.NaN), new Interaction("u3", "i2", 3, Double.NaN)),
                raw.interactions());
        assertEquals(1, raw.report().skippedCount());
        assertEquals(3, raw.report().skipped().get(0).line());
    }

    @Test
    void invalidUtf8InARecBoleTitleIsSkippedInLenientModeAndTheNextRecordIsIntact() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:token\nu\ta\nu\tb\n");
        // A truncated 3-byte sequence inside a quoted title that spans two lines.
        writeBytes(dir, "x.item", ascii("item_id:token\ttitle:token\na\t\"bad "), new byte[] {(byte) 0xE2, (byte) 0x82},
                ascii(" title\nstill bad\"\nb\tgood\n"));
        assertThrows(DataFormatException.class, () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(1, raw.items().size());
        assertEquals("good", raw.items().get("b").title());
        assertEquals(2, raw.report().skipped().get(0).line());
    }

    @Test
    void aRealReplacementCharacterInTheFileIsKept() throws IOException {
        write(dir, "interactions.csv", "user,item,timestamp\nu1,i\uFFFD,1\n");
        assertEquals("i\uFFFD", new CsvLoader().load(dir, LoadOptions.strict()).interactions().get(0).item());
    }

    @Test
    void invalidUtf8InU100kDataIsSkippedInLenientMode() throws IOException {
        writeBytes(dir, "u.data", ascii("1\t10\t4\t100\n2\t1"), new byte[] {(byte) 0xC3, 0x28}, ascii("\t3\t90\n"));
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(1, raw.interactions().size());
        assertEquals(2, raw.report().skipped().get(0).line());
    }

    @Test
    void utf16FileIsAClearError() throws IOException {
        write(dir, "interactions.csv", "\uFEFFuser,item,timestamp\nu1,i1,1\n", StandardCharsets.UTF_16LE);
        assertThrows(DataFormatException.class, () -> new CsvLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1)));
    }

    @Test
    void strictUtf8ReaderDecodesAcrossBufferBoundariesAndReportsEachBadSequenceOnce() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 200_000) sb.append("a\u00e9\u20ac\uD83D\uDE00");
        byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(sb.toString(), readAll(new StrictUtf8Reader(new ByteArrayInputStream(good))));

        byte[] bad = {'a', 'b', (byte) 0xFF, 'c', (byte) 0xE2, (byte) 0x82};
        Reader r = new StrictUtf8Reader(new ByteArrayInputStream(bad));
        char[] buf = new char[16];
        assertEquals(2, r.read(buf, 0, 16), "the characters before the bad byte come first");
        assertThrows(MalformedInputException.class, () -> r.read(buf, 0, 16));
        assertEquals(1, r.read(buf, 0, 16));
        assertEquals('c', buf[0]);
        assertThrows(MalformedInputException.class, () -> r.read(buf, 0, 16), "truncated sequence at the end");
        assertEquals(-1, r.read(buf, 0, 16));
        assertEquals(-1, r.read(buf, 0, 16));
    }

    private static String readAll(Reader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[777];
        for (int n = r.read(buf, 0, buf.length); n >= 0; n = r.read(buf, 0, buf.length)) sb.append(buf, 0, n);
        return sb.toString();
    }

    // Bug 2: a timestamp such as 1e-999999999 leaked ArithmeticException; 1e-50000000 hung (10^scale computed).

    @Test
    void hugeTimestampScaleIsADataFormatErrorNotArithmeticExceptionOrHang() throws IOException {
        for (String ts : List.of("1e-999999999", "1e-50000000")) {
            write(dir, "interactions.csv", "user,item,timestamp\nu,i," + ts + "\nu,j,5\n");
            DataFormatException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(DataFormatException.class,
                    () -> new CsvLoader().load(dir, LoadOptions.strict())));
            assertEquals("timestamp", e.field());
            assertTrue(e.getMessage().length() < 300, "message stays short");
        }
        write(dir, "interactions.csv", "user,item,timestamp\nu,i,1e-30\nu,j,0\n");
        assertEquals(1, new CsvLoader().load(dir, LoadOptions.strict()).interactions().get(0).timestamp(),
                "a large scale is fine when every value fits once scaled");
    }

    // Bug 3: a 5 MB digit string as a timestamp hung in BigDecimal parsing, and the error would quote all of it.

    @Test
    void hugeNumericTimestampFailsFastWithAShortMessage() throws IOException {
        write(dir, "u.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ti\t" + "7".repeat(5 << 20) + "\n");
        DataFormatException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.strict())));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().length() < 300, e.getMessage().length() + " characters");
    }

    // Bug 4: HTML reference decoding searched the whole rest of the text for ';' at every '&' (quadratic).

    @Test
    void titleOfFiveMegabytesOfAmpersandsLoads() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:token\nu\ta\n");
        write(dir, "x.item", "item_id:token\ttitle:token\na\t" + "&".repeat(5 << 20) + "&amp;\n");
        // Above the default line limit on purpose: this measures the decoding of a huge field, not the limit.
        LoadOptions roomy = LoadOptions.strict().withMaxLineLength(8 << 20);
        RawData raw = assertTimeoutPreemptively(GUARD, () -> new RecBoleLoader().load(dir, roomy));
        String title = raw.items().get("a").title();
        assertEquals((5 << 20) + 1, title.length());
        assertTrue(title.chars().allMatch(c -> c == '&'));
        assertEquals("x & y \u00e9", ItemText.decodeHtml("x &amp; y &eacute;"));
    }

    // Bug 5: a u.genre index beyond int range was cast and wrapped onto a valid index.

    @Test
    void genreIndexOutOfIntRangeIsAnError() throws IOException {
        write(dir, "u.data", "1\t10\t4\t100\n");
        write(dir, "u.genre", "a|4294967296\nb|1\n");
        write(dir, "u.item", "10|T|||u|1|0\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1)));
        assertEquals("index", e.field());
        assertEquals(1, e.line());
    }
}
