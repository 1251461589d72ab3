package dev.eimf.bench;

import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.Simd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An encoder's forward+backward pass ({@link EncoderBench}'s shape) and the reference GEMM
 * ({@link GemmBench}, n 1024) timed in alternating rounds of about 0.2 s each in one JVM, so that both see
 * the same moment of a shared machine, and each round's fraction of the reference reported.
 *
 * <p>{@code run.sh} measures a kernel and the reference a minute or more apart, in separate forks; on
 * this project's virtual machine both drift by 10-25% from minute to minute, so one run's fraction
 * moves by as much. Here the order alternates (encoder first in even rounds, the GEMM first in odd
 * ones) so that a steady drift cancels, and the median of the rounds' fractions is the figure. The
 * encoder runs as training runs it (its BLAS calls on one thread each, its own threads splitting the
 * batch); for the reference rounds OpenBLAS gets all cores, as in {@link GemmBench}'s fork (one untimed
 * product first wakes its threads), and afterwards one thread again and a pause of 0.25 s in which its
 * idle threads stop yielding.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.eimf.bench.KernelRatio \
 *     [TYPE [T [ROUNDS [JSON]]]]
 * </pre>
 * TYPE is {@code SA} (default), {@code DR} or {@code MIND}; T the history length (20); ROUNDS the
 * measured rounds (40) after 6 s of warm-up and 4 unmeasured rounds; JSON an optional file for the rounds and the summary.
 * {@code benchmarks/ratio.sh} runs it.
 */
public final class KernelRatio {
    private static final int N = 1024;
    private static final int WARM_ROUNDS = 4;
    private static final double WARM_SECONDS = 6;
    private static final long SETTLE_MILLIS = 250;
    private static final double ROUND_SECONDS = 0.2;

    private KernelRatio() {
    }

