package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecBoleLoaderTest {
    @TempDir
    Path dir;

    private static final String INTER = "user_id:token\titem_id:token\ttimestamp:float\n"
            + "u1\tA\t0\nu1\tB\t1\nu2\tA\t0\n";

    @Test
    void quotedItemFieldsWithTabsNewlinesAndDoubledQuotes() throws IOException {
        write(dir, "Shop.inter", INTER);
        write(dir, "Beauty.txt", "1 2 3\n");
        write(dir, "Shop.item", "item_id:token\ttitle:token\tsales_rank:float\tcategories:token_seq\tbrand:token\n"
                + "A\t\"Cream \nVanilla\"\t1.0\t'Beauty', 'Skin Care'\tOrganix\n"
                + "B\t\"Tab\there &amp; &quot;there&quot; &#x2605; &#39;x&#39; &#153;\"\t\t"
                + "\"'Beauty', \"\"Women's\"\", 'Creams, Gels & Lotions'\"\tACME\n"
                + "C\t\"He said \"\"no\"\"\"\t\t\t\n");
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.strict());
        assertEquals(3, raw.interactions().size());
        assertEquals("Cream Vanilla", raw.items().get("A").title());
        assertEquals(List.of("Beauty", "Skin Care"), raw.items().get("A").categories());
        assertEquals("Organix", raw.items().get("A").brand());
        ItemInfo b = raw.items().get("B");
        assertEquals("Tab here & \"there\" \u2605 'x' \u2122", b.title());
        assertEquals(List.of("Beauty", "Women's", "Creams, Gels & Lotions"), b.categories());
        assertEquals("He said \"no\"", raw.items().get("C").title());
        assertEquals(List.of(), raw.items().get("C").categories());
    }

    @Test
    void errorLineIsWhereTheRecordStarts() throws IOException {
        write(dir, "Shop.inter", INTER);
        write(dir, "Shop.item", "item_id:token\ttitle:token\n"
                + "A\t\"two\nlines\"\n"
                + "B\t\"x\"\textra\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("Shop.item"), e.getMessage());
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(1, raw.report().skippedCount());
        assertEquals("two lines", raw.items().get("A").title());
    }

    @Test
    void fractionalTimestampsKeepOrderExactly() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:token\ttimestamp:float\trating:float\n"
                + "u\ta\t10\t5\nu\tb\t9.75\t\nu\tc\t1e1\t3\n");
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.strict());
        assertEquals(List.of(1000L, 975L, 1000L), raw.interactions().stream().map(Interaction::timestamp).toList());
        assertEquals(5.0, raw.interactions().get(0).rating());
        assertTrue(!raw.interactions().get(1).hasRating());
    }

    @Test
    void missingTimestampColumnUsesFileOrder() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:token\nu\ta\nv\tb\nu\tc\n");
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.strict());
        assertEquals(List.of(0L, 1L, 2L), raw.interactions().stream().map(Interaction::timestamp).toList());
    }

    @Test
    void missingRequiredColumn() throws IOException {
        write(dir, "x.inter", "user_id:token\ttimestamp:float\nu\t1\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertEquals(1, e.line());
        assertEquals("item_id", e.field());
        assertTrue(e.getMessage().contains("item_id") && e.getMessage().contains("x.inter"), e.getMessage());
    }

    @Test
    void badTimestampStrictAndLenient() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:token\ttimestamp:float\nu\ta\t1\nu\tb\tsoon\nu\tc\tNaN\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertEquals(3, e.line());
        assertEquals("timestamp", e.field());
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(1, raw.interactions().size());
        assertEquals(2, raw.report().countsByReason().get("x.inter/timestamp"));
    }

    @Test
    void emptyInterFile() throws IOException {
        write(dir, "x.inter", "");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertTrue(e.getMessage().contains("x.inter") && e.getMessage().contains("empty"), e.getMessage());
        write(dir, "x.inter", "user_id:token\titem_id:token\n");
        e = assertThrows(DataFormatException.class, () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertTrue(e.getMessage().contains("no interactions"), e.getMessage());
    }

    @Test
    void unknownTypeInHeader() throws IOException {
        write(dir, "x.inter", "user_id:token\titem_id:int\nu\ta\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new RecBoleLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1)));
        assertEquals("item_id", e.field());
    }

    @Test
    void tokenSeqCategoriesSplitOnSpaces() throws IOException {
        write(dir, "ml.inter", "user_id:token\titem_id:token\nu\t1\n");
        write(dir, "ml.item", "item_id:token\tmovie_title:token_seq\tgenre:token_seq\n1\tToy Story\tAnimation Comedy\n");
        RawData raw = new RecBoleLoader().load(dir, LoadOptions.strict());
        assertEquals("Toy Story", raw.items().get("1").title());
        assertEquals(List.of("Animation", "Comedy"), raw.items().get("1").categories());
    }

    @Test
    void severalInterFilesNeedAName() throws IOException {
        write(dir, "a.inter", "user_id:token\titem_id:token\nu\t1\n");
        write(dir, "b.inter", "user_id:token\titem_id:token\nv\t2\n");
        assertThrows(DataFormatException.class, () -> new RecBoleLoader().load(dir, LoadOptions.strict()));
        assertEquals("v", new RecBoleLoader("b").load(dir, LoadOptions.strict()).interactions().get(0).user());
    }
}
