package dev.eimf.bench;

import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.ibim.InterestEncoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The multi-interest encoders (ComiRec-SA attention, ComiRec-DR and MIND routing) at the training
 * shape: batch 128, d 64, K 4, T 20 or 50, full histories (every position real, so the FLOP counts of
 * {@link Flops} are exact). Forward alone and forward+backward, each releasing its pass as the trainer
 * does, so that the encoder's buffers are reused. The forks add {@code jdk.incubator.vector}, as
 * {@code bin/eimf} does, so that the Vector API dot products are measured; append
 * {@code -jvmArgsAppend -Deimf.vector=false} to measure the scalar loops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class EncoderBench {
    /** Users per batch. */
    public static final int BATCH = 128;
    /** Embedding size d. */
    public static final int DIM = 64;
    /** Interests K. */
    public static final int K = 4;
    /** DR/MIND routing iterations (the configuration default). */
    public static final int ROUTING_ITERATIONS = 3;

    @Param({"SA", "DR", "MIND"})
    public EncoderType type;

    @Param({"20", "50"})
    public int maxLen;

    private InterestEncoder encoder;
    private INDArray x;
    private INDArray mask;
    private INDArray dInterests;
    private SplittableRandom rng;

    @Setup
    public void setup() {
        EncoderConfig cfg = EncoderConfig.builder(type).dim(DIM).numInterests(K).maxLen(maxLen)
                .routingIterations(ROUTING_ITERATIONS).build();
        rng = new SplittableRandom(42);
        encoder = Encoders.create(cfg, rng);
        x = normal(rng, 0.1, BATCH, maxLen, DIM);
        mask = Nd4j.ones(DataType.FLOAT, BATCH, maxLen);
        dInterests = normal(rng, 0.01, BATCH, K, DIM);
    }

    static INDArray normal(SplittableRandom rng, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * rng.nextGaussian());
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    @Benchmark
    public void forward(Blackhole bh) {
        InterestEncoder.Pass pass = encoder.forward(x, mask, true, rng);
        bh.consume(pass.interests());
        pass.release();
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        InterestEncoder.Pass pass = encoder.forward(x, mask, true, rng);
        bh.consume(pass.backward(dInterests));
        pass.release();
    }
}
