package dev.eimf.bench;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Analytic floating-point operation counts of the benchmarked kernels, so that a measured time per
 * operation becomes GFLOP/s and a fraction of the reference GEMM's GFLOP/s.
 *
 * <p>Convention: matrix-product FLOPs, two per multiply-add, as for the reference GEMM ({@code 2 n^3}).
 * Element-wise work (tanh, exp, softmax normalisation, squash, copies) is real work but is not counted,
 * so the fractions are conservative; kernels that are element-wise by nature (Adam) count one FLOP per
 * arithmetic operation instead, as written beside each formula.
 */
public final class Flops {

    private Flops() {
    }

    /** {@code C = A B} with {@code A [n, n]}, {@code B [n, n]}: {@code 2 n^3}. */
    public static double gemm(int n) {
        return 2.0 * n * n * n;
    }

    /**
     * ComiRec-SA forward over {@code N = B*T} real positions (full histories):
     * {@code H = tanh((X+P) W1)}: 2 N d h; {@code S = H W2}: 2 N h K; {@code V = A^T X}: 2 N K d.
     * Total {@code 2 N (d h + h K + K d)}.
     */
    public static double saForward(int b, int t, int d, int h, int k) {
        double n = (double) b * t;
        return 2.0 * n * ((double) d * h + (double) h * k + (double) k * d);
    }

    /**
     * ComiRec-SA backward: each forward product has two gradient products of the same size
     * ({@code dA = X G^T} and {@code dX += A G}; {@code dW2 = H^T dS} and {@code dH = dS W2^T};
     * {@code dW1 = XP^T dH} and {@code dXP = dH W1^T}), so backward = 2 x forward and forward+backward
     * = {@code 6 N (d h + h K + K d)}.
     */
    public static double saForwardBackward(int b, int t, int d, int h, int k) {
        return 3.0 * saForward(b, t, d, h, k);
    }

    /**
     * ComiRec-DR forward, {@code N = B*T}, {@code r} routing iterations:
     * {@code u[t,k] = W[t,k] e_t}: 2 N K d^2; per iteration {@code s_k = sum_t c u}: 2 N K d; logit
     * updates {@code b += u . v} in all but the last iteration: 2 N K d each.
     * Total {@code 2 N K d^2 + 2 N K d (2r - 1)}.
     */
    public static double drForward(int b, int t, int d, int k, int r) {
        double n = (double) b * t;
        return 2.0 * n * k * d * d + 2.0 * n * k * d * (2.0 * r - 1);
    }

    /**
     * ComiRec-DR backward (coupling constant, see CapsuleRouting): {@code du = c ds}: N K d;
     * {@code dW[t] += dU^T X}: 2 N K d^2; {@code dX = dU W}: 2 N K d^2. Plus the forward.
     */
    public static double drForwardBackward(int b, int t, int d, int k, int r) {
        double n = (double) b * t;
        return drForward(b, t, d, k, r) + 4.0 * n * k * d * d + n * k * d;
    }

    /**
     * MIND forward with the ReLU projection: {@code u = X Wm}: 2 N d^2; routing as DR: 2 N K d (2r - 1);
     * projection {@code relu(V Wp)} over B K capsules: 2 B K d^2.
     */
    public static double mindForward(int b, int t, int d, int k, int r) {
        double n = (double) b * t;
        return 2.0 * n * d * d + 2.0 * n * k * d * (2.0 * r - 1) + 2.0 * b * k * d * d;
    }

    /**
     * MIND backward: projection {@code dWp}, {@code dV}: 4 B K d^2; {@code du = sum_k c ds}: 2 N K d;
     * {@code dWm = X^T dU}, {@code dX = dU Wm^T}: 4 N d^2. Plus the forward.
     */
    public static double mindForwardBackward(int b, int t, int d, int k, int r) {
        double n = (double) b * t;
        return mindForward(b, t, d, k, r) + 4.0 * b * k * d * d + 2.0 * n * k * d + 4.0 * n * d * d;
    }

