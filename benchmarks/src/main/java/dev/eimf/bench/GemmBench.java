package dev.eimf.bench;

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

/**
 * The machine's reference: an ND4J (OpenBLAS, all cores) float GEMM {@code C = A B}, n x n. Every other
 * kernel is reported as a fraction of its GFLOP/s ({@link Flops#gemm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBench {

    @Param({"1024"})
    public int n;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setup() {
        Nd4j.getRandom().setSeed(1);
        a = Nd4j.randn(DataType.FLOAT, n, n);
        b = Nd4j.randn(DataType.FLOAT, n, n);
        c = Nd4j.create(DataType.FLOAT, n, n);
    }

    @Benchmark
    public INDArray gemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
