package dev.eimf.bench;

import dev.eimf.internal.train.AdamConfig;
import dev.eimf.internal.train.Candidates;
import dev.eimf.internal.train.LogUniformSampler;
import dev.eimf.internal.train.SampledSoftmax;
import dev.eimf.internal.train.TableAdam;
import dev.eimf.internal.train.TableGradient;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two item-table kernels of a training step at the Amazon Beauty shape (12,101 items, d 64, batch
 * 128): the sampled-softmax loss forward+backward with 1,280 shared log-uniform negatives (the table
 * gradient cleared and refilled each time, as in a step), and the Adam update of the table from a sparse
 * gradient touching {@link #TOUCHED_ROWS} distinct rows (the most one step can touch: 128 targets, 1,280
 * negatives, 128 x 20 history positions).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainStepBench {
    /** Items in the catalogue (Amazon Beauty after 5-core filtering). */
    public static final int ITEMS = 12101;
    /** Embedding size d. */
    public static final int DIM = 64;
    /** Users per batch. */
    public static final int BATCH = 128;
    /** Shared negatives per step (10 x batch, as ComiRec). */
    public static final int NEGATIVES = 1280;
    /** Distinct table rows with a gradient in the Adam benchmark. */
    public static final int TOUCHED_ROWS = BATCH + NEGATIVES + BATCH * 20;

    /** Inputs of the loss benchmark. */
    @State(Scope.Thread)
    public static class Loss {
        INDArray table;
        INDArray user;
        int[] targets;
        Candidates negatives;
        SampledSoftmax softmax;
        TableGradient grad;

        @Setup
        public void setup() {
            SplittableRandom rng = new SplittableRandom(11);
            table = EncoderBench.normal(rng, 0.1, ITEMS + 1, DIM);
            user = EncoderBench.normal(rng, 0.1, BATCH, DIM);
            targets = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                targets[i] = 1 + rng.nextInt(ITEMS);
            }
            negatives = new LogUniformSampler(ITEMS).sample(NEGATIVES, rng);
            softmax = new SampledSoftmax();
            grad = new TableGradient(ITEMS + 1, DIM);
        }
    }

    /** Optimiser and a fixed sparse gradient for the Adam benchmark. */
    @State(Scope.Thread)
    public static class Adam {
        @Param({"LAZY", "DENSE"})
        public TableAdam.Mode mode;

        TableAdam adam;
        TableGradient grad;
        long step;

        @Setup
        public void setup() {
            SplittableRandom rng = new SplittableRandom(12);
            adam = new TableAdam(AdamConfig.of(1e-3), mode, EncoderBench.normal(rng, 0.1, ITEMS + 1, DIM));
            grad = new TableGradient(ITEMS + 1, DIM);
            // TOUCHED_ROWS distinct rows: a seeded partial shuffle of 1..ITEMS
            int[] ids = new int[ITEMS];
            for (int i = 0; i < ITEMS; i++) {
                ids[i] = i + 1;
            }
            double[] g = new double[DIM];
            for (int i = 0; i < TOUCHED_ROWS; i++) {
                int j = i + rng.nextInt(ITEMS - i);
                int t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
                for (int c = 0; c < DIM; c++) {
                    g[c] = 1e-3 * rng.nextGaussian();
                }
                grad.add(ids[i], g, 0, 1.0);
            }
            if (grad.size() != TOUCHED_ROWS) {
                throw new IllegalStateException("expected " + TOUCHED_ROWS + " rows, got " + grad.size());
            }
        }
    }

    @Benchmark
    public double sampledSoftmax(Loss s) {
        s.grad.clear();
        return s.softmax.forwardBackward(s.user, s.targets, s.table, s.negatives, s.grad).loss();
    }

    @Benchmark
    public INDArray tableAdam(Adam s) {
        s.adam.step(++s.step, s.grad);
        return s.adam.table();
    }
}
