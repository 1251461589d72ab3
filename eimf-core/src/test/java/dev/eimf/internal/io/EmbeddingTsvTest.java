package dev.eimf.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.DataFormatException;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingTsvTest {
    @TempDir
    Path dir;

    @Test
    void itemsRoundTripBitForBitAndSkipPadding() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        float[][] table = new float[4][3];
        for (float[] row : table) for (int j = 0; j < 3; j++) row[j] = (float) r.nextGaussian();
        table[2] = new float[] {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
        ItemCatalog catalog = new ItemCatalog(List.of(ItemInfo.idOnly("a"), ItemInfo.idOnly("ñ é"), ItemInfo.idOnly("c")));
        Path f = dir.resolve("items.tsv");
        EmbeddingTsv.writeItems(f, catalog, table);
        List<String> lines = Files.readAllLines(f);
        assertEquals("item_id\tv1\tv2\tv3", lines.get(0));
        assertEquals("ñ é\t-0.0\t1.4E-45\t3.4028235E38", lines.get(2));
        assertEquals(4, lines.size());
        Map<String, float[]> back = EmbeddingTsv.readItems(f);
        assertEquals(List.of("a", "ñ é", "c"), List.copyOf(back.keySet()));
        for (int i = 1; i <= 3; i++) {
            float[] v = back.get(catalog.externalId(i));
            for (int j = 0; j < 3; j++) {
                assertEquals(Float.floatToRawIntBits(table[i][j]), Float.floatToRawIntBits(v[j]), i + "," + j);
            }
        }
    }

    @Test
    void userInterestsRoundTrip() throws IOException {
        SplittableRandom r = new SplittableRandom(2);
        float[][][] interests = new float[3][4][5];
        for (float[][] u : interests) for (float[] v : u) for (int j = 0; j < 5; j++) v[j] = (float) r.nextGaussian();
        Path f = dir.resolve("users.tsv");
        EmbeddingTsv.writeUserInterests(f, List.of("u1", "u2", "u3"), interests);
        List<String> lines = Files.readAllLines(f);
        assertEquals("user_id\tinterest\tv1\tv2\tv3\tv4\tv5", lines.get(0));
        assertTrue(lines.get(6).startsWith("u2\t1\t"), lines.get(6));
        assertEquals(13, lines.size());
        Map<String, float[][]> back = EmbeddingTsv.readUserInterests(f);
        assertEquals(List.of("u1", "u2", "u3"), List.copyOf(back.keySet()));
        for (int u = 0; u < 3; u++) {
            assertEquals(4, back.get("u" + (u + 1)).length);
            for (int k = 0; k < 4; k++) assertArrayEquals(interests[u][k], back.get("u" + (u + 1))[k]);
        }
    }

    @Test
    void badInputIsNamed() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTsv.writeItems(dir.resolve("x.tsv"), List.of("a\tb"), new float[2][2]));
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTsv.writeItems(dir.resolve("x.tsv"), List.of("a"), new float[][] {{0}, {Float.NaN}}));
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "item_id\tv1\tv2\na\t1.0\t2.0\nb\t1.0\tx\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> EmbeddingTsv.readItems(f));
        assertEquals(3, e.line());
        assertEquals("v2", e.field());
        Files.writeString(f, "user_id\tinterest\tv1\nu\t0\t1\nu\t2\t1\n");
        e = assertThrows(DataFormatException.class, () -> EmbeddingTsv.readUserInterests(f));
        assertEquals(3, e.line());
        assertEquals("interest", e.field());
    }
}
