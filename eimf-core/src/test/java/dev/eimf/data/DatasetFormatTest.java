package dev.eimf.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.eimf.internal.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetFormatTest {
    @TempDir
    Path dir;

    @Test
    void detectsEachFormat() throws IOException {
        Path ml = Files.createDirectory(dir.resolve("ml"));
        write(ml, "ratings.dat", "1::2::3::4\n");
        Path rb = Files.createDirectory(dir.resolve("rb"));
        write(rb, "Foo.inter", "user_id:token\titem_id:token\nu\ti\n");
        Path csv = Files.createDirectory(dir.resolve("csv"));
        write(csv, "interactions.csv", "user,item,timestamp\nu,i,1\n");
        assertEquals(DatasetFormat.MOVIELENS, DatasetFormat.detect(ml));
        assertEquals(DatasetFormat.RECBOLE, DatasetFormat.detect(rb));
        assertEquals(DatasetFormat.CSV, DatasetFormat.detect(csv));
        assertEquals("u", DatasetLoaders.load(rb, LoadOptions.strict()).interactions().get(0).user());
    }

    @Test
    void formatCanBeOverridden() throws IOException {
        write(dir, "Foo.inter", "user_id:token\titem_id:token\nu\ti\n");
        write(dir, "interactions.csv", "user,item,timestamp\nv,j,1\n");
        assertEquals("u", DatasetLoaders.load(dir, LoadOptions.strict()).interactions().get(0).user());
        assertEquals("v", DatasetLoaders.load(dir, DatasetFormat.CSV, LoadOptions.strict()).interactions().get(0).user());
    }

    @Test
    void nothingMatchesListsWhatWasLookedFor() {
        write(dir, "readme.txt", "hi");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DatasetFormat.detect(dir));
        for (String f : new String[] {"u.data", "ratings.dat", "ratings.csv", ".inter", "interactions.csv"}) {
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }
}
