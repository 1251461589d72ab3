package dev.eimf.internal.train;

import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A training process for {@link CheckpointTest}: trains on a seeded synthetic split with a checkpoint
 * every 5 steps, prints "step N" after every step, and writes the final validation metrics and a digest
 * of the weights to a file. Arguments: CHECKPOINT OUT [resume].
 */
public final class CheckpointChild {
    private CheckpointChild() {
    }

    static Split split() {
        SplittableRandom r = new SplittableRandom(7);
        List<int[]> train = new ArrayList<>();
        List<EvalCase> valid = new ArrayList<>();
        for (int u = 0; u < 300; u++) {
            int g = u % 6;
            int len = 6 + r.nextInt(14);
            int[] seq = new int[len];
            for (int i = 0; i < len; i++) {
                seq[i] = 1 + g + 6 * r.nextInt(15);
            }
            if (u < 250) {
                train.add(seq);
            } else {
                int cut = len * 4 / 5;
                valid.add(new EvalCase(u, Arrays.copyOf(seq, cut), Arrays.copyOfRange(seq, cut, len)));
            }
        }
        int[] users = new int[train.size()];
        for (int i = 0; i < users.length; i++) {
            users[i] = i;
        }
        return new Split("synthetic", 90, users, train.toArray(int[][]::new), valid, valid);
    }

    static TrainerConfig config() {
        EncoderConfig ec = EncoderConfig.builder(EncoderType.SA).dim(16).numInterests(3).maxLen(10).build();
        return TrainerConfig.builder(rng -> Encoders.create(ec, rng)).batchSize(32).learningRate(0.01)
                .maxSteps(300).evalEvery(50).logEvery(1).threads(2).seed(5)
                .evalConfig(EvalConfig.builder().cutoffs(10, 20).build()).selectionMetric("recall@20").build();
    }

    /** A digest of a run's outcome: validations and the restored weights. */
    static String digest(TrainingResult r) {
        return r.validations().stream().map(v -> v.step() + ":" + v.metrics().values()).toList()
                + " best " + r.bestStep() + " table " + Arrays.hashCode(r.model().itemTable().data().asFloat());
    }

    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]);
        Path out = Path.of(args[1]);
        RunOptions options = RunOptions.defaults().withCheckpoint(checkpoint, 5);
        if (args.length > 2 && args[2].equals("resume")) {
            options = options.withResume(checkpoint);
        }
        TrainingResult r = new Trainer(config()).train(split(), p -> {
            System.out.println("step " + p.step());
            System.out.flush();
        }, options);
        Files.writeString(out, digest(r));
    }
}
