package dev.eimf.internal.esim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.DataFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is read line by line with a bound on each line, never as one array of the whole file. */
class InterestStoreStreamingTest {

    @Test
    void anOverlongLineIsRefusedByNumberWithoutReadingTheRest(@TempDir Path dir) throws IOException {
        InterestStore.open(dir).close();  // a valid header
        Path file = dir.resolve(InterestStore.FILE_NAME);
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            for (int i = 0; i <= InterestStore.MAX_LINE_BYTES / chunk.length; i++) out.write(chunk);
            out.write("\n{}\n".getBytes());
        }
        long before = Files.size(file);
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterestStore.open(dir));
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        assertEquals(before, Files.size(file), "a refused store is not modified");
    }
}
