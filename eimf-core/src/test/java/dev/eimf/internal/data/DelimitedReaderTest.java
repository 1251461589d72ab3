package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelimitedReaderTest {

    private static List<List<String>> readAll(DelimitedReader r, List<Long> lines) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (List<String> rec = r.next(); rec != null; rec = r.next()) {
            out.add(rec);
            lines.add(r.recordLine());
        }
        return out;
    }

    @Test
    void quotedFieldsWithDelimiterNewlineAndDoubledQuotes() throws IOException {
        String text = "a\tb\n\"x\ty\"\t\"line1\nline2\"\n\"say \"\"hi\"\"\"\tz\r\nlast\t\n";
        List<Long> lines = new ArrayList<>();
        List<List<String>> recs = readAll(new DelimitedReader(new StringReader(text), '\t', Path.of("t.tsv")), lines);
        assertEquals(List.of(List.of("a", "b"), List.of("x\ty", "line1\nline2"), List.of("say \"hi\"", "z"),
                List.of("last", "")), recs);
        assertEquals(List.of(1L, 2L, 4L, 5L), lines);
    }

    @Test
    void crlfAndLoneCrEndRecords() throws IOException {
        List<Long> lines = new ArrayList<>();
        List<List<String>> recs = readAll(new DelimitedReader(new StringReader("\uFEFFa,b\r\nc,d\re,f"), ',', null), lines);
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e", "f")), recs);
        assertEquals(List.of(1L, 2L, 3L), lines);
    }

    @Test
    void quoteInsideUnquotedFieldIsLiteral() throws IOException {
        DelimitedReader r = new DelimitedReader(new StringReader("5\" disc,ok\n"), ',', null);
        assertEquals(List.of("5\" disc", "ok"), r.next());
        assertNull(r.next());
    }

    @Test
    void noQuotingModeKeepsQuotes() throws IOException {
        DelimitedReader r = new DelimitedReader(new StringReader("\"A\"|b\n"), '|', false, null);
        assertEquals(List.of("\"A\"", "b"), r.next());
    }

    @Test
    void unclosedQuoteNamesStartLine() throws IOException {
        DelimitedReader r = new DelimitedReader(new StringReader("ok,1\n\"open,2\nmore\n"), ',', Path.of("f.csv"));
        r.next();
        DataFormatException e = assertThrows(DataFormatException.class, r::next);
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("f.csv"), e.getMessage());
        // Reading goes on at the line after the one where the quote opened.
        assertEquals(List.of("more"), r.next());
        assertEquals(3, r.recordLine());
        assertNull(r.next());
    }

    @Test
    void garbageAfterClosingQuoteSkipsRecordAndContinues() throws IOException {
        DelimitedReader r = new DelimitedReader(new StringReader("\"a\"x,\"b\nc\"\nnext,1\n"), ',', Path.of("f.csv"));
        DataFormatException e = assertThrows(DataFormatException.class, r::next);
        assertEquals(1, e.line());
        assertEquals("column 1", e.field());
        assertEquals(List.of("next", "1"), r.next());
        assertEquals(3, r.recordLine());
    }
}
