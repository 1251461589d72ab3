package dev.eimf.internal.ibim;

import dev.eimf.internal.tensor.Blas;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Kernels;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.Simd;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ComiRec-SA (Cen et al., KDD 2020, after the official {@code Model_ComiRec_SA}):
 * <pre>
 * H = tanh((X + P) W1 + b1)          X [T,d] one history, P [T,d] learned positions, W1 [d,h]
 * S = H W2 + b2                       W2 [h,K]
 * A = softmax over real positions of S, per interest (padding gets weight 0)
 * V = A^T X                           interests [K,d]; X without positions
 * </pre>
 * Padded positions are left out entirely (rows are packed), which is the official code's -2^32+1 fill
 * taken to its limit: their attention is exactly 0 and so is their gradient. A history without any real
 * position gets all-zero attention and zero interests. The bias {@code b2} is kept for fidelity although
 * a per-interest constant cancels in the softmax (its gradient is 0 up to rounding).
 *
 * <p>Parameters: {@code sa.position} [T,d], {@code sa.w1} [d,h], {@code sa.b1} [h], {@code sa.w2} [h,K],
 * {@code sa.b2} [K]. Not thread-safe for backward (gradients accumulate into shared buffers).
 *
 * <p>The batch is cut into one block of users per thread ({@link Parallel#threads()}); forward and
 * backward are each one parallel region in which a thread runs every step for its block, the large
 * products as single-threaded BLAS calls on its rows. Parameter gradients are summed per block into
 * private buffers and added to the parameters' gradients in block order afterwards, so the result
 * depends on the thread count only.
 */
public final class SelfAttentiveEncoder extends AbstractEncoder<SelfAttentiveEncoder.Work> {

    private final Param pos;
    private final Param w1;
    private final Param b1;
    private final Param w2;
    private final Param b2;

    private SelfAttentiveEncoder(EncoderConfig c, Param pos, Param w1, Param b1, Param w2, Param b2) {
        super(c, List.of(pos, w1, b1, w2, b2));
        this.pos = pos;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
    }

    /**
     * A new encoder with seeded initial weights: positions N(0, 0.02^2), W1 and W2 Glorot-uniform,
     * biases zero.
     */
    static SelfAttentiveEncoder create(EncoderConfig c, RandomGenerator rng) {
        if (c.type() != EncoderType.SA) {
            throw new IllegalArgumentException("not an SA configuration: " + c.type());
        }
        int d = c.dim(), h = c.hidden(), k = c.numInterests(), t = c.maxLen();
        Param pos = param("sa.position", c, t, d);
        Param w1 = param("sa.w1", c, d, h);
        Param b1 = param("sa.b1", c, h);
        Param w2 = param("sa.w2", c, h, k);
        Param b2 = param("sa.b2", c, k);
        dev.eimf.internal.tensor.Initializers.normal(pos.value(), POSITION_STD, rng);
        dev.eimf.internal.tensor.Initializers.glorotUniform(w1.value(), d, h, rng);
        dev.eimf.internal.tensor.Initializers.glorotUniform(w2.value(), h, k, rng);
        return new SelfAttentiveEncoder(c, pos, w1, b1, w2, b2);
    }

    /** Standard deviation of the initial position embeddings. */
    static final double POSITION_STD = 0.02;

    /** Work buffers for one batch size; row capacity B*T. */
    static final class Work implements AbstractEncoder.Workspace {
        final int batch;
        final Buf xRows;   // [N,d] gathered inputs
        final Buf xp;      // [N,d] inputs + positions
        final Buf hid;     // [N,h] H
        final Buf score;   // [K,N] S transposed (one row per interest), then reused for dS
        final Buf w2t;     // [K,h] W2 transposed, for the score products
        final Buf att;     // [N,K] A
        final Buf dAtt;    // [N,K]
        final Buf dHid;    // [N,h]
        final Buf dXp;     // [N,d]
        final Buf out;     // [B,K,d]
        final Buf dx;      // [B,T,d]
        final Buf ones;    // [N] of 1, for column sums
        final EncoderConfig cfg;
        /** Per-block parameter gradients (w1, b1, w2, b2, positions), created for the current block count. */
        Buf[][] partial = new Buf[0][];
        /** Per-block heap row for the attention softmax. */
        double[][] softmaxRow = new double[0][];
        /** Per-block heap buffers of the float backward pass, created on first use. */
        BlockScratch[] scratch = new BlockScratch[0];
        /** Keyed passes: distinct rows and their slots, created on first use. */
        Slots slots;
        Buf xu;     // [N,d] one input row per slot
        Buf xw;     // [N,h] Xu W1, then reused for the slots' summed dH
        Buf dxu;    // [N,d] gradient per slot through H
        Buf pwb;    // [T,h] P W1 + b1
        Buf dt;     // [T,h] dH summed per position
        Buf[] slotPartial = new Buf[0];  // per slot range: dW1 [d,h]
        Buf[] dtPartial = new Buf[0];    // per block: dH summed per position [T,h]
        final double[] w2Heap;           // [3 K h]: W2 (or its gradient) and transposed copies, on the heap
        private MaskIndex maskIndex;

        Work(EncoderConfig c, int batch) {
            this.batch = batch;
            this.cfg = c;
            var t = c.dataType();
            int n = batch * c.maxLen();
            xRows = Buf.zeros(t, n, c.dim());
            xp = Buf.zeros(t, n, c.dim());
            hid = Buf.zeros(t, n, c.hidden());
            score = Buf.zeros(t, c.numInterests(), n);
            w2t = Buf.zeros(t, c.numInterests(), c.hidden());
            att = Buf.zeros(t, n, c.numInterests());
            dAtt = Buf.zeros(t, n, c.numInterests());
            dHid = Buf.zeros(t, n, c.hidden());
            dXp = Buf.zeros(t, n, c.dim());
            out = Buf.zeros(t, batch, c.numInterests(), c.dim());
            dx = Buf.zeros(t, batch, c.maxLen(), c.dim());
            ones = Kernels.ones(t, n);
            w2Heap = new double[3 * c.numInterests() * c.hidden()];
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public MaskIndex maskIndex(boolean byUser) {
            maskIndex = MaskIndex.reuse(maskIndex, batch, cfg.maxLen(), byUser);
            return maskIndex;
        }

        /** Per block: heap room for one user's scores, attention and its gradient ({@code 3 K T}). */
        double[][] softmaxRows(int blocks) {
            if (softmaxRow.length != blocks) {
                softmaxRow = new double[blocks][3 * cfg.numInterests() * cfg.maxLen()];
            }
            return softmaxRow;
        }

        BlockScratch blockScratch(int blk) {
            return scratch[blk];
        }

        /**
         * Makes sure there are heap buffers for at least {@code count} blocks (or slot ranges); called
         * before a parallel region.
         */
        void ensureScratch(int count) {
            if (scratch.length < count) {
                BlockScratch[] grown = java.util.Arrays.copyOf(scratch, count);
                for (int i = scratch.length; i < count; i++) {
                    grown[i] = new BlockScratch(cfg, batch * cfg.maxLen());
                }
                scratch = grown;
            }
        }

        void ensureKeyed() {
            if (slots == null) {
                var t = cfg.dataType();
                int n = batch * cfg.maxLen();
                slots = new Slots(n);
                xu = Buf.zeros(t, n, cfg.dim());
                xw = Buf.zeros(t, n, cfg.hidden());
                dxu = Buf.zeros(t, n, cfg.dim());
                pwb = Buf.zeros(t, cfg.maxLen(), cfg.hidden());
                dt = Buf.zeros(t, cfg.maxLen(), cfg.hidden());
            }
        }

        Buf[] slotPartials(int parts) {
            slotPartial = resized(slotPartial, parts, cfg.dim(), cfg.hidden());
            return slotPartial;
        }

        Buf[] dtPartials(int blocks) {
            dtPartial = resized(dtPartial, blocks, cfg.maxLen(), cfg.hidden());
            return dtPartial;
        }

        /** {@code current} if it has {@code count} buffers, else {@code count} new zero buffers of the shape. */
        private Buf[] resized(Buf[] current, int count, long... shape) {
            if (current.length == count) {
                return current;
            }
            Buf[] made = new Buf[count];
            for (int i = 0; i < count; i++) {
                made[i] = Buf.zeros(cfg.dataType(), shape);
            }
            return made;
        }

        Buf[][] partials(int blocks) {
            if (partial.length != blocks) {
                var t = cfg.dataType();
                int d = cfg.dim(), h = cfg.hidden(), k = cfg.numInterests();
                partial = new Buf[blocks][];
                for (int i = 0; i < blocks; i++) {
                    partial[i] = new Buf[] {Buf.zeros(t, d, h), Buf.zeros(t, h), Buf.zeros(t, k, h), Buf.zeros(t, k),
                        Buf.zeros(t, cfg.maxLen(), d)};
                }
            }
            return partial;
        }
    }

    /**
     * One block's heap buffers for the float passes ({@link SaPass#hiddenBackwardFloat}, and the keyed
     * forward and per-key sums, which use some of them while the backward pass does not run).
     */
    static final class BlockScratch {
        final float[] ds;
        final float[][] w2;
        final float[][] dw2;
        final float[] db1;
        final float[][] dt;
        final float[] hrow;
        final float[] dh;
        final float[] gk;
        final float[] hrow2;
        final float[] dh2;
        final float[] gk2;
        /** One user's rows X_b [T, d] (forward, dA) or dX_b (backward). */
        final float[] xb;
        /** One user's attention or its gradient [T, K]. */
        final float[] a4;
        /** One user's interests or their gradient [K, d]. */
        final float[] kd;

        BlockScratch(EncoderConfig c, int rows) {
            int h = c.hidden(), k = c.numInterests();
            ds = new float[k * rows];
            w2 = new float[k][h];
            dw2 = new float[k][h];
            db1 = new float[h];
            dt = new float[c.maxLen()][h];
            hrow = new float[h];
            dh = new float[h];
            gk = new float[k];
            hrow2 = new float[h];
            dh2 = new float[h];
            gk2 = new float[k];
            xb = new float[c.maxLen() * c.dim()];
            a4 = new float[c.maxLen() * k];
            kd = new float[k * c.dim()];
        }
    }

    /**
     * The distinct keys among a pass's rows: a slot per key, the rows of each slot (CSR, in row order)
     * and the slot of each row.
     */
    static final class Slots {
        int count;
        final int[] slotOfRow;
        final int[] rowStart;
        final int[] rows;
        private final int[] hashKey;
        private final int[] hashSlot;
        private final int bits;

        Slots(int capacity) {
            slotOfRow = new int[capacity];
            rowStart = new int[capacity + 1];
            rows = new int[capacity];
            bits = Math.max(4, 33 - Integer.numberOfLeadingZeros(Math.max(1, capacity)));
            hashKey = new int[1 << bits];
            hashSlot = new int[1 << bits];
        }

        /** First row of slot s. */
        int firstRow(int s) {
            return rows[rowStart[s]];
        }

        void assign(MaskIndex idx, int[] keys) {
            java.util.Arrays.fill(hashSlot, -1);
            int mask = (1 << bits) - 1;
            int n = 0;
            for (int r = 0; r < idx.rows; r++) {
                int key = keys[idx.srcOf[r]];
                int hsh = (key * 0x9E3779B9) >>> (32 - bits);
                while (hashSlot[hsh] >= 0 && hashKey[hsh] != key) {
                    hsh = (hsh + 1) & mask;
                }
                if (hashSlot[hsh] < 0) {
                    hashKey[hsh] = key;
                    hashSlot[hsh] = n++;
                }
                slotOfRow[r] = hashSlot[hsh];
            }
            count = n;
            java.util.Arrays.fill(rowStart, 0, n + 1, 0);
            for (int r = 0; r < idx.rows; r++) {
                rowStart[slotOfRow[r] + 1]++;
            }
            for (int q = 0; q < n; q++) {
                rowStart[q + 1] += rowStart[q];
            }
            int[] fill = java.util.Arrays.copyOf(rowStart, n);
            for (int r = 0; r < idx.rows; r++) {
                rows[fill[slotOfRow[r]]++] = r;
            }
        }
    }

    /**
     * Keyed passes share the input products between positions of equal key when the distinct keys are
     * at most this fraction of the rows (ml-100k batches: about a third; Amazon Beauty: nine tenths,
     * where the extra sums would cost more than the smaller products save).
     */
    static final double KEYED_MAX_DISTINCT = 0.75;

    @Override
    Work newWorkspace(int batch) {
        return new Work(config, batch);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Deterministic: neither {@code training} nor {@code rng} is used.
     */
    @Override
    public SaPass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng) {
        int batch = checkX(x);
        Work w = acquire(batch);
        MaskIndex idx = readMask(w, mask, true);
        return forwardPlain(Buf.ofCopyIfNeeded(x), idx, w, batch, prepareScores(w));
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the distinct keys are few enough ({@link #KEYED_MAX_DISTINCT}), {@code (x + p) W1} is
     * computed as {@code x W1} once per key plus {@code p W1} once per position, and the backward pass
     * sums {@code dH} per key and per position before the products with {@code W1}; dX then carries
     * each key's input-path gradient on the key's first position.
     */
    @Override
    public SaPass forward(INDArray x, INDArray mask, int[] keys, boolean training, RandomGenerator rng) {
        int batch = checkX(x);
        if (keys == null) {
            return forward(x, mask, training, rng);
        }
        if (keys.length != batch * config.maxLen()) {
            throw new IllegalArgumentException("keys must have B*T = " + batch * config.maxLen() + " entries, got "
                    + keys.length);
        }
        Work w = acquire(batch);
        MaskIndex idx = readMask(w, mask, true);
        w.ensureKeyed();
        // The keys' slots on one thread while the other prepares the scores and P W1 + b1 (which a plain
        // pass does not need; it is small).
        final double[][] bk = new double[1][];
        Parallel.both(() -> w.slots.assign(idx, keys), () -> {
            bk[0] = prepareScores(w);
            positionProducts(w);
        });
        if (w.slots.count > KEYED_MAX_DISTINCT * idx.rows) {
            return forwardPlain(Buf.ofCopyIfNeeded(x), idx, w, batch, bk[0]);
        }
        return forwardKeyed(Buf.ofCopyIfNeeded(x), idx, w, batch, bk[0]);
    }

    /** {@code P W1 + b1}, one row per position, into {@code w.pwb}. */
    private void positionProducts(Work w) {
        final int d = config.dim(), h = config.hidden(), T = config.maxLen();
        Kernels.fillRows(w.pwb, 0, T, h, Buf.of(b1.value()));
        Blas.gemm(false, false, T, h, d, 1.0, Buf.of(pos.value()), 0, d, Buf.of(w1.value()), 0, h, 1.0, w.pwb, 0, h);
    }

    /** W2 transposed into the work buffer, and b2 as a heap array. */
    private double[] prepareScores(Work w) {
        final int h = config.hidden(), K = config.numInterests();
        // one bulk read and write: element accessors on the native buffers made this loop one of the
        // costliest methods for the JIT to compile
        double[] heap = w.w2Heap;
        Buf.of(w2.value()).get(0, heap, 0, h * K);
        Kernels.transpose(heap, 0, h, K, heap, h * K);
        w.w2t.set(0, heap, h * K, K * h);
        double[] bk = new double[K];
        Buf.of(b2.value()).get(0, bk, 0, K);
        return bk;
    }

    /**
     * Whether the forward pass computes each row's scores right after its tanh, while the row is in L1:
     * float, K = 4 and the Vector API's dot products (scalar sums would be slower than the BLAS
     * matrix-vector products they replace).
     */
    private boolean fusedScores(Work w) {
        return Simd.vectorised() && config.numInterests() == 4 && w.hid instanceof Buf.F;
    }

    /**
     * Rows {@code [r0, r0+rn)} of H, holding {@code XP W1}: the bias b1 added and tanh taken in place, and
     * their scores into {@code S^T} (see {@link #fusedScores}). Adding b1 here rather than pre-filling the
     * product's output spares the product a read of it, and gives the same single rounding.
     */
    private void tanhAndScores(Work w, BlockScratch sc, int r0, int rn, Buf bias1) {
        final int h = config.hidden();
        Buf.F hidF = (Buf.F) w.hid;
        float[][] w2 = loadW2(w, sc);
        float[] row = sc.hrow, s = sc.ds;
        float[] bias = sc.dh; // free until the backward pass
        ((Buf.F) bias1).get(0, bias, 0, h);
        for (int r = r0; r < r0 + rn; r++) {
            hidF.get(r * h, row, 0, h);
            for (int j = 0; j < h; j++) {
                row[j] += bias[j];
            }
            Kernels.tanhInPlace(row, h);
            hidF.set(r * h, row, 0, h);
            Kernels.dots4(row, w2[0], w2[1], w2[2], w2[3], h, s, r - r0, rn);
        }
        storeScores(w, sc, r0, rn);
    }

    /** W2's columns (the rows of {@code w2t}) into the block's heap rows. */
    private float[][] loadW2(Work w, BlockScratch sc) {
        final int h = config.hidden();
        for (int k = 0; k < 4; k++) {
            ((Buf.F) w.w2t).get(k * h, sc.w2[k], 0, h);
        }
        return sc.w2;
    }

    /** The block's fused scores ({@code sc.ds}, [K, rn]) into {@code S^T}. */
    private void storeScores(Work w, BlockScratch sc, int r0, int rn) {
        final int cap = w.batch * config.maxLen();
        for (int k = 0; k < 4; k++) {
            ((Buf.F) w.score).set(k * cap + r0, sc.ds, k * rn, rn);
        }
    }

    /**
     * Scores {@code S^T} of rows {@code [r0, r0+rn)} from H, then each user's attention and interests. With
     * the block's scratch ({@link #fusedScores}), the forward pass made the scores already and the
     * per-user products run in Java.
     */
    private void scoresAndAttention(Work w, MaskIndex idx, int u0, int u1, int r0, int rn, double[] bk, double[] row,
                                    BlockScratch fused) {
        boolean scored = fused != null;
        final int h = config.hidden(), K = config.numInterests();
        final int cap = w.batch * config.maxLen();
        // S^T row by row: K matrix-vector products beat one product with K columns (BLAS does
        // poorly with so few).
        if (rn > 0 && !scored) {
            for (int k = 0; k < K; k++) {
                Blas.gemv(false, rn, h, 1.0, w.hid, r0 * h, h, w.w2t, k * h, 0.0, w.score, k * cap + r0);
            }
        }
        for (int b = u0; b < u1; b++) {
            attend(w, idx, b, bk, row, fused);
        }
    }

    /** The keyed pass; {@code bk} from {@link #prepareScores} and {@code w.pwb} from {@link #positionProducts}. */
    private SaPass forwardKeyed(Buf xb, MaskIndex idx, Work w, int batch, double[] bk) {
        final int d = config.dim(), h = config.hidden(), T = config.maxLen();
        final Slots sl = w.slots;
        final int slots = sl.count;
        final Buf weight1 = Buf.of(w1.value());
        final int blocks = blocks(batch);
        final double[][] softmaxRow = w.softmaxRows(blocks);
        w.ensureScratch(blocks);
        final boolean fused = fusedScores(w);
        // X W1 once per key, the slots split into one range per thread
        final int parts = Parallel.threads();
        Parallel.forRange(parts, 1, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                int a = slots * q / parts, e = slots * (q + 1) / parts;
                for (int s = a; s < e; s++) {
                    Buf.copy(xb, idx.srcOf[sl.firstRow(s)] * d, w.xu, s * d, d);
                }
                if (e > a) {
                    Blas.gemm(false, false, e - a, h, d, 1.0, w.xu, a * d, d, weight1, 0, h, 0.0, w.xw, a * h, h);
                }
            }
        });
        forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
            int r0 = idx.groupStart[u0], rn = idx.groupStart[u1] - r0;
            gatherRows(xb, idx, d, w.xRows, r0, r0 + rn);
            // H = tanh(x W1 [per key] + (p W1 + b1) [per position])
            if (w.hid instanceof Buf.F hidF) {
                // one pass per row on the heap: the sum and the tanh without a round trip through hid
                Buf.F xwF = (Buf.F) w.xw;
                BlockScratch sc = w.blockScratch(blk);
                float[][] pw = sc.dt; // [T][h], free until the backward pass
                for (int t = 0; t < T; t++) {
                    ((Buf.F) w.pwb).get(t * h, pw[t], 0, h);
                }
                float[] row = sc.hrow;
                float[][] w2 = fused ? loadW2(w, sc) : null;
                for (int r = r0; r < r0 + rn; r++) {
                    xwF.get(sl.slotOfRow[r] * h, row, 0, h);
                    float[] pt = pw[idx.srcOf[r] % T];
                    for (int j = 0; j < h; j++) {
                        row[j] += pt[j];
                    }
                    Kernels.tanhInPlace(row, h);
                    hidF.set(r * h, row, 0, h);
                    if (fused) {
                        Kernels.dots4(row, w2[0], w2[1], w2[2], w2[3], h, sc.ds, r - r0, rn);
                    }
                }
                if (fused) {
                    storeScores(w, sc, r0, rn);
                }
            } else {
                for (int r = r0; r < r0 + rn; r++) {
                    Buf.copy(w.xw, sl.slotOfRow[r] * h, w.hid, r * h, h);
                    Buf.addTo(w.pwb, (idx.srcOf[r] % T) * h, w.hid, r * h, h);
                }
                Kernels.tanhInPlace(w.hid, r0 * h, rn * h);
            }
            scoresAndAttention(w, idx, u0, u1, r0, rn, bk, softmaxRow[blk], fused ? w.blockScratch(blk) : null);
        });
        return new SaPass(this, w, idx, true);
    }

    /** The plain pass; {@code bk} from {@link #prepareScores}. */
    private SaPass forwardPlain(Buf xb, MaskIndex idx, Work w, int batch, double[] bk) {
        final int d = config.dim(), h = config.hidden(), K = config.numInterests(), T = config.maxLen();
        final Buf p = Buf.of(pos.value());
        final Buf bias1 = Buf.of(b1.value());
        final Buf weight1 = Buf.of(w1.value());
        final int blocks = blocks(batch);
        final double[][] softmaxRow = w.softmaxRows(blocks);
        final boolean fused = fusedScores(w);
        if (fused) {
            w.ensureScratch(blocks);
        }
        forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
            int r0 = idx.groupStart[u0], rn = idx.groupStart[u1] - r0;
            for (int r = r0, e; r < r0 + rn; r = e) { // runs of consecutive positions, one copy each
                e = idx.runEnd(r, r0 + rn);
                int src = idx.srcOf[r], len = (e - r) * d;
                Buf.copy(xb, src * d, w.xRows, r * d, len);
                Buf.copy(xb, src * d, w.xp, r * d, len);
                Buf.addTo(p, (src % T) * d, w.xp, r * d, len);
            }
            // H = tanh(XP W1 + b1); S = H W2 (b2 added in the softmax loop)
            if (fused) {
                Blas.gemm(false, false, rn, h, d, 1.0, w.xp, r0 * d, d, weight1, 0, h, 0.0, w.hid, r0 * h, h);
                tanhAndScores(w, w.blockScratch(blk), r0, rn, bias1);
            } else {
                // the bias pre-filled
                Kernels.fillRows(w.hid, r0 * h, rn, h, bias1);
                Blas.gemm(false, false, rn, h, d, 1.0, w.xp, r0 * d, d, weight1, 0, h, 1.0, w.hid, r0 * h, h);
                Kernels.tanhInPlace(w.hid, r0 * h, rn * h);
            }
            scoresAndAttention(w, idx, u0, u1, r0, rn, bk, softmaxRow[blk], fused ? w.blockScratch(blk) : null);
        });
        return new SaPass(this, w, idx, false);
    }

    /**
     * Attention of user b over its rows and its interests {@code V_b = A_b^T X_b}: with {@code sc}, the
     * product in Java (a BLAS call of this size costs more in the call than in the arithmetic).
     */
    private void attend(Work w, MaskIndex idx, int b, double[] bk, double[] e, BlockScratch sc) {
        final int d = config.dim(), K = config.numInterests();
        final int cap = w.batch * config.maxLen();
        int start = idx.groupStart[b], len = idx.groupSize(b);
        int outOff = b * K * d;
        if (len == 0) {
            w.out.zero(outOff, K * d);
            return;
        }
        // One bulk read of the user's K score rows and one bulk write of its attention rows: element
        // accessors on the native buffers cost more than the softmax itself.
        final int kt = K * config.maxLen();
        for (int k = 0; k < K; k++) {
            w.score.get(k * cap + start, e, k * len, len);
        }
        for (int k = 0; k < K; k++) {
            int o = k * len;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                e[o + i] += bk[k];
                max = Math.max(max, e[o + i]);
            }
            double sum = 0;
            for (int i = 0; i < len; i++) {
                e[o + i] = Math.exp(e[o + i] - max);
                sum += e[o + i];
            }
            for (int i = 0; i < len; i++) {
                e[kt + i * K + k] = e[o + i] / sum;
            }
        }
        // V_b = A_b^T X_b : [K, len] x [len, d]
        if (sc != null) {
            float[] a = sc.a4;
            for (int q = 0; q < len * K; q++) {
                a[q] = (float) e[kt + q];
            }
            ((Buf.F) w.att).set(start * K, a, 0, len * K); // one rounding to float, for att and the product
            ((Buf.F) w.xRows).get(start * d, sc.xb, 0, len * d);
            Kernels.weightedSums4(sc.xb, len, d, a, sc.kd);
            ((Buf.F) w.out).set(outOff, sc.kd, 0, K * d);
        } else {
            w.att.set(start * K, e, kt, len * K);
            Blas.gemm(true, false, K, d, len, 1.0, w.att, start * K, K, w.xRows, start * d, d, 0.0, w.out, outOff, d);
        }
    }

    /** A forward pass of {@link SelfAttentiveEncoder}. */
    public final class SaPass extends AbstractEncoder.BasePass<Work> {
        private final MaskIndex idx;
        private final boolean keyed;

        private SaPass(SelfAttentiveEncoder owner, Work w, MaskIndex idx, boolean keyed) {
            super(owner, w);
            this.idx = idx;
            this.keyed = keyed;
        }

        @Override
        public INDArray interests() {
            return ws().out.array();
        }

        /** Attention weights [B, K, T] as a new array (0 on padding), for inspection and tests. */
        public INDArray attention() {
            Work w = ws();
            int K = config.numInterests(), T = config.maxLen();
            INDArray a = Nd4j.create(config.dataType(), new long[] {idx.batch, K, T}, 'c');
            Buf ab = Buf.of(a);
            for (int r = 0; r < idx.rows; r++) {
                int b = idx.srcOf[r] / T, t = idx.srcOf[r] % T;
                for (int k = 0; k < K; k++) {
                    ab.set((b * K + k) * T + t, w.att.get(r * K + k));
                }
            }
            return a;
        }

        @Override
        public INDArray backward(INDArray dInterests) {
            Work w = ws();
            Buf g = checkGrad(dInterests, idx.batch);
            final int batch = idx.batch;
            final int d = config.dim(), h = config.hidden(), K = config.numInterests(), T = config.maxLen();

            final int blocks = blocks(batch);
            final Buf[][] part = w.partials(blocks);
            final Buf[] dtPart = keyed ? w.dtPartials(blocks) : null;
            final double[][] rows = w.softmaxRows(blocks);
            w.ensureScratch(blocks);
            final Buf weight1 = Buf.of(w1.value());
            forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
                backwardBlock(w, idx, g, part[blk], blk, u0, u1, weight1, keyed ? dtPart[blk] : null, rows[blk]);
            });
            Buf gw1 = Buf.of(w1.grad()), gpos = Buf.of(pos.grad());
            Buf[] slotPart = null;
            if (keyed) {
                // Per key: dH summed over its rows, then dX_key = (sum dH) W1^T on the key's first row and
                // dW1 += X_key^T (sum dH); slots split into one range per thread.
                final Slots sl = w.slots;
                final int slots = sl.count;
                final int parts = Parallel.threads();
                final Buf[] sp = w.slotPartials(parts);
                slotPart = sp;
                w.ensureScratch(parts);
                Parallel.forRange(parts, 1, (q0, q1) -> {
                    for (int q = q0; q < q1; q++) {
                        int a = slots * q / parts, e = slots * (q + 1) / parts;
                        if (w.dHid instanceof Buf.F dh && w.xw instanceof Buf.F sums) {
                            // summed on the heap: one write per slot instead of a read-add-write per row
                            BlockScratch sc = w.blockScratch(q);
                            float[] acc = sc.dh;
                            float[] row = sc.hrow;
                            for (int s = a; s < e; s++) {
                                sumSlotRows(dh, sums, sl, s, h, acc, row);
                            }
                        } else {
                            for (int s = a; s < e; s++) {
                                int first = sl.rowStart[s], end = sl.rowStart[s + 1];
                                Buf.copy(w.dHid, sl.rows[first] * h, w.xw, s * h, h);
                                for (int i = first + 1; i < end; i++) {
                                    Buf.addTo(w.dHid, sl.rows[i] * h, w.xw, s * h, h);
                                }
                            }
                        }
                        if (e > a) {
                            Blas.gemm(false, true, e - a, d, h, 1.0, w.xw, a * h, h, weight1, 0, h, 0.0, w.dxu, a * d, d);
                            Blas.gemm(true, false, d, h, e - a, 1.0, w.xu, a * d, d, w.xw, a * h, h, 0.0, sp[q], 0, h);
                        } else {
                            sp[q].zero();
                        }
                        for (int s = a; s < e; s++) {
                            Buf.addTo(w.dxu, s * d, w.dx, idx.srcOf[sl.firstRow(s)] * d, d);
                        }
                    }
                });
                // Per position: dH summed over the blocks, then dW1 += P^T (sum dH), dP = (sum dH) W1^T.
                w.dt.zero();
                for (Buf blockDt : dtPart) {
                    Buf.addTo(blockDt, 0, w.dt, 0, T * h);
                }
                // two independent products with different outputs: one per thread
                final Buf posValue = Buf.of(pos.value());
                Parallel.both(
                        () -> Blas.gemm(true, false, d, h, T, 1.0, posValue, 0, d, w.dt, 0, h, 1.0, gw1, 0, h),
                        () -> Blas.gemm(false, true, T, d, h, 1.0, w.dt, 0, h, weight1, 0, h, 1.0, gpos, 0, d));
            }
            addBlockGradients(w, part, gw1, gpos);
            if (slotPart != null) {
                for (Buf sp : slotPart) {
                    Buf.addTo(sp, 0, gw1, 0, gw1.length());
                }
            }
            return w.dx.array();
        }

        /**
         * The blocks' parameter gradients added in block order (keyed passes have no per-block dW1, dP);
         * dW2, held transposed [K, h] per block, through heap arrays.
         */
        private void addBlockGradients(Work w, Buf[][] part, Buf gw1, Buf gpos) {
            final int h = config.hidden(), K = config.numInterests();
            Buf[] grads = {gw1, Buf.of(b1.grad()), Buf.of(w2.grad()), Buf.of(b2.grad()), gpos};
            double[] heap = w.w2Heap;
            boolean isFloat = grads[2] instanceof Buf.F;
            grads[2].get(0, heap, 0, h * K);
            for (Buf[] blockPart : part) {
                for (int i = 0; i < grads.length; i++) {
                    if (keyed && (i == 0 || i == 4)) {
                        continue;
                    }
                    if (i == 2) {
                        blockPart[2].get(0, heap, 2 * h * K, K * h);
                        Kernels.transpose(heap, 2 * h * K, K, h, heap, h * K);
                        addRounded(heap, h * K, h * K, isFloat);
                    } else {
                        Buf.addTo(blockPart[i], 0, grads[i], 0, grads[i].length());
                    }
                }
            }
            grads[2].set(0, heap, 0, h * K);
        }

        /**
         * Slot {@code s}'s rows of dH summed in row order into its row of {@code sums}, on the heap (one
         * write per slot); a method of its own, called once per slot, so that the JIT compiles it early.
         */
        private static void sumSlotRows(Buf.F dh, Buf.F sums, Slots sl, int s, int h, float[] acc, float[] row) {
            int first = sl.rowStart[s], end = sl.rowStart[s + 1];
            dh.get(sl.rows[first] * h, acc, 0, h);
            for (int i = first + 1; i < end; i++) {
                dh.get(sl.rows[i] * h, row, 0, h);
                for (int j = 0; j < h; j++) {
                    acc[j] += row[j];
                }
            }
            sums.set(s * h, acc, 0, h);
        }

        /**
         * {@code a[i] += a[off + i]} for {@code i < n}, each sum rounded to float when {@code toFloat}, as
         * a float buffer's own addition rounds.
         */
        private static void addRounded(double[] a, int off, int n, boolean toFloat) {
            for (int i = 0; i < n; i++) {
                double v = a[i] + a[off + i];
                a[i] = toFloat ? (float) v : v;
            }
        }

        /**
         * Backward for users {@code [u0, u1)}: their rows of dX, and their parameter gradients into
         * {@code part} (overwritten). Keyed passes ({@code dtPart} not null) leave dW1, dP and the input
         * path of dX to the per-key and per-position sums: the block's dH summed per position goes to
         * {@code dtPart}, and dX gets only the direct path here.
         */
        private void backwardBlock(Work w, MaskIndex idx, Buf g, Buf[] part, int blk, int u0, int u1, Buf weight1, Buf dtPart,
                                   double[] heap) {
            final int d = config.dim(), h = config.hidden(), K = config.numInterests(), T = config.maxLen();
            int r0 = idx.groupStart[u0], rn = idx.groupStart[u1] - r0;
            // the per-user products in Java where the forward pass ran them so
            BlockScratch sc = fusedScores(w) && g instanceof Buf.F ? w.blockScratch(blk) : null;
            for (int b = u0; b < u1; b++) {
                attentionBackward(w, idx, g, b, heap, sc);
            }
            Buf dW1 = part[0], dPos = part[4];
            if (w.hid instanceof Buf.F hidF && w.dHid instanceof Buf.F dhF) {
                hiddenBackwardFloat(w, hidF, dhF, idx, r0, rn, part, (Buf.F) dtPart, w.blockScratch(blk));
            } else {
                hiddenBackward(w, r0, rn, part, dtPart, idx);
            }
            if (dtPart == null) {
                Blas.gemm(true, false, d, h, rn, 1.0, w.xp, r0 * d, d, w.dHid, r0 * h, h, 0.0, dW1, 0, h);
                Blas.gemm(false, true, rn, d, h, 1.0, w.dHid, r0 * h, h, weight1, 0, h, 0.0, w.dXp, r0 * d, d);
                // positions see only the path through H
                dPos.zero();
                for (int r = r0, e; r < r0 + rn; r = e) {
                    e = idx.runEnd(r, r0 + rn);
                    Buf.addTo(w.dXp, r * d, dPos, (idx.srcOf[r] % T) * d, (e - r) * d);
                }
            }
            // X also feeds V = A^T X directly: dX_b += A_b G_b, then the rows go back to their positions
            double beta = dtPart == null ? 1.0 : 0.0;
            for (int b = u0; b < u1; b++) {
                int start = idx.groupStart[b], len = idx.groupSize(b);
                if (len > 0 && sc != null) {
                    Buf.F dxp = (Buf.F) w.dXp;
                    ((Buf.F) w.att).get(start * K, sc.a4, 0, len * K);
                    ((Buf.F) g).get(b * K * d, sc.kd, 0, K * d);
                    if (beta == 1.0) {
                        dxp.get(start * d, sc.xb, 0, len * d);
                    }
                    Kernels.weightedRows4(sc.a4, len, sc.kd, d, sc.xb, beta == 1.0);
                    dxp.set(start * d, sc.xb, 0, len * d);
                } else if (len > 0) {
                    Blas.gemm(false, false, len, d, K, 1.0, w.att, start * K, K, g, b * K * d, d, beta, w.dXp, start * d, d);
                }
            }
            if (rn < (u1 - u0) * T) { // padded positions get 0; real ones are all written below
                w.dx.zero(u0 * T * d, (u1 - u0) * T * d);
            }
            scatterRows(w.dXp, idx, d, w.dx, r0, r0 + rn);
        }

        /**
         * User b's part of the attention backward: dA = X_b G_b^T, then the softmax backward
         * dS = A * (dA - sum_t A dA), into {@code score}. Called once per user, so that the JIT compiles it
         * whole early instead of replacing the block's loop on the stack.
         */
        private void attentionBackward(Work w, MaskIndex idx, Buf g, int b, double[] heap, BlockScratch sc) {
            final int d = config.dim(), K = config.numInterests(), T = config.maxLen();
            final int cap = w.batch * T;
            int start = idx.groupStart[b], len = idx.groupSize(b);
            if (len == 0) {
                return;
            }
            // bulk reads and writes, as in the forward pass
            final int kt = K * T;
            if (sc != null) {
                ((Buf.F) w.xRows).get(start * d, sc.xb, 0, len * d);
                ((Buf.F) g).get(b * K * d, sc.kd, 0, K * d);
                Kernels.rowDots4(sc.xb, len, d, sc.kd, sc.a4);
                for (int q = 0; q < len * K; q++) {
                    heap[kt + q] = sc.a4[q];
                }
            } else {
                Blas.gemm(false, true, len, K, d, 1.0, w.xRows, start * d, d, g, b * K * d, d, 0.0, w.dAtt, start * K, K);
                w.dAtt.get(start * K, heap, kt, len * K);
            }
            w.att.get(start * K, heap, 0, len * K);
            for (int k = 0; k < K; k++) {
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    int q = i * K + k;
                    dot += heap[q] * heap[kt + q];
                }
                for (int i = 0; i < len; i++) {
                    int q = i * K + k;
                    heap[2 * kt + k * len + i] = heap[q] * (heap[kt + q] - dot);
                }
            }
            for (int k = 0; k < K; k++) {
                w.score.set(k * cap + start, heap, 2 * kt + k * len, len);
            }
        }

        /**
         * From dS (in {@code score}, transposed) to dH for rows {@code [r0, r0+rn)}: dB2, dW2 (transposed)
         * and dB1 into the block's partials, dH into {@code dHid}, and for keyed passes dH summed per
         * position into {@code dtPart}. BLAS form, used in double.
         */
        private void hiddenBackward(Work w, int r0, int rn, Buf[] part, Buf dtPart, MaskIndex idx) {
            final int h = config.hidden(), K = config.numInterests(), T = config.maxLen();
            final int cap = w.batch * T;
            Buf dB1 = part[1], dW2 = part[2], dB2 = part[3];
            // dS is stored transposed [K, cap]: the products take it with a transposed flag.
            dB2.zero();
            dB1.zero();
            if (rn > 0) {
                Blas.gemv(false, K, rn, 1.0, w.score, r0, cap, w.ones, 0, 0.0, dB2, 0);
            }
            // dW2 column by column (K matrix-vector products), into the transposed [K, h] partial
            for (int k = 0; k < K; k++) {
                if (rn > 0) {
                    Blas.gemv(true, rn, h, 1.0, w.hid, r0 * h, h, w.score, k * cap + r0, 0.0, dW2, k * h);
                } else {
                    dW2.zero(k * h, h);
                }
            }
            Blas.gemm(true, false, rn, h, K, 1.0, w.score, r0, cap, w.w2t, 0, h, 0.0, w.dHid, r0 * h, h);
            Kernels.tanhBackwardInPlace(w.dHid, w.hid, r0 * h, rn * h);
            if (rn > 0) {
                Blas.gemv(true, rn, h, 1.0, w.dHid, r0 * h, h, w.ones, 0, 0.0, dB1, 0);
            }
            if (dtPart != null) {
                dtPart.zero();
                for (int r = r0; r < r0 + rn; r++) {
                    Buf.addTo(w.dHid, r * h, dtPart, (idx.srcOf[r] % T) * h, h);
                }
            }
        }

        /**
         * {@link #hiddenBackward} in float as one pass per row on the heap: each row of H is read once and
         * its dH written once, where the BLAS form reads H K+1 times and dH three times (K is too small
         * for the products to pay). dW2, dB1 and the per-position sums accumulate in row order.
         */
        private void hiddenBackwardFloat(Work w, Buf.F hidF, Buf.F dhF, MaskIndex idx, int r0, int rn, Buf[] part,
                                         Buf.F dtPart, BlockScratch sc) {
            final int h = config.hidden(), K = config.numInterests(), T = config.maxLen();
            final int cap = w.batch * T;
            // Every loop below indexes its arrays alike from 0: C2 (JDK 17) does not vectorise a loop whose
            // float arrays are read and written at different offsets, as they might be one array.
            float[] ds = sc.ds, db1 = sc.db1, hrow = sc.hrow, dh = sc.dh;
            float[][] w2 = sc.w2, dw2 = sc.dw2, dt = sc.dt;
            for (int k = 0; k < K; k++) {
                ((Buf.F) w.w2t).get(k * h, w2[k], 0, h);
                java.util.Arrays.fill(dw2[k], 0f);
            }
            java.util.Arrays.fill(db1, 0f);
            if (dtPart != null) {
                for (float[] row : dt) {
                    java.util.Arrays.fill(row, 0f);
                }
            }
            double[] db2 = new double[K];
            for (int k = 0; k < K; k++) {
                ((Buf.F) w.score).get(k * cap + r0, ds, k * rn, rn);
                double sum = 0;
                for (int i = 0; i < rn; i++) {
                    sum += ds[k * rn + i];
                }
                db2[k] = sum;
            }
            float[] gk = sc.gk;
            int first = 0;
            if (K == 4) {
                // rows in pairs: the dW2 sums take both rows in one pass over the accumulators
                float[] hrow2 = sc.hrow2, dh2 = sc.dh2, gk2 = sc.gk2;
                for (; first + 1 < rn; first += 2) {
                    int r = r0 + first;
                    hidF.get(r * h, hrow, 0, h);
                    hidF.get((r + 1) * h, hrow2, 0, h);
                    for (int k = 0; k < K; k++) {
                        gk[k] = ds[k * rn + first];
                        gk2[k] = ds[k * rn + first + 1];
                    }
                    pairBackward4(hrow, gk, hrow2, gk2, h, w2, dw2, db1,
                            dtPart != null ? dt[idx.srcOf[r] % T] : null, dtPart != null ? dt[idx.srcOf[r + 1] % T] : null,
                            dh, dh2);
                    dhF.set(r * h, dh, 0, h);
                    dhF.set((r + 1) * h, dh2, 0, h);
                }
            }
            for (int i = first; i < rn; i++) {
                int r = r0 + i;
                hidF.get(r * h, hrow, 0, h);
                for (int k = 0; k < K; k++) {
                    gk[k] = ds[k * rn + i];
                }
                rowBackward(hrow, gk, K, h, w2, dw2, db1, dtPart != null ? dt[idx.srcOf[r] % T] : null, dh);
                dhF.set(r * h, dh, 0, h);
            }
            for (int k = 0; k < K; k++) {
                ((Buf.F) part[2]).set(k * h, dw2[k], 0, h);
            }
            ((Buf.F) part[1]).set(0, db1, 0, h);
            part[3].set(0, db2, 0, K);
            if (dtPart != null) {
                for (int t = 0; t < T; t++) {
                    dtPart.set(t * h, dt[t], 0, h);
                }
            }
        }

        /**
         * One row of {@link #hiddenBackwardFloat}: {@code dh = (sum_k g_k W2_k) (1 - y^2)}, with
         * {@code dW2_k += g_k y}, {@code dB1 += dh} and (when {@code dtRow} is not null) {@code dtRow += dh}.
         * A method of its own, called once per row, so that the JIT compiles it whole after a few
         * hundred rows; as part of the row loop it waited for on-stack replacement of the whole loop,
         * which took from 0.3 to 2.8 s of the first 100 steps depending on the loop it was entered at.
         */
        private static void rowBackward(float[] y, float[] g, int K, int h, float[][] w2, float[][] dw2,
                                        float[] db1, float[] dtRow, float[] dh) {
            if (K == 4) {
                rowBackward4(y, g, h, w2, dw2, db1, dtRow, dh);
                return;
            }
            float g0 = g[0];
            float[] w0 = w2[0];
            for (int j = 0; j < h; j++) {
                dh[j] = g0 * w0[j];
            }
            for (int k = 1; k < K; k++) {
                float gk = g[k];
                float[] wk = w2[k];
                for (int j = 0; j < h; j++) {
                    dh[j] += gk * wk[j];
                }
            }
            for (int k = 0; k < K; k++) {
                float gk = g[k];
                float[] acc = dw2[k];
                for (int j = 0; j < h; j++) {
                    acc[j] += gk * y[j];
                }
            }
            tanhBackwardRow(y, dh, db1, dtRow, h);
        }

        /**
         * {@link #rowBackward4} for two consecutive rows: the same float operations in the same order per
         * element (row 1's dW2 term added before row 2's, row 1's dB1 and per-position sums before row
         * 2's, also when both rows have the same position), so the same results, with one pass over the
         * dW2 accumulators for both rows instead of one per row (8 loops per two rows instead of 12, or of
         * 20 for the general form that plain passes used). {@code dt1} and {@code dt2} are null in plain passes.
         */
        static void pairBackward4(float[] y1, float[] g1, float[] y2, float[] g2, int h, float[][] w2,
                                  float[][] dw2, float[] db1, float[] dt1, float[] dt2, float[] dh1, float[] dh2) {
            if (!Kernels.pairBackward4(y1, g1, y2, g2, h, w2, dw2, db1, dt1, dt2, dh1, dh2)) { // one pass, same bits
                pairBackward4Scalar(y1, g1, y2, g2, h, w2, dw2, db1, dt1, dt2, dh1, dh2);
            }
        }

        /** {@link #pairBackward4} without the Vector API. */
        static void pairBackward4Scalar(float[] y1, float[] g1, float[] y2, float[] g2, int h, float[][] w2,
                                        float[][] dw2, float[] db1, float[] dt1, float[] dt2, float[] dh1,
                                        float[] dh2) {
            final float[] a0 = dw2[0], a1 = dw2[1], a2 = dw2[2], a3 = dw2[3];
            final float g10 = g1[0], g11 = g1[1], g12 = g1[2], g13 = g1[3];
            final float g20 = g2[0], g21 = g2[1], g22 = g2[2], g23 = g2[3];
            dhOf4(g1, w2, dh1, h);
            dhOf4(g2, w2, dh2, h);
            for (int j = 0; j < h; j++) {
                a0[j] = (a0[j] + g10 * y1[j]) + g20 * y2[j];
            }
            for (int j = 0; j < h; j++) {
                a1[j] = (a1[j] + g11 * y1[j]) + g21 * y2[j];
            }
            for (int j = 0; j < h; j++) {
                a2[j] = (a2[j] + g12 * y1[j]) + g22 * y2[j];
            }
            for (int j = 0; j < h; j++) {
                a3[j] = (a3[j] + g13 * y1[j]) + g23 * y2[j];
            }
            tanhBackwardRow(y1, dh1, db1, dt1, h);
            tanhBackwardRow(y2, dh2, db1, dt2, h);
        }

        /** {@code dh = sum_k g_k W2_k} for K = 4, the terms added in k order. */
        private static void dhOf4(float[] g, float[][] w2, float[] dh, int h) {
            final float g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3];
            final float[] w0 = w2[0], w1 = w2[1], w2r = w2[2], w3 = w2[3];
            for (int j = 0; j < h; j++) {
                float v = g0 * w0[j];
                v += g1 * w1[j];
                v += g2 * w2r[j];
                v += g3 * w3[j];
                dh[j] = v;
            }
        }

        /** {@code dh *= 1 - y^2}, then {@code dh} added to {@code db1} and (when not null) to {@code dtRow}. */
        private static void tanhBackwardRow(float[] y, float[] dh, float[] db1, float[] dtRow, int h) {
            if (dtRow == null) {
                for (int j = 0; j < h; j++) {
                    float yj = y[j];
                    float v = dh[j] * (1f - yj * yj);
                    dh[j] = v;
                    db1[j] += v;
                }
                return;
            }
            for (int j = 0; j < h; j++) {
                float yj = y[j];
                float v = dh[j] * (1f - yj * yj);
                dh[j] = v;
                db1[j] += v;
                dtRow[j] += v;
            }
        }

        /**
         * {@link #rowBackward} for K = 4 (with the per-position sum when {@code dtRow} is not null): dh from the
         * four rows of W2 in one loop, and the tanh derivative, dB1 and the per-position sum in another,
         * with the same float operations in the same order per element, so the same results. Six loops
         * instead of ten, because each loop costs C2's fixed ~10 ns plus a pass over dh. Not one loop for
         * everything: C2 does not vectorise a loop with that many stores.
         * (Timings: benchmarks/RESULTS.md.)
         */
        private static void rowBackward4(float[] y, float[] g, int h, float[][] w2, float[][] dw2, float[] db1,
                                         float[] dtRow, float[] dh) {
            final float g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3];
            final float[] a0 = dw2[0], a1 = dw2[1], a2 = dw2[2], a3 = dw2[3];
            dhOf4(g, w2, dh, h);
            for (int j = 0; j < h; j++) {
                a0[j] += g0 * y[j];
            }
            for (int j = 0; j < h; j++) {
                a1[j] += g1 * y[j];
            }
            for (int j = 0; j < h; j++) {
                a2[j] += g2 * y[j];
            }
            for (int j = 0; j < h; j++) {
                a3[j] += g3 * y[j];
            }
            tanhBackwardRow(y, dh, db1, dtRow, h);
        }
    }
}
