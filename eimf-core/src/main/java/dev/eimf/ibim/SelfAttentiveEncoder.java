package dev.eimf.ibim;

import dev.eimf.tensor.Blas;
import dev.eimf.tensor.Buf;
import dev.eimf.tensor.Kernels;
import dev.eimf.tensor.Parallel;
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
        dev.eimf.tensor.Initializers.normal(pos.value(), POSITION_STD, rng);
        dev.eimf.tensor.Initializers.glorotUniform(w1.value(), d, h, rng);
        dev.eimf.tensor.Initializers.glorotUniform(w2.value(), h, k, rng);
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
        final Buf score;   // [N,K] S, then reused for dS
        final Buf att;     // [N,K] A
        final Buf dAtt;    // [N,K]
        final Buf dHid;    // [N,h]
        final Buf dXp;     // [N,d]
        final Buf out;     // [B,K,d]
        final Buf dx;      // [B,T,d]
        final Buf ones;    // [N] of 1, for column sums

        Work(EncoderConfig c, int batch) {
            this.batch = batch;
            var t = c.dataType();
            int n = batch * c.maxLen();
            xRows = Buf.zeros(t, n, c.dim());
            xp = Buf.zeros(t, n, c.dim());
            hid = Buf.zeros(t, n, c.hidden());
            score = Buf.zeros(t, n, c.numInterests());
            att = Buf.zeros(t, n, c.numInterests());
            dAtt = Buf.zeros(t, n, c.numInterests());
            dHid = Buf.zeros(t, n, c.hidden());
            dXp = Buf.zeros(t, n, c.dim());
            out = Buf.zeros(t, batch, c.numInterests(), c.dim());
            dx = Buf.zeros(t, batch, c.maxLen(), c.dim());
            ones = Kernels.ones(t, n);
        }

        @Override
        public int batch() {
            return batch;
        }
    }

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
        MaskIndex idx = MaskIndex.of(mask, batch, config.maxLen(), true);
        Work w = acquire(batch);
        final int d = config.dim(), h = config.hidden(), K = config.numInterests(), T = config.maxLen();
        final int n = idx.rows;

        Buf xb = Buf.ofCopyIfNeeded(x);
        Buf p = Buf.of(pos.value());
        for (int r = 0; r < n; r++) {
            int src = idx.srcOf[r];
            Buf.copy(xb, src * d, w.xRows, r * d, d);
            Buf.copy(xb, src * d, w.xp, r * d, d);
            Buf.addTo(p, (src % T) * d, w.xp, r * d, d);
        }
        // H = tanh(XP W1 + b1) with the bias pre-filled; S = H W2 (b2 added in the softmax loop)
        Kernels.fillRows(w.hid, n, h, Buf.of(b1.value()));
        Blas.pgemm(false, false, n, h, d, 1.0, w.xp, 0, d, Buf.of(w1.value()), 0, h, 1.0, w.hid, 0, h);
        Kernels.tanhInPlace(w.hid, n * h);
        Blas.pgemm(false, false, n, K, h, 1.0, w.hid, 0, h, Buf.of(w2.value()), 0, K, 0.0, w.score, 0, K);

        Buf bias2 = Buf.of(b2.value());
        double[] bk = new double[K];
        bias2.get(0, bk, 0, K);
        // Users are independent: each thread owns whole users.
        Parallel.forRange(batch, 8, (from, to) -> {
            double[] e = new double[T];
            for (int b = from; b < to; b++) {
                int start = idx.groupStart[b], len = idx.groupSize(b);
                int outOff = b * K * d;
                if (len == 0) {
                    w.out.zero(outOff, K * d);
                    continue;
                }
                for (int k = 0; k < K; k++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < len; i++) {
                        e[i] = w.score.get((start + i) * K + k) + bk[k];
                        max = Math.max(max, e[i]);
                    }
                    double sum = 0;
                    for (int i = 0; i < len; i++) {
                        e[i] = Math.exp(e[i] - max);
                        sum += e[i];
                    }
                    for (int i = 0; i < len; i++) {
                        w.att.set((start + i) * K + k, e[i] / sum);
                    }
                }
                // V_b = A_b^T X_b : [K, len] x [len, d]
                Blas.gemm(true, false, K, d, len, 1.0, w.att, start * K, K, w.xRows, start * d, d, 0.0, w.out, outOff, d);
            }
        });
        return new SaPass(this, w, idx);
    }

    /** A forward pass of {@link SelfAttentiveEncoder}. */
    public final class SaPass extends AbstractEncoder.BasePass<Work> {
        private final MaskIndex idx;

        private SaPass(SelfAttentiveEncoder owner, Work w, MaskIndex idx) {
            super(owner, w);
            this.idx = idx;
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
            final int d = config.dim(), h = config.hidden(), K = config.numInterests(), T = config.maxLen();
            final int n = idx.rows, batch = idx.batch;

            // dA = X_b G_b^T per user, then the softmax backward dS = A * (dA - sum_t A dA), into score
            Parallel.forRange(batch, 8, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int start = idx.groupStart[b], len = idx.groupSize(b);
                    if (len == 0) {
                        continue;
                    }
                    Blas.gemm(false, true, len, K, d, 1.0, w.xRows, start * d, d, g, b * K * d, d, 0.0, w.dAtt, start * K, K);
                    for (int k = 0; k < K; k++) {
                        double dot = 0;
                        for (int i = 0; i < len; i++) {
                            int q = (start + i) * K + k;
                            dot += w.att.get(q) * w.dAtt.get(q);
                        }
                        for (int i = 0; i < len; i++) {
                            int q = (start + i) * K + k;
                            w.score.set(q, w.att.get(q) * (w.dAtt.get(q) - dot));
                        }
                    }
                }
            });
            Buf dS = w.score;
            Kernels.addColumnSums(dS, n, K, w.ones, Buf.of(b2.grad()), 0);
            Blas.pgemm(true, false, h, K, n, 1.0, w.hid, 0, h, dS, 0, K, 1.0, Buf.of(w2.grad()), 0, K);
            Blas.pgemm(false, true, n, h, K, 1.0, dS, 0, K, Buf.of(w2.value()), 0, K, 0.0, w.dHid, 0, h);
            Kernels.tanhBackwardInPlace(w.dHid, w.hid, n * h);
            Kernels.addColumnSums(w.dHid, n, h, w.ones, Buf.of(b1.grad()), 0);
            Blas.pgemm(true, false, d, h, n, 1.0, w.xp, 0, d, w.dHid, 0, h, 1.0, Buf.of(w1.grad()), 0, h);
            Blas.pgemm(false, true, n, d, h, 1.0, w.dHid, 0, h, Buf.of(w1.value()), 0, h, 0.0, w.dXp, 0, d);

            // positions see only the path through H
            double[][] dPos = new double[T][d];
            double[] row = new double[d];
            for (int r = 0; r < n; r++) {
                w.dXp.get(r * d, row, 0, d);
                double[] acc = dPos[idx.srcOf[r] % T];
                for (int j = 0; j < d; j++) {
                    acc[j] += row[j];
                }
            }
            Buf dPosBuf = Buf.of(pos.grad());
            for (int t = 0; t < T; t++) {
                dPosBuf.add(t * d, dPos[t], 0, d);
            }
            // X also feeds V = A^T X directly: dX_b += A_b G_b
            Parallel.forRange(batch, 16, (from, to) -> {
                for (int b = from; b < to; b++) {
                    int start = idx.groupStart[b], len = idx.groupSize(b);
                    if (len > 0) {
                        Blas.gemm(false, false, len, d, K, 1.0, w.att, start * K, K, g, b * K * d, d, 1.0, w.dXp, start * d, d);
                    }
                }
            });
            w.dx.zero();
            for (int r = 0; r < n; r++) {
                Buf.copy(w.dXp, r * d, w.dx, idx.srcOf[r] * d, d);
            }
            return w.dx.array();
        }
    }
}
