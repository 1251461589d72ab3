package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.DataPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output locations that cannot be written are refused before training, naming the option and the path. */
class OutputPreflightTest {
    @Test
    void unwritableOutputsAreFoundBeforeTraining(@TempDir Path tmp) throws Exception {
        Optional<Path> data = DataPaths.dataset("ml-100k");
        Assumptions.assumeTrue(data.isPresent(), "ml-100k not available");
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file where a directory should be");
        for (String option : new String[] {"--out", "--checkpoint"}) {
            Path target = blocker.resolve("x");
            MainTest.Result r = MainTest.run("train", "--data", data.get().toString(), "--model", "comirec-sa",
                    "--steps", "20", "--eval-every", "0", option, target.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains(option + " " + target) && r.err().contains("is not a directory"), r.err());
            assertFalse(r.out().contains("stopped:"), "refused before training: " + r.out());
        }
    }
}
