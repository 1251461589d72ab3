package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits that keep lenient mode honest (issue #23, class 4): an unclosed quote costs its own line, not the rest
 * of the file; a line over the limit is an error instead of an OutOfMemoryError; lenient mode counts the lines
 * and bytes it skips and refuses a file of which it would skip more than the allowed share.
 */
class LoadLimitsTest {
    @TempDir
    Path dir;

    /** Header plus 100,000 interactions; line 3001 (interaction 3,000) opens a quote it never closes. */
    private void writeUnclosedQuoteAtLine3001() throws IOException {
        StringBuilder sb = new StringBuilder("user,item,timestamp\n");
        for (int i = 1; i <= 100_000; i++) {
            sb.append(i == 3000 ? "u3000,\"i3000,3000\n" : "u" + i + ",i" + i + "," + i + "\n");
        }
        write(dir, "interactions.csv", sb.toString());
    }

    @Test
    void anUnclosedQuoteIsAnErrorAtItsLineAndLenientModeLosesOnlyThatLine() throws IOException {
        writeUnclosedQuoteAtLine3001();
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(3001, e.line());
        assertEquals("column 2", e.field());
        assertTrue(e.getMessage().contains("quoted field opened here runs past 1048576 characters"), e.getMessage());

        RawData raw = new CsvLoader().load(dir, LoadOptions.lenientMode());
        assertEquals(99_999, raw.interactions().size());
        assertEquals(new Interaction("u3001", "i3001", 3001, Double.NaN), raw.interactions().get(2999));
        assertEquals(1, raw.report().skippedCount());
        assertEquals(1, raw.report().skippedLines());
        assertEquals("u3000,\"i3000,3000\n".length(), raw.report().skippedBytes());
        assertEquals(100_001, raw.report().linesRead());
        assertEquals(Files.size(dir.resolve("interactions.csv")), raw.report().bytesRead());
    }

    @Test
    void aQuoteLeftOpenAtTheEndOfTheFileCostsOnlyItsLine() throws IOException {
        write(dir, "interactions.csv", "user,item,timestamp\nu1,i1,1\nu2,\"i2,2\nu3,i3,3\nu4,i\"\"4,4\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("quoted field opened here is not closed before end of file"), e.getMessage());
        RawData raw = new CsvLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(3, raw.interactions().size());
        // The quotes inside the field were unescaped while it was read as quoted, and are read again as written.
        assertEquals(new Interaction("u4", "i\"\"4", 4, Double.NaN), raw.interactions().get(2));
        assertEquals(1, raw.report().skippedLines());
        assertEquals("u2,\"i2,2\n".length(), raw.report().skippedBytes());
    }

    @Test
    void aLineOverTheDefaultLimitIsAnErrorNotAnOutOfMemoryError() throws IOException {
        String huge = "u".repeat(LoadOptions.DEFAULT_MAX_LINE_LENGTH + 10);
        write(dir, "interactions.csv", "user,item,timestamp\n" + huge + ",i1,1\nu2,i2,2\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(2, e.line());
        assertEquals("column 1", e.field());
        assertTrue(e.getMessage().contains("line is longer than 1048576 characters"), e.getMessage());
        // Lenient: one line skipped, but nearly all the bytes, which is more than the 1% allowed.
        DataFormatException share = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.lenientMode()));
        assertTrue(share.getMessage().contains("more than the 1.00% allowed"), share.getMessage());
        assertTrue(share.getMessage().contains("1 of 3 lines"), share.getMessage());
    }

    @Test
    void aConfiguredLineLimitHoldsInEveryFormat() throws IOException {
        LoadOptions small = LoadOptions.strict().withMaxLineLength(64);
        String longId = "9".repeat(100);
        write(dir, "interactions.csv", "user,item,timestamp\nu1,i1,1\n" + "u,\"" + "x\n".repeat(40) + "\",2\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> new CsvLoader().load(dir, small));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("quoted field opened here runs past 64 characters"), e.getMessage());

        Path rb = Files.createDirectories(dir.resolve("rb"));
        write(rb, "x.inter", "user_id:token\titem_id:token\nu\t" + longId + "\n");
        e = assertThrows(DataFormatException.class, () -> new RecBoleLoader().load(rb, small));
        assertTrue(e.getMessage().contains("line 2, field 'column 2': line is longer than 64"), e.getMessage());

        Path ml1m = Files.createDirectories(dir.resolve("ml1m"));
        write(ml1m, "ratings.dat", "1::2::3::4\n" + longId + "::2::3::4\n");
        e = assertThrows(DataFormatException.class, () -> new MovieLensLoader().load(ml1m, small));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line is longer than 64"), e.getMessage());

        Path ml100k = Files.createDirectories(dir.resolve("ml100k"));
        write(ml100k, "u.data", "1\t2\t3\t4\n" + longId + "\t2\t3\t4\n");
        e = assertThrows(DataFormatException.class, () -> new MovieLensLoader().load(ml100k, small));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line is longer than 64"), e.getMessage());
    }

    @Test
    void aDatLineOverTheDefaultLimitIsRejectedByItsLength() throws IOException {
        write(dir, "ratings.dat", "1::2::3::4\n" + "7".repeat(LoadOptions.DEFAULT_MAX_LINE_LENGTH + 1) + "::2::3::4\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.strict()));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line is longer than 1048576"),
                e.getMessage());
    }

    @Test
    void lenientModeCountsLinesAndBytesAndRefusesMoreThanTheAllowedShare() throws IOException {
        StringBuilder sb = new StringBuilder("user,item,timestamp\n");
        for (int i = 1; i <= 99; i++) sb.append(i == 10 || i == 20 ? "u" + i + ",i,x\n" : "u" + i + ",i,1\n");
        write(dir, "interactions.csv", sb.toString());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.lenientMode()));
        assertEquals(0, e.line());
        assertTrue(e.getMessage().contains("lenient mode skipped 2 malformed record(s): 2 of 100 lines (2.00%)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("first: " + dir.resolve("interactions.csv") + ", line 11, field 'timestamp'"),
                e.getMessage());

        RawData raw = new CsvLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(0.05));
        assertEquals(97, raw.interactions().size());
        assertEquals(2, raw.report().skippedLines());
        assertEquals("u10,i,x\n".length() + "u20,i,x\n".length(), raw.report().skippedBytes());
        assertEquals(100, raw.report().linesRead());
        assertEquals(sb.toString().getBytes(StandardCharsets.UTF_8).length, raw.report().bytesRead());
    }

    @Test
    void optionsAreValidatedAndTheOneArgumentConstructorKeepsTheDefaults() {
        LoadOptions o = new LoadOptions(true);
        assertEquals(LoadOptions.DEFAULT_MAX_LINE_LENGTH, o.maxLineLength());
        assertEquals(0.01, o.maxSkippedShare());
        assertThrows(IllegalArgumentException.class, () -> o.withMaxLineLength(0));
        assertThrows(IllegalArgumentException.class, () -> o.withMaxSkippedShare(1.5));
        assertThrows(IllegalArgumentException.class, () -> o.withMaxSkippedShare(Double.NaN));
    }
}
