package dev.eimf.bench;

import dev.eimf.internal.serve.ExactItemIndex;
import dev.eimf.internal.serve.ScoredItem;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Exact max-over-K top-50 retrieval ({@link ExactItemIndex}, default options) over a catalogue of
 * random normal item vectors (seeded), K 4, d 64: one user per operation (sampled, so the JSON holds the
 * latency percentiles) and a batch of 1,000 users per operation. 12,101 items is the size of Amazon
 * Beauty; 1,000,000 the scale target.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class RetrievalBench {
    /** Embedding size d. */
    public static final int DIM = 64;
    /** Interests per user. */
    public static final int K = 4;
    /** Items per list. */
    public static final int TOP = 50;
    /** Users per batch operation. */
    public static final int BATCH_USERS = 1000;

    @Param({"12101", "1000000"})
    public int items;

    private ExactItemIndex index;
    private float[][][] users;
    private int next;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(7);
        float[][] table = new float[items + 1][DIM];
        for (int i = 1; i <= items; i++) {
            for (int j = 0; j < DIM; j++) {
                table[i][j] = (float) rng.nextGaussian();
            }
        }
        index = ExactItemIndex.of(table);
        users = new float[BATCH_USERS][K][DIM];
        for (float[][] u : users) {
            for (float[] v : u) {
                for (int j = 0; j < DIM; j++) {
                    v[j] = (float) rng.nextGaussian();
                }
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public List<ScoredItem> oneUser() {
        float[][] u = users[next];
        next = next + 1 == users.length ? 0 : next + 1;
        return index.topN(u, TOP);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public List<List<ScoredItem>> batchOf1000() {
        return index.topNBatch(users, TOP);
    }
}
