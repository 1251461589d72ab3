package dev.eimf.internal.train;

import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.tensor.Parallel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * An estimate of the memory a training run takes, computed from its settings and data before anything is
 * allocated, and the check of that estimate against what the process may use.
 *
 * <p>ND4J keeps tensors outside the Java heap, where {@code -Xmx} does not bound them: a run with an
 * embedding size of 30,000 grows until the kernel kills the process, long after it started. Refusing it up
 * front, naming the setting that weighs most, turns that into an immediate, actionable error.
 *
 * <p>What is counted (bytes of the encoder's data type unless said otherwise):
 * <ul>
 *   <li>native: the item table {@code [n+1, d]} with its two Adam moments and the best-weights copy; the
 *       encoder's parameters with their gradients, Adam moments, best copy and one partial gradient per
 *       thread; the batch's activations and their gradients ({@code [B,T,d]} inputs, {@code [B*T,h]} and
 *       {@code [B*T,K]} attention buffers for ComiRec-SA, {@code [B*T,K*d]} or {@code [B*T,d]} routing
 *       buffers for the capsule encoders, {@code [B,K,d]} interests); the sampled-softmax scores
 *       {@code [B, negatives]} and gathered rows; the evaluation score block {@code [rows*K, n+1]};</li>
 *   <li>heap: the table's initialisation ({@code double[(n+1)*d]}), the batch's id arrays, the table
 *       gradient's touched rows (doubles), the evaluation rows ({@code float[batch][n+1]}) and, with
 *       checkpoints, the copy of the whole training state a checkpoint is built from.</li>
 * </ul>
 * It is an estimate, within tens of percent of what the loop allocates; its purpose is to catch settings
 * that are off by orders of magnitude. Every size is computed with exact arithmetic: a product that does not
 * fit a {@code long}, or a single buffer beyond the 2<sup>31</sup>-1 elements an array or an int index can
 * address, makes the estimate {@link Long#MAX_VALUE}.
 */
public final class MemoryEstimate {
    /** Elements beyond which a Java array or an int-indexed buffer cannot hold a buffer. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** As {@code TrainedModel}'s block of evaluation scores. */
    private static final long EVAL_MAX_BLOCK = 16L << 20;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Default values of the command-line options, against which the weightiest setting is found. */
    private static final int DEFAULT_DIM = 64;
    private static final int DEFAULT_BATCH = 128;
    private static final int DEFAULT_INTERESTS = 4;
    private static final int DEFAULT_MAX_LEN = 20;

    /**
     * What the estimate depends on.
     *
     * @param type          the built-in encoder, or null for a custom one (then {@code paramElements} counts)
     * @param dim           d
     * @param interests     K
     * @param maxLen        T
     * @param hidden        SA hidden size h (4d by default)
     * @param iterations    routing iterations of the capsule encoders
     * @param projection    the capsule encoders' ReLU projection
     * @param elementBytes  4 (float32) or 8 (float64)
     * @param batch         B
     * @param negatives     shared negatives per step
     * @param evalBatch     histories per evaluation batch (0 = no evaluation)
     * @param numItems      n (the table has n+1 rows)
     * @param threads       threads of the loops (partial gradients per thread)
     * @param paramElements elements of a custom encoder's parameters; ignored for a built-in one
     * @param checkpoints   the run writes checkpoints
     */
    public record Sizes(EncoderType type, int dim, int interests, int maxLen, int hidden, int iterations,
                        boolean projection, int elementBytes, int batch, int negatives, int evalBatch, int numItems,
                        int threads, long paramElements, boolean checkpoints) {
        /** Validates the ranges. */
        public Sizes {
            if (dim < 1 || interests < 1 || maxLen < 1 || hidden < 1 || iterations < 1 || batch < 1 || negatives < 1
                    || evalBatch < 0 || numItems < 0 || threads < 1 || (elementBytes != 4 && elementBytes != 8)) {
                throw new IllegalArgumentException("sizes out of range: d=" + dim + " K=" + interests + " T=" + maxLen
                        + " h=" + hidden + " iterations=" + iterations + " B=" + batch + " negatives=" + negatives
                        + " evalBatch=" + evalBatch + " items=" + numItems + " threads=" + threads
                        + " elementBytes=" + elementBytes);
            }
        }
    }

    /**
     * The limits checked against.
     *
     * @param heapBytes         the Java heap's maximum
     * @param nativeBytes       memory outside the heap
     * @param totalBytes        heap and native memory together
     * @param nativeSource      where the native limit comes from
     * @param totalSource       where the total limit comes from
     */
    public record Limits(long heapBytes, long nativeBytes, long totalBytes, String nativeSource, String totalSource) {
        /**
         * The limits of this process: the heap's {@code -Xmx}; JavaCPP's {@code org.bytedeco.javacpp.maxbytes}
         * for native memory (ND4J's allocator; it defaults to the heap's maximum); the smaller of JavaCPP's
         * {@code org.bytedeco.javacpp.maxphysicalbytes} and the machine's (or container's) memory for both
         * together.
         */
        public static Limits current() {
            long heap = Runtime.getRuntime().maxMemory();
            long nat = org.bytedeco.javacpp.Pointer.maxBytes();
            long phys = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
            long machine = machineBytes();
            long total = Long.MAX_VALUE;
            String totalSource = "no limit known";
            if (machine > 0) {
                total = machine;
                totalSource = "the machine's memory";
            }
            if (phys > 0 && phys < total) {
                total = phys;
                totalSource = "org.bytedeco.javacpp.maxphysicalbytes";
            }
            return new Limits(heap == Long.MAX_VALUE ? Long.MAX_VALUE : heap,
                    nat > 0 ? nat : Long.MAX_VALUE, total,
                    nat > 0 ? "org.bytedeco.javacpp.maxbytes" : "no limit", totalSource);
        }

        private static long machineBytes() {
            try {
                if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                    return os.getTotalMemorySize();
                }
            } catch (RuntimeException | LinkageError e) {
                // no such bean on this JVM: the other limits still apply
            }
            return -1;
        }
    }

    private final Sizes sizes;
    private final Map<String, Long> nativeParts = new LinkedHashMap<>();
    private final Map<String, Long> heapParts = new LinkedHashMap<>();
    private long largestBuffer;
    private String largestName = "";

    private MemoryEstimate(Sizes sizes) {
        this.sizes = sizes;
        compute();
    }

    /** The estimate for explicit sizes. */
    public static MemoryEstimate of(Sizes sizes) {
        return new MemoryEstimate(Objects.requireNonNull(sizes, "sizes"));
    }

    /**
     * The estimate of a training run of a built-in encoder, before anything is allocated.
     *
     * @param checkpoints the run writes checkpoints
     */
    public static MemoryEstimate of(TrainerConfig config, EncoderConfig encoder, Split split, boolean checkpoints) {
        return of(new Sizes(encoder.type(), encoder.dim(), encoder.numInterests(), encoder.maxLen(), encoder.hidden(),
                encoder.routingIterations(), encoder.reluProjection(), encoder.dataType() == DataType.DOUBLE ? 8 : 4,
                config.batchSize(), config.numNegatives(), config.evalEvery() > 0 ? config.evalConfig().batchSize() : 0,
                split.numItems(), Math.max(1, Parallel.threads()), 0, checkpoints));
    }

    /** The estimate of a training run of a custom encoder, whose parameters exist already. */
    static MemoryEstimate of(TrainerConfig config, InterestEncoder encoder, Split split, boolean checkpoints) {
        long p = 0;
        int bytes = 4;
        for (Param q : encoder.parameters()) {
            p = add(p, q.value().length());
            bytes = q.value().dataType() == DataType.DOUBLE ? 8 : 4;
        }
        int d = encoder.dim();
        return of(new Sizes(null, d, encoder.numInterests(), encoder.maxLen(), d, 1, false, bytes, config.batchSize(),
                config.numNegatives(), config.evalEvery() > 0 ? config.evalConfig().batchSize() : 0, split.numItems(),
                Math.max(1, Parallel.threads()), p, checkpoints));
    }

    /** The sizes estimated. */
    public Sizes sizes() {
        return sizes;
    }

    /** Bytes outside the heap (ND4J tensors); {@link Long#MAX_VALUE} when beyond a long or an array. */
    public long nativeBytes() {
        return overflows() ? Long.MAX_VALUE : sum(nativeParts);
    }

    /** Bytes on the Java heap at the peak; {@link Long#MAX_VALUE} when beyond a long or an array. */
    public long heapBytes() {
        if (overflows()) return Long.MAX_VALUE;
        // The table's initialisation array is garbage before the loop's buffers exist.
        long init = heapParts.getOrDefault("table initialisation", 0L);
        long rest = add(sum(heapParts), -init);
        return Math.max(init, rest);
    }

    /** Heap and native bytes together. */
    public long totalBytes() {
        return add(nativeBytes(), heapBytes());
    }

    /** The native parts, by name, in bytes. */
    public Map<String, Long> nativeParts() {
        return Map.copyOf(nativeParts);
    }

    /** True when one buffer would exceed what an array or an int index addresses, or a size a long. */
    public boolean overflows() {
        return largestBuffer > MAX_ELEMENTS;
    }

    /**
     * Refuses a run that does not fit.
     *
     * @throws MemoryLimitException naming the command-line option that weighs most ({@code --dim},
     *                              {@code --batch}, {@code --interests}, {@code --max-len}) and the estimate in
     *                              GiB against the limit
     */
    public void check(Limits limits) {
        String over = null;
        long estimate = 0;
        long limit = 0;
        if (overflows()) {
            over = "a single buffer (" + largestName + ") would hold " + (largestBuffer == Long.MAX_VALUE
                    ? "more than 2^63-1" : String.format(Locale.ROOT, "%,d", largestBuffer))
                    + " elements, beyond the 2^31-1 an array or int index addresses";
            estimate = Long.MAX_VALUE;
            limit = MAX_ELEMENTS;
        } else if (nativeBytes() > limits.nativeBytes()) {
            estimate = nativeBytes();
            limit = limits.nativeBytes();
            over = "about " + gib(estimate) + " outside the Java heap, over the limit of " + gib(limit) + " ("
                    + limits.nativeSource() + ")";
        } else if (heapBytes() > limits.heapBytes()) {
            estimate = heapBytes();
            limit = limits.heapBytes();
            over = "about " + gib(estimate) + " of Java heap, over the limit of " + gib(limit) + " (-Xmx)";
        } else if (totalBytes() > limits.totalBytes()) {
            estimate = totalBytes();
            limit = limits.totalBytes();
            over = "about " + gib(estimate) + " in all, over the limit of " + gib(limit) + " (" + limits.totalSource()
                    + ")";
        }
        if (over == null) return;
        String[] culprit = culprit();
        String option = culprit[0];
        StringBuilder msg = new StringBuilder("not enough memory for this run: ");
        if (!option.equals("data")) {
            msg.append(option).append(' ').append(culprit[1]).append(" weighs most; ");
        }
        if (overflows()) {
            msg.append(over).append(". ");
        } else {
            msg.append("training would need ").append(over).append(". Estimate: ").append(breakdown()).append(". ");
        }
        if (option.equals("data")) {
            msg.append("The data set's ").append(String.format(Locale.ROOT, "%,d", sizes.numItems()))
                    .append(" items weigh most at these settings: give the process more memory (-Xmx, "
                            + "EIMF_JAVA_OPTS, org.bytedeco.javacpp.maxbytes) or lower --dim");
        } else {
            msg.append("Lower ").append(option).append(" (with ").append(option).append(' ').append(culprit[2])
                    .append(" the estimate is ").append(culprit[3]).append(")");
        }
        throw new MemoryLimitException(msg.toString(), option, estimate, limit);
    }

    /** Estimates and checks a built-in encoder's run against this process's limits. */
    static void check(TrainerConfig config, EncoderConfig encoder, Split split, boolean checkpoints) {
        of(config, encoder, split, checkpoints).check(Limits.current());
    }

    private String breakdown() {
        List<String> parts = new ArrayList<>();
        nativeParts.forEach((k, v) -> parts.add(k + " " + gib(v)));
        return "native " + gib(nativeBytes()) + " (" + String.join(", ", parts) + "), heap " + gib(heapBytes());
    }

    /** {option, its value, its default, the estimate with the default} of the setting that weighs most. */
    private String[] culprit() {
        Sizes s = sizes;
        String best = "data";
        long bestCost = cost(this);
        String[] out = {"data", "", "", ""};
        List<Object[]> variants = new ArrayList<>();
        if (s.dim() > DEFAULT_DIM) {
            // The SA hidden size follows d unless it was set apart from it.
            int h = s.hidden() == 4L * s.dim() ? 4 * DEFAULT_DIM : s.hidden();
            variants.add(new Object[] {"--dim", s.dim(), DEFAULT_DIM, withSizes(s, DEFAULT_DIM, s.interests(),
                    s.maxLen(), h, s.batch(), s.negatives())});
        }
        if (s.batch() > DEFAULT_BATCH) {
            long neg = Math.max(1, (long) s.negatives() * DEFAULT_BATCH / s.batch());
            variants.add(new Object[] {"--batch", s.batch(), DEFAULT_BATCH, withSizes(s, s.dim(), s.interests(),
                    s.maxLen(), s.hidden(), DEFAULT_BATCH, (int) neg)});
        }
        if (s.interests() > DEFAULT_INTERESTS) {
            variants.add(new Object[] {"--interests", s.interests(), DEFAULT_INTERESTS, withSizes(s, s.dim(),
                    DEFAULT_INTERESTS, s.maxLen(), s.hidden(), s.batch(), s.negatives())});
        }
        if (s.maxLen() > DEFAULT_MAX_LEN) {
            variants.add(new Object[] {"--max-len", s.maxLen(), DEFAULT_MAX_LEN, withSizes(s, s.dim(), s.interests(),
                    DEFAULT_MAX_LEN, s.hidden(), s.batch(), s.negatives())});
        }
        for (Object[] v : variants) {
            MemoryEstimate e = of((Sizes) v[3]);
            long c = cost(e);
            if (c < bestCost) {
                bestCost = c;
                best = (String) v[0];
                out = new String[] {best, String.valueOf(v[1]), String.valueOf(v[2]),
                        e.overflows() ? "still too large" : gib(e.totalBytes())};
            }
        }
        return out;
    }

    private static long cost(MemoryEstimate e) {
        return e.overflows() ? Long.MAX_VALUE : e.totalBytes();
    }

    private static Sizes withSizes(Sizes s, int dim, int interests, int maxLen, int hidden, int batch, int negatives) {
        return new Sizes(s.type(), dim, interests, maxLen, hidden, s.iterations(), s.projection(), s.elementBytes(),
                batch, negatives, s.evalBatch(), s.numItems(), s.threads(), s.paramElements(), s.checkpoints());
    }

    private void compute() {
        Sizes s = sizes;
        long e = s.elementBytes();
        long d = s.dim();
        long k = s.interests();
        long t = s.maxLen();
        long h = s.hidden();
        long b = s.batch();
        long neg = s.negatives();
        long rows = add(s.numItems(), 1);
        long n = buffer("[B, T] batch ids", mul(b, t));

        long table = buffer("[n+1, d] item table", mul(rows, d));
        // Table, its two Adam moments and the best-weights copy.
        nativeParts.put("item table with Adam moments and best copy", mul(table, 4, e));

        long params;
        long activations;
        if (s.type() == EncoderType.SA) {
            params = add(mul(t, d), mul(d, h), h, mul(h, k), k);
            buffer("[B*T, h] attention hidden layer", mul(n, h));
            buffer("[B, K, d] interests", mul(b, k, d));
            // xRows, xp, dXp [B*T, d]; hid, dHid [B*T, h]; score, att, dAtt [B*T, K]; out [B, K, d]; dx and the
            // input [B, T, d].
            activations = add(mul(3, n, d), mul(2, n, h), mul(3, n, k), mul(b, k, d), mul(2, n, d));
        } else if (s.type() == EncoderType.DR || s.type() == EncoderType.MIND) {
            boolean dr = s.type() == EncoderType.DR;
            long rowLen = dr ? mul(k, d) : d;
            params = dr ? mul(t, k, d, d) : add(mul(d, d), d);
            if (s.projection()) params = add(params, mul(d, d), d);
            buffer("[B*T, " + (dr ? "K*d" : "d") + "] routing inputs", mul(n, rowLen));
            buffer("[B, K, d] interests", mul(b, k, d));
            // u and dU [B*T, rowLen]; xRows, dXr [B*T, d]; capsules, output, their gradients [B, K, d]; routing
            // logits per iteration [B*T, K]; dx and the input [B, T, d].
            activations = add(mul(2, n, rowLen), mul(2, n, d), mul(4, b, k, d), mul(n, k, s.iterations() + 1L),
                    mul(2, n, d));
        } else {
            params = s.paramElements();
            buffer("[B, K, d] interests", mul(b, k, d));
            activations = add(mul(4, n, d), mul(3, b, k, d));
        }
        // The encoders index their work buffers per row of the batch with int.
        buffer("[B, T, max(h, K*d)] encoder work", mul(n, Math.max(h, mul(k, d))));
        // Value, gradient, two Adam moments, best copy, and one partial gradient per thread.
        nativeParts.put("encoder weights with gradients, Adam moments and best copy", mul(params, 5L + s.threads(), e));
        nativeParts.put("batch activations", mul(activations, e));

        long logits = buffer("[B, negatives] sampled-softmax scores", mul(b, neg));
        // logits, the gathered negative rows [neg, d+1] and their gradients [neg, d], user rows [B, d+1], [B, d] x2.
        nativeParts.put("sampled softmax", mul(add(logits, mul(neg, d + 1), mul(neg, d), mul(b, d + 1), mul(2, b, d)), e));

        long evalScores = 0;
        long evalHeap = 0;
        if (s.evalBatch() > 0) {
            long perHistory = mul(k, rows);
            long block = Math.max(1, Math.min(s.evalBatch(), perHistory == 0 ? 1 : EVAL_MAX_BLOCK / perHistory));
            evalScores = buffer("[rows*K, n+1] evaluation scores", mul(block, perHistory));
            buffer("[n+1] evaluation row", rows);
            // float[batch][n+1] score rows and the float[] copy of the score block.
            evalHeap = add(mul(s.evalBatch(), rows, 4), mul(evalScores, 4));
            evalScores = add(mul(evalScores, e), mul(block, k, d, e), mul(block, t, d, e));
        }
        nativeParts.put("evaluation scores", evalScores);

        heapParts.put("table initialisation", mul(buffer("[(n+1)*d] table initialisation", table), 8));
        heapParts.put("batch ids", mul(n, 4 + 4 + 4));
        // The table gradient holds the rows a step touches, as doubles.
        long touched = Math.min(rows, add(n, b, neg));
        heapParts.put("table gradient", mul(touched, d, 8));
        heapParts.put("softmax scratch", add(mul(b, d, 8), mul(neg, 8), e == 8 ? mul(logits, 8) : 0));
        heapParts.put("evaluation", evalHeap);
        if (s.checkpoints()) {
            // A checkpoint copies the table, moments, best copy and every parameter's state to the heap, then
            // lays them out in the archive's bytes.
            heapParts.put("checkpoint", mul(add(mul(table, 4), mul(params, 4)), e, 2));
        }
    }

    /** Records a single buffer's element count and returns it. */
    private long buffer(String name, long elements) {
        if (elements > largestBuffer) {
            largestBuffer = elements;
            largestName = name;
        }
        return elements;
    }

    private static long sum(Map<String, Long> m) {
        long total = 0;
        for (long v : m.values()) total = add(total, v);
        return total;
    }

    /** The product, or {@link Long#MAX_VALUE} when it does not fit a long. */
    static long mul(long... xs) {
        long r = 1;
        for (long x : xs) {
            if (x == 0) return 0;
        }
        for (long x : xs) {
            try {
                r = Math.multiplyExact(r, x);
            } catch (ArithmeticException ex) {
                return Long.MAX_VALUE;
            }
        }
        return r;
    }

    /** The sum, or {@link Long#MAX_VALUE} when it does not fit a long. */
    static long add(long... xs) {
        long r = 0;
        for (long x : xs) {
            if (x == Long.MAX_VALUE) return Long.MAX_VALUE;
            try {
                r = Math.addExact(r, x);
            } catch (ArithmeticException ex) {
                return Long.MAX_VALUE;
            }
        }
        return r;
    }

    /** Bytes as GiB with one decimal. */
    static String gib(long bytes) {
        if (bytes == Long.MAX_VALUE) return "more than 8 EiB";
        double g = bytes / GIB;
        return g < 0.1 && bytes > 0 ? String.format(Locale.ROOT, "%.2f GiB", g) : String.format(Locale.ROOT, "%.1f GiB", g);
    }

    @Override
    public String toString() {
        return "memory estimate: " + (overflows() ? "a buffer beyond 2^31-1 elements (" + largestName + ")"
                : breakdown());
    }
}
