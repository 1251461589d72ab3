package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.internal.io.ModelFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @Test
    void resumingAfterAFailureGivesTheUninterruptedResult(@TempDir Path dir) {
        Split5 s = new Split5();
        TrainingResult whole = new Trainer(CheckpointChild.config()).train(s.split);
        Path ckpt = dir.resolve("run.ckpt");
        RuntimeException crash = assertThrows(RuntimeException.class, () -> new Trainer(CheckpointChild.config())
                .train(s.split, p -> {
                    if (p.step() == 133) {
                        throw new IllegalStateException("simulated crash");
                    }
                }, RunOptions.defaults().withCheckpoint(ckpt, 10)));
        assertEquals("simulated crash", crash.getMessage());
        TrainingResult resumed = new Trainer(CheckpointChild.config()).train(s.split, TrainingListener.NONE,
                RunOptions.defaults().withCheckpoint(ckpt, 10).withResume(ckpt));
        assertEquals(CheckpointChild.digest(whole), CheckpointChild.digest(resumed));
        assertEquals(whole.steps(), resumed.steps());
    }

    @Test
    void aCheckpointOfAnotherConfigurationOrAForeignFileIsRefused(@TempDir Path dir) throws IOException {
        Split5 s = new Split5();
        Path ckpt = dir.resolve("a.ckpt");
        new Trainer(CheckpointChild.config().toBuilder().maxSteps(20).build()).train(s.split, TrainingListener.NONE,
                RunOptions.defaults().withCheckpoint(ckpt, 0));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new Trainer(
                CheckpointChild.config().toBuilder().seed(99).build()).train(s.split, TrainingListener.NONE,
                RunOptions.defaults().withResume(ckpt)));
        assertTrue(e.getCause() instanceof ModelFormatException && e.getMessage().contains("a.ckpt")
                && e.getMessage().contains("another configuration"), e.getMessage());
        Path foreign = dir.resolve("foreign.ckpt");
        Files.writeString(foreign, "not a checkpoint at all");
        e = assertThrows(UncheckedIOException.class, () -> new Trainer(CheckpointChild.config()).train(s.split,
                TrainingListener.NONE, RunOptions.defaults().withResume(foreign)));
        assertTrue(e.getMessage().contains("foreign.ckpt"), e.getMessage());
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 0x10;
        Path flipped = dir.resolve("flipped.ckpt");
        Files.write(flipped, bytes);
        e = assertThrows(UncheckedIOException.class, () -> new Trainer(CheckpointChild.config()).train(s.split,
                TrainingListener.NONE, RunOptions.defaults().withResume(flipped)));
        assertTrue(e.getMessage().contains("flipped.ckpt"), e.getMessage());
    }

    /** Kills a training process with SIGKILL at a random step, resumes it, and compares with a whole run. */
    @Test
    void killedProcessResumesToTheSameResult(@TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(2026);
        Path wholeOut = dir.resolve("whole.txt");
        runChild(dir.resolve("whole.ckpt"), wholeOut, false, -1);
        String whole = Files.readString(wholeOut);
        int runs = 2;
        for (int i = 0; i < runs; i++) {
            int killAt = 20 + r.nextInt(250);
            Path ckpt = dir.resolve("kill" + i + ".ckpt");
            Path out = dir.resolve("kill" + i + ".txt");
            int reached = runChild(ckpt, out, false, killAt);
            assertTrue(reached >= killAt && !Files.exists(out), "process should have been killed at " + killAt);
            runChild(ckpt, out, true, -1);
            String resumed = Files.readString(out);
            System.out.println("CheckpointTest: killed at step " + reached + ", resumed; metrics equal: "
                    + whole.equals(resumed));
            assertEquals(whole, resumed, "killed at step " + reached);
        }
    }

    /** Runs the child; with {@code killAt >= 0} kills it (SIGKILL) once it reports that step. */
    private static int runChild(Path ckpt, Path out, boolean resume, int killAt) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), CheckpointChild.class.getName(),
                ckpt.toString(), out.toString()));
        if (resume) {
            cmd.add("resume");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int last = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("step ")) {
                    last = Integer.parseInt(line.substring(5).trim());
                    if (killAt >= 0 && last >= killAt) {
                        p.destroyForcibly(); // SIGKILL on Linux
                        break;
                    }
                } else {
                    System.out.println("child: " + line);
                }
            }
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child did not finish");
        if (killAt < 0) {
            assertEquals(0, p.exitValue(), "child failed");
        }
        return last;
    }

    private static final class Split5 {
        final dev.eimf.eval.Split split = CheckpointChild.split();
    }
}