    /**
     * Entry point; see the class comment for the arguments.
     *
     * @param args [TYPE [T [ROUNDS [JSON]]]]
     * @throws IOException if the JSON file cannot be written
     */
    public static void main(String[] args) throws IOException {
        EncoderType type = EncoderType.valueOf(args.length > 0 ? args[0] : "SA");
        int t = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Path json = args.length > 3 ? Path.of(args[3]) : null;
        if (rounds < 1 || t < 1) {
            throw new IllegalArgumentException("T and ROUNDS must be positive, got " + t + " and " + rounds);
        }
        int b = EncoderBench.BATCH, d = EncoderBench.DIM, k = EncoderBench.K, r = EncoderBench.ROUTING_ITERATIONS;
        EncoderConfig cfg = EncoderConfig.builder(type).dim(d).numInterests(k).maxLen(t).routingIterations(r).build();
        SplittableRandom rng = new SplittableRandom(42);
        InterestEncoder encoder = Encoders.create(cfg, rng);
        INDArray x = EncoderBench.normal(rng, 0.1, b, t, d);
        INDArray mask = Nd4j.ones(DataType.FLOAT, b, t);
        INDArray g = EncoderBench.normal(rng, 0.01, b, k, d);
        double encFlop = switch (type) {
            case SA -> Flops.saForwardBackward(b, t, d, 4 * d, k);
            case DR -> Flops.drForwardBackward(b, t, d, k, r);
            case MIND -> Flops.mindForwardBackward(b, t, d, k, r);
        };
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.randn(DataType.FLOAT, N, N);
        INDArray bm = Nd4j.randn(DataType.FLOAT, N, N);
        INDArray c = Nd4j.create(DataType.FLOAT, N, N);
        int cores = Runtime.getRuntime().availableProcessors();

        // warm-up (the JIT compiles the encoder's loops within the first seconds), then the last second
        // of each sizes the rounds
        int passes = (int) Math.max(1, Math.round(ROUND_SECONDS * 1e9 / warm(WARM_SECONDS,
                () -> pass(encoder, x, mask, g, rng))));
        openblas.blas_set_num_threads(cores);
        int gemms = (int) Math.max(1, Math.round(ROUND_SECONDS * 1e9 / warm(1,
                () -> Nd4j.gemm(a, bm, c, false, false, 1.0, 0.0))));
        openblas.blas_set_num_threads(1);
        settle();

        List<double[]> measured = new ArrayList<>();
        for (int round = -WARM_ROUNDS; round < rounds; round++) {
            double encGflops = 0;
            double refGflops = 0;
            for (int half = 0; half < 2; half++) {
                boolean encoderNow = (half == 0) == (Math.floorMod(round, 2) == 0);
                long s = System.nanoTime();
                if (encoderNow) {
                    for (int i = 0; i < passes; i++) {
                        pass(encoder, x, mask, g, rng);
                    }
                    encGflops = encFlop * passes / (System.nanoTime() - s);
                } else {
                    openblas.blas_set_num_threads(cores);
                    Nd4j.gemm(a, bm, c, false, false, 1.0, 0.0); // wakes OpenBLAS's threads, untimed
                    s = System.nanoTime();
                    for (int i = 0; i < gemms; i++) {
                        Nd4j.gemm(a, bm, c, false, false, 1.0, 0.0);
                    }
                    refGflops = Flops.gemm(N) * gemms / (System.nanoTime() - s);
                    openblas.blas_set_num_threads(1);
                    settle();
                }
            }
            if (round >= 0) {
                measured.add(new double[] {encGflops, refGflops, encGflops / refGflops});
            }
        }
        double[] ratio = measured.stream().mapToDouble(m -> m[2]).sorted().toArray();
        double[] enc = measured.stream().mapToDouble(m -> m[0]).sorted().toArray();
        double[] ref = measured.stream().mapToDouble(m -> m[1]).sorted().toArray();
        long atHalf = Arrays.stream(ratio).filter(v -> v >= 0.5).count();
        String machine = String.format(Locale.ROOT, "%d cores, Java %s, %s, encoder threads %d", cores,
                System.getProperty("java.version"), Simd.description(), Parallel.threads());
        System.out.printf(Locale.ROOT, "%s forward+backward, batch %d, T %d, against ND4J %dx%d GEMM; %d rounds of %d passes"
                        + " and %d GEMMs; %s%n", type, b, t, N, N, rounds, passes, gemms, machine);
        System.out.printf(Locale.ROOT, "encoder GFLOP/s median %.2f (p25 %.2f, p75 %.2f); reference median %.2f (p25 %.2f,"
                        + " p75 %.2f)%n", median(enc), quantile(enc, 0.25), quantile(enc, 0.75), median(ref),
                quantile(ref, 0.25), quantile(ref, 0.75));
        System.out.printf(Locale.ROOT, "fraction of the reference: median %.1f%% (p25 %.1f%%, p75 %.1f%%, min %.1f%%, max"
                        + " %.1f%%); rounds at 50%% or more: %d of %d%n", 100 * median(ratio), 100 * quantile(ratio, 0.25),
                100 * quantile(ratio, 0.75), 100 * ratio[0], 100 * ratio[ratio.length - 1], atHalf, rounds);
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", type.name());
            out.put("maxLen", t);
            out.put("rounds", rounds);
            out.put("passes_per_round", passes);
            out.put("gemms_per_round", gemms);
            out.put("machine", machine);
            out.put("encoder_mflop", encFlop / 1e6);
            out.put("median_fraction", median(ratio));
            out.put("p25_fraction", quantile(ratio, 0.25));
            out.put("p75_fraction", quantile(ratio, 0.75));
            out.put("rounds_at_half_or_more", atHalf);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (double[] m : measured) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("encoder_gflops", m[0]);
                row.put("reference_gflops", m[1]);
                row.put("fraction", m[2]);
                rows.add(row);
            }
            out.put("per_round", rows);
            Files.writeString(json, JsonOut.write(out));
        }
    }

    /**
     * Waits until OpenBLAS's idle workers have gone to sleep: after a multi-threaded call they keep
     * yielding in a loop for about 2^28 cycles (0.1 s here), which would take CPU from the next encoder
     * round; JMH's encoder forks never start them.
     */
    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code op} for {@code seconds}; returns its nanoseconds per call over the last second. */
    private static double warm(double seconds, Runnable op) {
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9), lastStart = end - 1_000_000_000L;
        long n = 0, t1 = -1;
        long now;
        while ((now = System.nanoTime()) < end) {
            if (t1 < 0 && now >= lastStart) {
                t1 = now;
            }
            op.run();
            if (t1 >= 0) {
                n++;
            }
        }
        return n == 0 ? (double) (now - start) : (double) (now - t1) / n;
    }

    private static void pass(InterestEncoder encoder, INDArray x, INDArray mask, INDArray g, SplittableRandom rng) {
        InterestEncoder.Pass p = encoder.forward(x, mask, true, rng);
        p.backward(g);
        p.release();
    }

    private static double median(double[] sorted) {
        return quantile(sorted, 0.5);
    }

    /** Linear interpolation between the closest ranks of a sorted array. */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
