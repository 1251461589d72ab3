package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.RawData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MovieLensLoaderTest {
    @TempDir
    Path dir;

    private static final String GENRES = "unknown|0\nAction|1\nComedy|2\n\n\n";

    @Test
    void reads100kWithLatin1TitlesAndGenres() throws IOException {
        write(dir, "u.data", "1\t10\t4\t100\n2\t10\t3\t90\n1\t20\t5\t80\n");
        write(dir, "u.genre", GENRES);
        write(dir, "u.item", "10|Misérables, Les (1995)|01-Jan-1995||http://x|0|1|1\n"
                + "20|Toy Story (1995)|01-Jan-1995||http://y|0|0|1\n"
                + "30|Unrated (1990)|||http://z|1|0|0\n", StandardCharsets.ISO_8859_1);
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.strict());
        assertEquals(List.of(new Interaction("1", "10", 100, 4), new Interaction("2", "10", 90, 3),
                new Interaction("1", "20", 80, 5)), raw.interactions());
        ItemInfo les = raw.items().get("10");
        assertEquals("Misérables, Les (1995)", les.title());
        assertEquals(List.of("Action", "Comedy"), les.categories());
        assertEquals(List.of("Comedy"), raw.items().get("20").categories());
        assertEquals(3, raw.items().size(), "item rows for items without interactions are kept");
        assertEquals(String.valueOf(dir.getFileName()), raw.name());
    }

    @Test
    void strictErrorNamesFileLineAndField() throws IOException {
        write(dir, "u.data", "1\t10\t4\t100\n2\t10\tgood\t90\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.strict()));
        assertEquals(2, e.line());
        assertEquals("rating", e.field());
        assertTrue(e.getMessage().contains("u.data"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("rating"), e.getMessage());
    }

    @Test
    void lenientSkipsAndCountsByReason() throws IOException {
        write(dir, "u.data", "1\t10\t4\t100\n2\t10\t3\n3\tx\t3\t5\n4\t10\t3\tnoon\n5\t11\t2\t7\n");
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals(2, raw.interactions().size());
        assertEquals(3, raw.report().skippedCount());
        assertEquals(Map.of("u.data/record", 1, "u.data/item", 1, "u.data/timestamp", 1), raw.report().countsByReason());
        assertEquals(List.of(2L, 3L, 4L), raw.report().skipped().stream().map(DataFormatException::line).toList());
    }

    @Test
    void emptyRatingsFileIsAClearError() throws IOException {
        write(dir, "u.data", "");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.strict()));
        assertTrue(e.getMessage().contains("u.data") && e.getMessage().contains("no interactions"), e.getMessage());
    }

    @Test
    void allLinesBadInLenientModeIsAnError() throws IOException {
        write(dir, "u.data", "a\tb\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1)));
        assertTrue(e.getMessage().contains("all 1 data lines"), e.getMessage());
    }

    @Test
    void readsDatLayoutWithLatin1Fallback() throws IOException {
        write(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
        write(dir, "movies.dat", "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
                + "661::Misérables, Les (1995)::Drama|Musical\n", StandardCharsets.ISO_8859_1);
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.strict());
        assertEquals(new Interaction("1", "661", 978302109L, 3), raw.interactions().get(1));
        assertEquals("Misérables, Les (1995)", raw.items().get("661").title());
        assertEquals(List.of("Drama", "Musical"), raw.items().get("661").categories());
    }

    @Test
    void readsDatLayoutAsUtf8WhenValid() throws IOException {
        write(dir, "ratings.dat", "1::5::5::1\n");
        write(dir, "movies.dat", "5::Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)::(no genres listed)\n");
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.strict());
        assertEquals("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", raw.items().get("5").title());
        assertEquals(List.of(), raw.items().get("5").categories());
    }

    @Test
    void datWrongColumnCount() throws IOException {
        write(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.strict()));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("ratings.dat") && e.getMessage().contains("expected 4 columns"), e.getMessage());
    }

    @Test
    void readsCsvLayoutWithQuotedTitles() throws IOException {
        write(dir, "ratings.csv", "userId,movieId,rating,timestamp\r\n1,11,4.5,1000\r\n2,12,0.5,-5\r\n");
        write(dir, "movies.csv", "movieId,title,genres\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "12,\"\"\"Great Performances\"\" Cats (1998)\",Musical\n"
                + "13,Plain (2000),(no genres listed)\n");
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.strict());
        assertEquals(List.of(new Interaction("1", "11", 1000, 4.5), new Interaction("2", "12", -5, 0.5)),
                raw.interactions());
        assertEquals("American President, The (1995)", raw.items().get("11").title());
        assertEquals(List.of("Comedy", "Drama", "Romance"), raw.items().get("11").categories());
        assertEquals("\"Great Performances\" Cats (1998)", raw.items().get("12").title());
        assertEquals(List.of(), raw.items().get("13").categories());
    }

    @Test
    void csvMissingColumnNamesItOnLineOne() throws IOException {
        write(dir, "ratings.csv", "userId,movieId,timestamp\n1,2,3\n");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1)));
        assertEquals(1, e.line());
        assertEquals("rating", e.field());
        assertTrue(e.getMessage().contains("ratings.csv"), e.getMessage());
    }

    @Test
    void duplicateItemRowIsReported() throws IOException {
        write(dir, "ratings.dat", "1::1::5::1\n");
        write(dir, "movies.dat", "1::A (1990)::Drama\n1::B (1991)::Drama\n");
        RawData raw = new MovieLensLoader().load(dir, LoadOptions.lenientMode().withMaxSkippedShare(1));
        assertEquals("A (1990)", raw.items().get("1").title());
        assertEquals(2, raw.report().skipped().get(0).line());
    }
}
