package dev.eimf.internal.ibim;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Throwaway timing of forward + backward per encoder at the default sizes (B=128, T=20, d=64, K=4), FLOAT,
 * with released passes (buffer reuse). Not a test; run by hand:
 * {@code java -cp <test classpath> dev.eimf.internal.ibim.EncoderTiming [iterations [SA|DR|MIND|all [cpu]]]}. Prints
 * the minimum, median and 90th percentile of wall time, for full histories and for random lengths 1..T.
 * With {@code cpu}, BLAS runs on one thread and the figures are the thread's CPU time, which a shared,
 * loaded machine disturbs much less than wall time.
 */
public final class EncoderTiming {

    private EncoderTiming() {
    }

    public static void main(String[] args) {
        int iters = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String only = args.length > 1 && !args[1].equalsIgnoreCase("all") ? args[1] : "";
        boolean cpu = args.length > 2 && args[2].equalsIgnoreCase("cpu");
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (cpu) {
            org.bytedeco.openblas.global.openblas.blas_set_num_threads(1);
        }
        int b = 128, t = 20, d = 64, k = 4;
        System.out.printf("machine: %d cores, load %s%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (EncoderType type : EncoderType.values()) {
            if (!only.isEmpty() && !only.equalsIgnoreCase(type.name())) {
                continue;
            }
            for (boolean full : new boolean[] {true, false}) {
                double[][] mask = new double[b][t];
                SplittableRandom r = new SplittableRandom(1);
                for (double[] row : mask) {
                    int len = full ? t : 1 + r.nextInt(t);
                    Arrays.fill(row, 0, len, 1.0);
                }
                InterestEncoder enc = Encoders.create(EncoderConfig.builder(type).build(), new SplittableRandom(1));
                INDArray x = EncoderTestSupport.input(mask, d, 0.1, 2, DataType.FLOAT);
                INDArray m = EncoderTestSupport.mask(mask, DataType.FLOAT);
                INDArray g = EncoderTestSupport.gaussian(3, DataType.FLOAT, b, k, d);
                SplittableRandom rng = new SplittableRandom(5);
                double[] fwd = new double[iters];
                double[] tot = new double[iters];
                for (int i = -iters / 2; i < iters; i++) {
                    long t0 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                    InterestEncoder.Pass p = enc.forward(x, m, true, rng);
                    long t1 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                    p.backward(g);
                    long t2 = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                    p.release();
                    if (i >= 0) {
                        fwd[i] = (t1 - t0) / 1e6;
                        tot[i] = (t2 - t0) / 1e6;
                    }
                }
                Arrays.sort(fwd);
                Arrays.sort(tot);
                System.out.printf("%-4s %-10s %s fwd median %.2f ms; fwd+bwd min %.2f, median %.2f, p90 %.2f ms%n",
                        type, full ? "full T=20" : "len 1..20", cpu ? "cpu" : "wall", fwd[iters / 2], tot[0],
                        tot[iters / 2], tot[iters * 9 / 10]);
            }
        }
    }
}
