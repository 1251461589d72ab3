package dev.eimf.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class NpyWriterTest {
    @TempDir
    Path dir;

    /**
     * The header for shape (2, 3), derived by hand from the NumPy format spec (format.py): magic
     * {@code \x93NUMPY}, version 1 0, a little-endian u16 header length, then the dict (59 chars),
     * NumPy's 21 - len("2") = 20 growth spaces, and spaces plus '\n' up to a multiple of 64:
     * 10 + 59 + 20 + 1 = 90, so 38 more spaces and the whole header is 128 bytes, length field 118.
     */
    @Test
    void headerForShape2x3IsExactlyWhatTheSpecGives() throws IOException {
        Path f = dir.resolve("a.npy");
        NpyWriter.write(f, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] b = Files.readAllBytes(f);
        assertEquals(128 + 24, b.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0}, Arrays.copyOf(b, 10));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(59, dict.length());
        assertEquals(dict + " ".repeat(58) + "\n", new String(b, 10, 118, StandardCharsets.US_ASCII));
        // 1.0f = 0x3F800000, little-endian; 6.0f = 0x40C00000.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, Arrays.copyOfRange(b, 128, 132));
        assertArrayEquals(new byte[] {0, 0, (byte) 0xC0, 0x40}, Arrays.copyOfRange(b, 148, 152));
    }

    @Test
    void headersOfOtherShapesAreAlignedAndPythonTuples() {
        assertEquals("(5,)", NpyWriter.shapeRepr(new int[] {5}));
        assertEquals("()", NpyWriter.shapeRepr(new int[0]));
        assertEquals("(12102, 64)", NpyWriter.shapeRepr(new int[] {12102, 64}));
        for (int[] shape : new int[][] {{}, {5}, {2, 3}, {12102, 64}, {0, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}) {
            int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            byte[] h = NpyWriter.header(shape, n);
            assertEquals(0, h.length % 64, Arrays.toString(shape));
            assertEquals('\n', h[h.length - 1]);
            assertEquals(h.length - 10, (h[8] & 0xFF) | (h[9] & 0xFF) << 8);
        }
    }

    @Test
    void roundTripsThroughTheReader() throws IOException {
        Path f = dir.resolve("m.npy");
        float[][] m = {{1.5f, -0.0f, Float.MIN_VALUE}, {Float.MAX_VALUE, -7f, 1e-20f}};
        NpyWriter.write(f, m);
        NpyReader.NpyArray a = NpyReader.read(f);
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {1.5f, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -7f, 1e-20f}, a.data());
        Path g = dir.resolve("nd.npy");
        NpyWriter.write(g, Nd4j.createFromArray(new double[][][] {{{1, 2}}, {{3, 4}}}));
        assertEquals(new NpyReader.NpyArray(new int[] {2, 1, 2}, new float[] {1, 2, 3, 4}), NpyReader.read(g));
        Path s = dir.resolve("s.npy");
        NpyWriter.write(s, new float[] {42}, new int[0]);
        assertEquals(new NpyReader.NpyArray(new int[0], new float[] {42}), NpyReader.read(s));
    }

    @Test
    void readerRejectsWhatItDoesNotSupport() throws IOException {
        Path f = dir.resolve("f8.npy");
        byte[] b = NpyWriter.header(new int[] {1}, 1);
        String text = new String(b, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<f8'");
        byte[] data = new byte[8];
        Files.write(f, concat(text.getBytes(StandardCharsets.ISO_8859_1), data));
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(f));
        assertEquals("descr", e.field());
        Path g = dir.resolve("short.npy");
        NpyWriter.write(g, new float[] {1, 2, 3}, 3);
        Files.write(g, Arrays.copyOf(Files.readAllBytes(g), 128 + 8));
        e = assertThrows(DataFormatException.class, () -> NpyReader.read(g));
        assertTrue(e.getMessage().contains("needs 12 data bytes, the file has 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.header(new int[] {2, 2}, 3));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
