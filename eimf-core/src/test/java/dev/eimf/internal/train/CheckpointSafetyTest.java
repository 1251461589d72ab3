package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.eval.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A checkpoint is read only as a regular file, not through a link; a failed write names the file. */
class CheckpointSafetyTest {
    @TempDir
    Path tmp;

    private static Split split() {
        int[][] train = new int[20][];
        int[] users = new int[train.length];
        for (int u = 0; u < train.length; u++) {
            train[u] = new int[] {1 + u, 2 + u, 3 + u, 4 + u};
            users[u] = u;
        }
        return new Split("synthetic", 30, users, train, List.of(), List.of());
    }

    private static Trainer trainer() {
        return new Trainer(TrainerConfig.builder(rng -> new MeanPoolEncoder(8, 2, 5, DataType.FLOAT, rng))
                .batchSize(4).maxSteps(3).evalEvery(0).threads(1).seed(1).build());
    }

    private static UncheckedIOException resumeFails(Path from, String... fragments) {
        UncheckedIOException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                UncheckedIOException.class, () -> trainer().train(split(), TrainingListener.NONE,
                        RunOptions.defaults().withResume(from))));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
        return e;
    }

    @Test
    void aSymlinkedCheckpointIsNotFollowed() throws Exception {
        Path real = tmp.resolve("real.ckpt");
        trainer().train(split(), TrainingListener.NONE, RunOptions.defaults().withCheckpoint(real, 1));
        trainer().train(split(), TrainingListener.NONE, RunOptions.defaults().withResume(real)); // a good one resumes
        Path link = Files.createSymbolicLink(tmp.resolve("link.ckpt"), real);
        resumeFails(link, link.toString(), "symbolic link");
    }

    @Test
    void devicesAndFifosAreRefusedWithoutReading() throws Exception {
        resumeFails(Path.of("/dev/zero"), "/dev/zero", "not a regular file");
        Path fifo = tmp.resolve("fifo.ckpt");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
            resumeFails(fifo, fifo.toString(), "not a regular file");
        }
    }

    @Test
    void aFailedCheckpointWriteNamesTheFile() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file where a directory should be");
        Path ckpt = blocker.resolve("run.ckpt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> trainer().train(split(),
                TrainingListener.NONE, RunOptions.defaults().withCheckpoint(ckpt, 1)));
        assertTrue(e.getMessage().contains(ckpt.toString()) && e.getMessage().contains("checkpoint"), e.getMessage());
    }
}
