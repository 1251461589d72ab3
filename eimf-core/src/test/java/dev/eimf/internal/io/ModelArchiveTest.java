package dev.eimf.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ModelArchiveTest {
    @TempDir
    Path dir;

    static ModelArchive sample() {
        SplittableRandom r = new SplittableRandom(42);
        float[] items = new float[101 * 8];
        for (int i = 0; i < items.length; i++) items[i] = (float) r.nextGaussian();
        items[8] = -0.0f;
        items[9] = Float.MIN_VALUE;
        items[10] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
        items[11] = Float.NEGATIVE_INFINITY;
        double[] w = new double[3 * 5 * 2];
        for (int i = 0; i < w.length; i++) w[i] = r.nextDouble() - 0.5;
        w[0] = Double.MIN_NORMAL;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) ids.add(i == 7 ? "B00-ü-\"quoted\"-<tag>" : "item" + i);
        return ModelArchive.builder()
                .config("encoder", "comirec-sa").config("dim", 8).config("lr", 1e-3).config("hungarian", true)
                .metadata("dataset", "amazon-beauty").metadata("note", "línea\nnueva")
                .itemIds(ids)
                .tensor("item_embeddings", TensorData.ofFloats(items, 101, 8))
                .tensor("encoder.W1", TensorData.ofDoubles(w, 3, 5, 2))
                .tensor("scalar", TensorData.ofFloats(new float[] {3.5f}))
                .tensor("empty", TensorData.ofFloats(new float[0], 0, 4))
                .tensor("nd4j", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}))
                .build();
    }

    private Path written() throws IOException {
        Path f = dir.resolve("model.eimf");
        sample().write(f);
        return f;
    }

    @Test
    void roundTripIsBitIdentical() throws IOException {
        ModelArchive a = sample();
        Path f = written();
        ModelArchive b = ModelArchive.read(f);
        assertEquals(a, b);
        assertEquals(a.config(), b.config());
        assertEquals("8", b.config().get("dim"));
        assertEquals(8, b.configInt("dim"));
        assertEquals(1e-3, b.configDouble("lr"));
        assertEquals(a.metadata(), b.metadata());
        assertEquals(a.itemIds(), b.itemIds());
        assertEquals(List.copyOf(a.tensors().keySet()), List.copyOf(b.tensors().keySet()));
        for (String name : a.tensors().keySet()) {
            TensorData x = a.tensor(name);
            TensorData y = b.tensor(name);
            assertEquals(x.dtype(), y.dtype(), name);
            assertArrayEquals(x.shape(), y.shape(), name);
            if (x.dtype() == TensorData.DType.FLOAT32) {
                float[] xv = x.floats();
                float[] yv = y.floats();
                for (int i = 0; i < xv.length; i++) {
                    assertEquals(Float.floatToRawIntBits(xv[i]), Float.floatToRawIntBits(yv[i]), name + "[" + i + "]");
                }
            } else {
                double[] xv = x.doubles();
                double[] yv = y.doubles();
                for (int i = 0; i < xv.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(xv[i]), Double.doubleToRawLongBits(yv[i]), name + "[" + i + "]");
                }
            }
        }
        assertEquals(6f, b.tensor("nd4j").toINDArray().getFloat(1, 2));
        assertEquals(100, b.idOnlyCatalog().size());
        assertEquals(7, b.idOnlyCatalog().internalId("B00-ü-\"quoted\"-<tag>").orElseThrow());
        // Same archive, same bytes.
        Path g = dir.resolve("again.eimf");
        b.write(g);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
    }

    @Test
    void layoutMatchesTheDocumentedPreambleAlignmentAndChecksum() throws IOException {
        byte[] b = Files.readAllBytes(written());
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("EIMFMODL", new String(b, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, bb.getInt(8));
        int h = bb.getInt(12);
        assertEquals(b.length, bb.getLong(16));
        String json = new String(b, 24, h, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"format\":\"eimf-model\",\"version\":1,\"config\":{"), json);
        long dataStart = (24 + h + 63) / 64 * 64;
        for (long i = 24 + h; i < dataStart; i++) assertEquals(0, b[(int) i], "padding byte " + i);
        // The first tensor (item_embeddings) starts the data section: its first float is there.
        assertEquals(sample().tensor("item_embeddings").floats()[0], bb.getFloat((int) dataStart));
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), bb.getInt(b.length - 4));
    }

    @Test
    void emptyArchiveRoundTrips() throws IOException {
        Path f = dir.resolve("empty.eimf");
        ModelArchive a = ModelArchive.builder().build();
        a.write(f);
        assertEquals(a, ModelArchive.read(f));
        assertEquals(0, Files.size(f) % 4); // 64-aligned data start + 4-byte checksum
    }

    @Test
    void truncatedFilesSayWhereTheyEnd() throws IOException {
        byte[] full = Files.readAllBytes(written());
        for (int cut : new int[] {0, 3, 8, 12, 23, 24, 25, 100, 400, full.length / 2, full.length - 5, full.length - 1}) {
            Path f = dir.resolve("cut" + cut);
            Files.write(f, java.util.Arrays.copyOf(full, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(f), "cut " + cut);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            String expected = cut == 0 ? "file is empty"
                    : cut < 24 ? "truncated: file ends at byte " + cut + ", expected at least 24"
                    : "truncated: file ends at byte " + cut + ", expected " + full.length;
            assertTrue(e.getMessage().contains(expected), "cut " + cut + ": " + e.getMessage());
            assertEquals(f, e.file());
        }
        Path longer = dir.resolve("longer");
        Files.write(longer, java.util.Arrays.copyOf(full, full.length + 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(longer));
        assertTrue(e.getMessage().contains("3 unexpected bytes after the end at byte " + full.length), e.getMessage());
    }

    @Test
    void everyFlippedBitAfterThePreambleIsACheckumMismatch() throws IOException {
        byte[] full = Files.readAllBytes(written());
        SplittableRandom r = new SplittableRandom(5);
        int header = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        int[] positions = {24, 24 + header / 2, 24 + header - 1, 24 + header + 100, full.length - 5, full.length - 4,
            full.length - 1, 24 + r.nextInt(full.length - 28)};
        for (int pos : positions) {
            byte[] bad = full.clone();
            bad[pos] ^= (byte) (1 << r.nextInt(8));
            Path f = dir.resolve("flip" + pos);
            Files.write(f, bad);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(f), "byte " + pos);
            assertTrue(e.getMessage().contains("checksum mismatch"), "byte " + pos + ": " + e.getMessage());
        }
        // A flip in the preamble is caught too, by the check for the field it hits.
        for (int pos = 0; pos < 24; pos++) {
            byte[] bad = full.clone();
            bad[pos] ^= 0x10;
            Path f = dir.resolve("pre" + pos);
            Files.write(f, bad);
            assertThrows(ModelFormatException.class, () -> ModelArchive.read(f), "byte " + pos);
        }
    }

    @Test
    void foreignFilesAreNamedAsSuch() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a model\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(text));
        assertTrue(e.getMessage().contains("not an EIMF model file: it starts with 68 65 6C 6C 6F 2C 20 74"), e.getMessage());
        Path npy = dir.resolve("x.npy");
        NpyWriter.write(npy, new float[] {1, 2}, 2);
        e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(npy));
        assertTrue(e.getMessage().contains("not an EIMF model file"), e.getMessage());
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {'E', 'I', 'X'});
        e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(tiny));
        assertTrue(e.getMessage().contains("not an EIMF model file"), e.getMessage());
    }

    @Test
    void futureVersionIsRefusedByNumber() throws IOException {
        byte[] b = Files.readAllBytes(written());
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(8, 3);
        CRC32 crc = new CRC32(); // a well-formed future file: checksum recomputed
        crc.update(b, 0, b.length - 4);
        bb.putInt(b.length - 4, (int) crc.getValue());
        Path f = dir.resolve("v3.eimf");
        Files.write(f, b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(f));
        assertTrue(e.getMessage().contains("unsupported format version 3, this library reads 1"), e.getMessage());
    }

    @Test
    void atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws IOException {
        Path f = written();
        byte[] before = Files.readAllBytes(f);
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", boom.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        ModelArchive.builder().config("x", "y").build().write(f);
        assertNotEquals(before.length, Files.size(f));
        assertEquals("y", ModelArchive.read(f).configString("x"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void builderRejectsDuplicatesAndGettersNameWhatIsMissing() {
        assertThrows(IllegalArgumentException.class, () -> ModelArchive.builder().itemIds(List.of("a", "b", "a")).build());
        assertThrows(IllegalArgumentException.class, () -> ModelArchive.builder()
                .tensor("t", TensorData.ofFloats(new float[1])).tensor("t", TensorData.ofFloats(new float[1])));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new float[5], 2, 3));
        ModelArchive a = ModelArchive.builder().config("dim", "x64").build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.configInt("dim")).getMessage().contains("'x64'"));
        assertTrue(assertThrows(java.util.NoSuchElementException.class, () -> a.tensor("w")).getMessage().contains("'w'"));
    }
}
