package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.DataPaths;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Settings whose memory would exceed the machine are refused before anything is allocated, with a usage
 * error (exit 2) naming the option to lower and the estimate. Only the refusals run here: the settings
 * themselves would need tens of GiB.
 */
class MemoryRefusalTest {
    private static Path ml100k() {
        Optional<Path> found = DataPaths.dataset("ml-100k");
        Assumptions.assumeTrue(found.isPresent(), "ml-100k not available");
        return found.get();
    }

    private static MainTest.Result train(String... extra) {
        return trainModel("comirec-sa", extra);
    }

    private static MainTest.Result trainModel(String model, String... extra) {
        String[] base = {"train", "--data", ml100k().toString(), "--model", model, "--steps", "20",
                "--eval-every", "0"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return MainTest.run(all);
    }

    private static void refused(MainTest.Result r, String option) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(option), r.err());
        assertTrue(r.err().contains("GiB"), r.err());
        assertTrue(r.err().contains("Lower " + option), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.out().contains("stopped:"), "refused before training: " + r.out());
    }

    @Test
    void hugeDimensionIsRefusedNamingDim() {
        long t0 = System.nanoTime();
        MainTest.Result r = train("--dim", "30000");
        refused(r, "--dim");
        assertTrue(r.err().contains("--dim 30000 weighs most"), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "refused quickly");
    }

    @Test
    void hugeBatchIsRefusedNamingBatch() {
        refused(train("--batch", "100000000"), "--batch");
    }

    @Test
    void hugeInterestCountIsRefusedNamingInterests() {
        refused(train("--interests", "100000"), "--interests");
    }

    @Test
    void hugeDimensionIsRefusedForTheCapsuleEncoders() {
        refused(trainModel("comirec-dr", "--dim", "100000"), "--dim");
    }
}
