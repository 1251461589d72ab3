package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsInteractionsAndItems() throws IOException {
        write(dir, "interactions.csv", "user,item,timestamp,rating\r\nalice,i1,5,4\r\nbob,\"i,2\",3,\r\n");
        write(dir, "items.csv", "item,title,categories\ni1,\"Book, \"\"The\"\"\",Books|Fiction\ni9,Unused,\n");
        RawData raw = new CsvLoader().load(dir, LoadOptions.strict());
        assertEquals(List.of(new Interaction("alice", "i1", 5, 4), new Interaction("bob", "i,2", 3, Double.NaN)),
                raw.interactions());
        assertEquals("Book, \"The\"", raw.items().get("i1").title());
        assertEquals(List.of("Books", "Fiction"), raw.items().get("i1").categories());
        assertFalse(raw.items().get("i9").categories().iterator().hasNext());
    }

    @Test
    void malformedLinesStrictAndLenient() throws IOException {
        write(dir, "interactions.csv", "user,item,timestamp\na,1,1\nb,2\nc,3,x\nd,4,4\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(dir.resolve("interactions.csv") + ", line 3"), e.getMessage());
        RawData raw = new CsvLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(2, raw.interactions().size());
        assertEquals(2, raw.report().skippedCount());
        assertEquals(1, raw.report().countsByReason().get("interactions.csv/timestamp"));
    }

    @Test
    void missingColumn() throws IOException {
        write(dir, "interactions.csv", "user,timestamp\na,1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new CsvLoader().load(dir, LoadOptions.strict()));
        assertEquals(1, e.line());
        assertEquals("item", e.field());
    }
}
