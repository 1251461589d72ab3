package dev.eimf.internal.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.train.EncoderFactory;
import dev.eimf.internal.train.Trainer;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed save keeps the old model; a forged model cannot make the loader read outside its directory. */
class ModelFileSafetyTest {
    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        DirectoryReplace.hook = (point, path) -> { };
    }

    private static TrainingResult train(int dim, long seed) {
        EncoderConfig enc = EncoderConfig.builder(EncoderType.SA).dim(dim).numInterests(2).maxLen(10).build();
        TrainerConfig cfg = TrainerConfig.builder(EncoderFactory.of(enc)).batchSize(16).learningRate(0.01)
                .maxSteps(10).evalEvery(0).threads(1).seed(seed).build();
        return new Trainer(cfg).train(ModelStoreTest.split());
    }

    /** The catalogue with long descriptions: a larger item file than {@link ModelStoreTest#catalog()}'s. */
    private static ItemCatalog wordyCatalog() {
        List<ItemInfo> items = new ArrayList<>();
        for (ItemInfo i : ModelStoreTest.catalog().items()) {
            items.add(new ItemInfo(i.externalId(), "Other " + i.title(), i.categories(), i.brand(), "x".repeat(2000)));
        }
        return new ItemCatalog(items);
    }

    private static int[][] recommendations(Path dir) throws IOException {
        SavedModel m = ModelStore.load(dir);
        List<EvalCase> cases = ModelStoreTest.split().test();
        int[][] out = new int[cases.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = m.recommender().recommend(cases.get(i).history(), 10).stream()
                    .mapToInt(r -> r.itemId()).toArray();
        }
        return out;
    }

    private Path oldModel(Path dir) throws IOException {
        TrainingResult old = train(8, 2);
        ModelStore.save(dir, old.model(), ModelStoreTest.catalog(), ModelMetadata.of(old, "s", "loo"));
        return dir;
    }

    private static List<String> leftovers(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    @Test
    void aSaveThatFailsWritingTheArchiveLeavesTheOldModelLoadable() throws Exception {
        Path dir = oldModel(tmp.resolve("model"));
        Files.writeString(dir.resolve("notes.txt"), "kept");
        int[][] before = recommendations(dir);
        TrainingResult next = train(16, 3);
        DirectoryReplace.hook = (point, path) -> {
            if (point.equals("write") && path.getFileName().toString().equals(ModelStore.MODEL_FILE)) {
                throw new IOException("No space left on device");
            }
        };
        IOException e = assertThrows(IOException.class,
                () -> ModelStore.save(dir, next.model(), wordyCatalog(), ModelMetadata.of(next, "s", "loo")));
        assertTrue(e.getMessage().contains(ModelStore.MODEL_FILE) && e.getMessage().contains("No space left"),
                e.getMessage());
        assertArrayEquals(flat(before), flat(recommendations(dir)));
        assertEquals(8, ModelStore.load(dir).dim());
        assertEquals(List.of(), leftovers(tmp), "temporary directories are removed");

        // A failure at the swap itself, after both files are complete, also keeps the old model.
        DirectoryReplace.hook = (point, path) -> {
            if (point.equals("swap")) throw new IOException(path + ": Read-only file system");
        };
        assertThrows(IOException.class,
                () -> ModelStore.save(dir, next.model(), wordyCatalog(), ModelMetadata.of(next, "s", "loo")));
        assertArrayEquals(flat(before), flat(recommendations(dir)));

        noHook();
        ModelStore.save(dir, next.model(), wordyCatalog(), ModelMetadata.of(next, "s", "loo"));
        assertEquals(16, ModelStore.load(dir).dim());
        assertEquals("kept", Files.readString(dir.resolve("notes.txt")), "other files are carried over");
        assertEquals(List.of(), leftovers(tmp));
    }

    private static int[] flat(int[][] a) {
        return java.util.Arrays.stream(a).flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** A real full disk: a 1 MiB tmpfs (needs root and mount; skipped elsewhere). */
    @Test
    void aSaveOnAFullDiskLeavesTheOldModelLoadable() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("tmpfs"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            Path dir = oldModel(mnt.resolve("model"));
            int[][] before = recommendations(dir);
            TrainingResult next = train(64, 3);
            ItemCatalog wordy = wordyCatalog();
            long items = ItemsFile.encode(wordy).length;
            // Room for the new item file and a page, not for the new archive: the old save replaced
            // items.jsonl, then failed on model.eimf.
            long free = Files.getFileStore(mnt).getUsableSpace();
            long fill = free - ((items + 4095) / 4096 * 4096 + 4096);
            try (FileChannel c = FileChannel.open(mnt.resolve("filler"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate(4096);
                for (long w = 0; w < fill; w += 4096) {
                    zeros.clear();
                    c.write(zeros);
                }
            }
            IOException e = assertThrows(IOException.class,
                    () -> ModelStore.save(dir, next.model(), wordy, ModelMetadata.of(next, "s", "loo")));
            assertTrue(e.getMessage().contains(mnt.toString()), e.getMessage());
            assertArrayEquals(flat(before), flat(recommendations(dir)));
            assertEquals(List.of(), leftovers(mnt));
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** Rewrites the archive with changed config values and a recomputed CRC, as a forger would. */
    private static void forge(Path file, UnaryOperator<Map<String, String>> change) throws Exception {
        ModelArchive a = ModelArchive.read(file);
        ModelArchive.Builder b = ModelArchive.builder().config(change.apply(new TreeMap<>(a.config())))
                .itemIds(a.itemIds());
        a.metadata().forEach(b::metadata);
        a.tensors().forEach(b::tensor);
        b.build().write(file);
    }

    private static ModelFormatException refusedQuickly(Path dir, String... fragments) {
        ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(ModelFormatException.class, () -> ModelStore.load(dir)));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
        return e;
    }

    @Test
    void forgedItemFileNamesAreNotFollowed() throws Exception {
        Path dir = oldModel(tmp.resolve("a").resolve("model"));
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        byte[] good = Files.readAllBytes(file);
        for (String name : List.of("../../etc/passwd", "/etc/passwd", "/dev/zero", "..", "sub/items.jsonl")) {
            forge(file, c -> { c.put("items.file", name); c.remove("items.bytes"); return c; });
            refusedQuickly(dir, file.toString(), "'items.file'", name, "not a plain file name");
            Files.write(file, good);
        }
        ModelStore.load(dir);
    }

    @Test
    void specialFilesAndLinksAreRefusedWithoutBeingRead() throws Exception {
        Path dir = oldModel(tmp.resolve("model"));
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        Path items = dir.resolve(ItemsFile.NAME);
        byte[] good = Files.readAllBytes(file);
        byte[] goodItems = Files.readAllBytes(items);

        // items.file naming a link to /dev/zero inside the directory: never opened.
        Files.createSymbolicLink(dir.resolve("zero"), Path.of("/dev/zero"));
        forge(file, c -> { c.put("items.file", "zero"); c.remove("items.bytes"); return c; });
        refusedQuickly(dir, dir.resolve("zero").toString(), "symbolic link");
        Files.write(file, good);

        // A FIFO would block the reader forever.
        Path fifo = dir.resolve("fifo");
        if (run("mkfifo", fifo.toString()) == 0) {
            forge(file, c -> { c.put("items.file", "fifo"); return c; });
            refusedQuickly(dir, fifo.toString(), "not a regular file");
            Files.write(file, good);
            Files.delete(items);
            run("mkfifo", items.toString());
            refusedQuickly(dir, items.toString(), "not a regular file");
            Files.delete(items);
            Files.write(items, goodItems);
        }

        // items.jsonl as a link to an identical copy elsewhere.
        Path elsewhere = Files.write(tmp.resolve("elsewhere.jsonl"), goodItems);
        Files.delete(items);
        Files.createSymbolicLink(items, elsewhere);
        refusedQuickly(dir, items.toString(), "symbolic link");
        Files.delete(items);
        Files.write(items, goodItems);

        // model.eimf itself as a link.
        Path real = Files.write(tmp.resolve("real.eimf"), good);
        Files.delete(file);
        Files.createSymbolicLink(file, real);
        assertThrows(IOException.class, () -> ModelStore.load(dir));
        Files.delete(file);
        Files.write(file, good);
        ModelStore.load(dir);
    }

    @Test
    void theItemFileMustHaveTheDeclaredSize() throws Exception {
        Path dir = oldModel(tmp.resolve("model"));
        Path file = dir.resolve(ModelStore.MODEL_FILE);
        Path items = dir.resolve(ItemsFile.NAME);
        long size = Files.size(items);
        assertEquals(String.valueOf(size), ModelArchive.read(file).config().get("items.bytes"));
        forge(file, c -> { c.put("items.bytes", "10"); return c; });
        refusedQuickly(dir, items.toString(), "declares 10");

        // Without a declared size (older models): at most 1 MiB per item, checked before reading.
        forge(file, c -> { c.remove("items.bytes"); return c; });
        ModelStore.load(dir);
        try (FileChannel c = FileChannel.open(items, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[] {'\n'}), ItemsFile.MAX_BYTES_PER_ITEM * 64); // sparse
        }
        refusedQuickly(dir, items.toString(), "more than the");
    }
}