    /**
     * Sampled softmax with S shared negatives: logits {@code U E^T}: 2 B S d; true logits: 2 B d;
     * {@code dU = dZ E + dz0 e_true}: 2 B S d + 2 B d; {@code dE = dZ^T U}: 2 B S d; true rows
     * {@code dz0 u}: 2 B d (counted as a multiply-add per element). Total {@code 6 B S d + 6 B d}.
     */
    public static double sampledSoftmax(int b, int s, int d) {
        return 6.0 * b * s * d + 6.0 * b * d;
    }

    /**
     * Lazy Adam over {@code rows} touched rows: per element m (3: two multiplies, one add), v (4), sqrt,
     * + epsilon, divide, times lr, subtract = 12 FLOPs.
     */
    public static double adamLazy(int rows, int d) {
        return 12.0 * rows * d;
    }

    /**
     * Dense Adam (TensorFlow {@code AdamOptimizer} on a sparse gradient): every element of the
     * {@code tableRows x d} table decays m and v (2), takes sqrt, + epsilon, times lr, divide, subtract (5);
     * touched elements add their gradient terms (5). Total {@code 7 N d + 5 rows d}.
     */
    public static double adamDense(int tableRows, int rows, int d) {
        return 7.0 * tableRows * d + 5.0 * rows * d;
    }

    /** Max-over-K retrieval: {@code U} users, K interests, N items: {@code 2 U K d N} (scores only). */
    public static double retrieval(int users, int k, int d, int items) {
        return 2.0 * users * k * d * items;
    }

    /**
     * FLOPs per operation of a benchmark, from its JMH name ({@code dev.eimf.bench.Class.method}) and
     * parameters; empty for benchmarks without a meaningful count.
     */
    public static OptionalDouble of(String benchmark, Map<String, String> params) {
        String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        switch (name) {
            case "GemmBench.gemm":
                return OptionalDouble.of(gemm(i(params, "n")));
            case "EncoderBench.forward":
            case "EncoderBench.forwardBackward": {
                boolean fb = name.endsWith("forwardBackward");
                int b = EncoderBench.BATCH, t = i(params, "maxLen"), d = EncoderBench.DIM, k = EncoderBench.K;
                int r = EncoderBench.ROUTING_ITERATIONS;
                return OptionalDouble.of(switch (params.get("type")) {
                    case "SA" -> fb ? saForwardBackward(b, t, d, 4 * d, k) : saForward(b, t, d, 4 * d, k);
                    case "DR" -> fb ? drForwardBackward(b, t, d, k, r) : drForward(b, t, d, k, r);
                    case "MIND" -> fb ? mindForwardBackward(b, t, d, k, r) : mindForward(b, t, d, k, r);
                    default -> throw new IllegalArgumentException("unknown encoder type " + params.get("type"));
                });
            }
            case "RetrievalBench.oneUser":
                return OptionalDouble.of(retrieval(1, RetrievalBench.K, RetrievalBench.DIM, i(params, "items")));
            case "RetrievalBench.batchOf1000":
                return OptionalDouble.of(retrieval(RetrievalBench.BATCH_USERS, RetrievalBench.K, RetrievalBench.DIM,
                        i(params, "items")));
            case "TrainStepBench.sampledSoftmax":
                return OptionalDouble.of(sampledSoftmax(TrainStepBench.BATCH, TrainStepBench.NEGATIVES,
                        TrainStepBench.DIM));
            case "TrainStepBench.tableAdam":
                return OptionalDouble.of("DENSE".equals(params.get("mode"))
                        ? adamDense(TrainStepBench.ITEMS + 1, TrainStepBench.TOUCHED_ROWS, TrainStepBench.DIM)
                        : adamLazy(TrainStepBench.TOUCHED_ROWS, TrainStepBench.DIM));
            default:
                return OptionalDouble.empty();
        }
    }

    private static int i(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException("benchmark parameter " + key + " missing");
        }
        return Integer.parseInt(v);
    }
}
