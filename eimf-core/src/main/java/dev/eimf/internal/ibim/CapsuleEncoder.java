package dev.eimf.internal.ibim;

import dev.eimf.internal.tensor.Blas;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.CapsuleRouting;
import dev.eimf.internal.tensor.Initializers;
import dev.eimf.internal.tensor.Kernels;
import dev.eimf.internal.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The capsule encoders of the official ComiRec code ({@code CapsuleNetwork}):
 * <ul>
 * <li><b>ComiRec-DR</b> ({@code bilinear_type=2}): per-position, per-interest maps,
 *     {@code u[t,k] = W[t,k] e_t} with {@code W} [T, K*d, d] initialised N(0,1) as in the official code;
 *     routing logits start at 0.</li>
 * <li><b>MIND</b> ({@code bilinear_type=0}): one shared dense map {@code u[t] = e_t Wm + bm} for all
 *     interests; routing logits drawn afresh on every forward pass (training or not, as the official
 *     code does; with zero logits all interests would coincide) from the caller's generator, N(0,1) or
 *     truncated at 2 sigma, in the order (b, k, t) over all T positions so that a padded history consumes
 *     the same draws as a full one.</li>
 * </ul>
 * Then {@link CapsuleRouting dynamic routing} ({@code routingIterations}, default 3) and, if configured,
 * a ReLU projection {@code relu(v Wp + bp)}. Because the routing-logit updates see {@code u} through a
 * stop-gradient, the coupling of the last iteration is a constant for the backward pass: only the last
 * {@code s = sum_t c u}, {@code v = squash(s)} carries gradient to the weights and the inputs.
 *
 * <p>Padded positions are packed away: their coupling is 0, their gradient is 0, and their contents are
 * never read. Parameters: {@code dr.w} [T, K*d, d]; or {@code mind.w} [d, d], {@code mind.b} [d]; plus
 * {@code <type>.proj_w} [d, d], {@code <type>.proj_b} [d] with the projection. Not thread-safe for
 * backward.
 */
public final class CapsuleEncoder extends AbstractEncoder<CapsuleEncoder.Work> {

    private final boolean shared;
    private final Param w;
    private final Param bias;      // MIND only
    private final Param projW;     // optional
    private final Param projB;     // optional
    private final CapsuleRouting.Dims dimsPerUser;

    private CapsuleEncoder(EncoderConfig c, List<Param> params, Param w, Param bias, Param projW, Param projB) {
        super(c, params);
        this.shared = c.type() == EncoderType.MIND;
        this.w = w;
        this.bias = bias;
        this.projW = projW;
        this.projB = projB;
        int d = c.dim(), k = c.numInterests();
        this.dimsPerUser = new CapsuleRouting.Dims(1, c.maxLen(), k, d, shared ? d : k * d, shared ? 0 : d);
    }

    /** A new DR or MIND encoder with seeded initial weights (see the class comment; biases zero). */
    static CapsuleEncoder create(EncoderConfig c, RandomGenerator rng) {
        if (c.type() != EncoderType.DR && c.type() != EncoderType.MIND) {
            throw new IllegalArgumentException("not a capsule configuration: " + c.type());
        }
        int d = c.dim(), k = c.numInterests(), t = c.maxLen();
        List<Param> ps = new ArrayList<>();
        Param w;
        Param b = null;
        String prefix = c.type() == EncoderType.DR ? "dr" : "mind";
        if (c.type() == EncoderType.DR) {
            w = param("dr.w", c, t, (long) k * d, d);
            Initializers.normal(w.value(), 1.0, rng);
            ps.add(w);
        } else {
            w = param("mind.w", c, d, d);
            b = param("mind.b", c, d);
            Initializers.glorotUniform(w.value(), d, d, rng);
            ps.add(w);
            ps.add(b);
        }
        Param pw = null;
        Param pb = null;
        if (c.reluProjection()) {
            pw = param(prefix + ".proj_w", c, d, d);
            pb = param(prefix + ".proj_b", c, d);
            Initializers.glorotUniform(pw.value(), d, d, rng);
            ps.add(pw);
            ps.add(pb);
        }
        return new CapsuleEncoder(c, ps, w, b, pw, pb);
    }

    /** Work buffers for one batch size; row capacity B*T. */
    static final class Work implements AbstractEncoder.Workspace {
        final int batch;
        final Buf xRows;      // [N,d]
        final Buf u;          // [N,rowLen]
        final Buf dU;         // [N,rowLen]
        final Buf dXr;        // [N,d]
        final Buf caps;       // [B,K,d] squashed capsules
        final Buf out;        // [B,K,d] after the projection (or null)
        final Buf dCaps;      // [B,K,d] (projection only)
        final Buf dProj;      // [B,K,d] (projection only)
        final Buf dx;         // [B,T,d]
        final double[] coupling;  // [B*K*T]
        final double[] s;         // [B*K*d]
        final double[] logits;    // [B*K*T] (MIND)
        final Buf ones;           // [max(B*T, B*K)] of 1, for column sums
        final EncoderConfig cfg;
        final boolean shared;
        /** Per-block routing scratch, created for the current block count. */
        CapsuleRouting.Scratch[] scratch = new CapsuleRouting.Scratch[0];
        private MaskIndex maskIndex;
        /**
         * Per-block parameter gradients, created for the current block count: MIND {@code w, b}, then the
         * projection's {@code w, b} if configured. DR's map gradient is written by positions, not blocks.
         */
        Buf[][] partial = new Buf[0][];

        Work(EncoderConfig c, int batch, boolean shared) {
            this.batch = batch;
            this.cfg = c;
            this.shared = shared;
            var t = c.dataType();
            int n = batch * c.maxLen(), d = c.dim(), k = c.numInterests();
            int rowLen = shared ? d : k * d;
            xRows = Buf.zeros(t, n, d);
            u = Buf.zeros(t, n, rowLen);
            dU = Buf.zeros(t, n, rowLen);
            dXr = Buf.zeros(t, n, d);
            caps = Buf.zeros(t, batch, k, d);
            boolean proj = c.reluProjection();
            out = proj ? Buf.zeros(t, batch, k, d) : null;
            dCaps = proj ? Buf.zeros(t, batch, k, d) : null;
            dProj = proj ? Buf.zeros(t, batch, k, d) : null;
            dx = Buf.zeros(t, batch, c.maxLen(), d);
            coupling = new double[batch * k * c.maxLen()];
            s = new double[batch * k * d];
            logits = shared ? new double[batch * k * c.maxLen()] : null;
            ones = Kernels.ones(t, batch * Math.max(c.maxLen(), k));
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

        CapsuleRouting.Scratch[] scratch(int blocks, CapsuleRouting.Dims dims) {
            if (scratch.length != blocks) {
                scratch = new CapsuleRouting.Scratch[blocks];
                for (int i = 0; i < blocks; i++) {
                    scratch[i] = new CapsuleRouting.Scratch(dims);
                }
            }
            return scratch;
        }

        Buf[][] partials(int blocks) {
            if (partial.length != blocks) {
                var t = cfg.dataType();
                int d = cfg.dim();
                partial = new Buf[blocks][];
                for (int i = 0; i < blocks; i++) {
                    java.util.List<Buf> l = new ArrayList<>();
                    if (shared) {
                        l.add(Buf.zeros(t, d, d));
                        l.add(Buf.zeros(t, d));
                    }
                    if (cfg.reluProjection()) {
                        l.add(Buf.zeros(t, d, d));
                        l.add(Buf.zeros(t, d));
                    }
                    partial[i] = l.toArray(new Buf[0]);
                }
            }
            return partial;
        }
    }

    @Override
    Work newWorkspace(int batch) {
        return new Work(config, batch, shared);
    }

    /**
     * {@inheritDoc}
     *
     * <p>DR is deterministic and ignores {@code rng}; MIND requires it (see the class comment).
     * {@code training} is not used: the official code routes identically in both modes.
     */
    @Override
    public CapsulePass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng) {
        return forward(x, mask, rng, null);
    }

    /**
     * The forward pass with the routing replaced by a given coupling ({@code [B*K*T]}, index
     * {@code (b*K+k)*T+t}), or routed normally when {@code fixedCoupling} is null. With the coupling of a
     * normal pass this is the function whose exact gradient {@link CapsulePass#backward} returns.
     */
    CapsulePass forward(INDArray x, INDArray mask, RandomGenerator rng, double[] fixedCoupling) {
        int batch = checkX(x);
        if (shared && rng == null) {
            throw new IllegalArgumentException("MIND draws random routing logits: rng must not be null");
        }
        final int d = config.dim(), K = config.numInterests(), T = config.maxLen();
        Work wk = acquire(batch);
        MaskIndex idx = readMask(wk, mask, shared);
        final int rowLen = dimsPerUser.rowLen();
        final CapsuleRouting.Dims dims = new CapsuleRouting.Dims(batch, T, K, d, rowLen, dimsPerUser.kStride());
        final int blocks = blocks(batch);
        final CapsuleRouting.Scratch[] scratch = wk.scratch(blocks, dims);
        final int iterations = config.routingIterations();
        final Buf xb = Buf.ofCopyIfNeeded(x);
        final Buf wv = Buf.of(w.value());
        final Buf pw = projW == null ? null : Buf.of(projW.value());
        final Buf pb = projB == null ? null : Buf.of(projB.value());

        if (shared) {
            // Drawn before the parallel region: the draws' order must not depend on the threads. Per-user
            // streams drawn on the threads would be a little faster but gave lower test Recall@50
            // (benchmarks/RESULTS.md, section 7), for reasons not understood.
            boolean trunc = config.truncatedRoutingLogits();
            for (int i = 0; i < wk.logits.length; i++) {
                wk.logits[i] = trunc ? Initializers.truncatedGaussian(rng) : rng.nextGaussian();
            }
            final Buf bv = Buf.of(bias.value());
            // One region: each thread maps, routes and projects a block of users on its own rows, so the
            // rows stay in its cache from one step to the next.
            forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
                int r0 = idx.groupStart[u0], rn = idx.groupStart[u1] - r0;
                gatherRows(xb, idx, d, wk.xRows, r0, r0 + rn);
                // u = X Wm + bm, the bias pre-filled
                Kernels.fillRows(wk.u, r0 * d, rn, d, bv);
                if (rn > 0) {
                    Blas.gemm(false, false, rn, d, d, 1.0, wk.xRows, r0 * d, d, wv, 0, d, 1.0, wk.u, r0 * d, d);
                }
                CapsuleRouting.forwardUsers(dims, wk.u, idx.rowOf, iterations, wk.logits, fixedCoupling,
                        wk.coupling, wk.s, wk.caps, u0, u1, scratch[blk]);
                project(wk, u0, u1, pw, pb);
            });
        } else {
            gatherRows(xb, idx, d, wk.xRows);
            // Positions are independent: one parallel region, each thread a range of positions with
            // single-threaded products (a split product per position would cost a region each).
            Parallel.forRange(T, 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int start = idx.groupStart[t], len = idx.groupSize(t);
                    // u_t = X_t W[t]^T : [len, d] x [d, K*d]
                    Blas.gemm(false, true, len, rowLen, d, 1.0, wk.xRows, start * d, d,
                            wv, t * rowLen * d, d, 0.0, wk.u, start * rowLen, rowLen);
                }
            });
            forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
                CapsuleRouting.forwardUsers(dims, wk.u, idx.rowOf, iterations, null, fixedCoupling,
                        wk.coupling, wk.s, wk.caps, u0, u1, scratch[blk]);
                project(wk, u0, u1, pw, pb);
            });
        }
        return new CapsulePass(this, wk, idx, dims);
    }

    /** The ReLU projection {@code out = relu(caps Wp + bp)} of users {@code [u0, u1)}, if configured. */
    private void project(Work wk, int u0, int u1, Buf pw, Buf pb) {
        if (pw == null) {
            return;
        }
        int d = config.dim(), K = config.numInterests();
        int rows = (u1 - u0) * K, off = u0 * K * d;
        Kernels.fillRows(wk.out, off, rows, d, pb);
        if (rows > 0) {
            Blas.gemm(false, false, rows, d, d, 1.0, wk.caps, off, d, pw, 0, d, 1.0, wk.out, off, d);
        }
        Kernels.reluInPlace(wk.out, off, rows * d);
    }

    /** A forward pass of {@link CapsuleEncoder}. */
    public final class CapsulePass extends AbstractEncoder.BasePass<Work> {
        private final MaskIndex idx;
        private final CapsuleRouting.Dims dims;

        private CapsulePass(CapsuleEncoder owner, Work w, MaskIndex idx, CapsuleRouting.Dims dims) {
            super(owner, w);
            this.idx = idx;
            this.dims = dims;
        }

        @Override
        public INDArray interests() {
            Work wk = ws();
            return (projW != null ? wk.out : wk.caps).array();
        }

        /** The last routing iteration's coupling [B, K, T] as a new array (0 on padding). */
        public INDArray coupling() {
            Work wk = ws();
            INDArray a = Nd4j.create(config.dataType(), new long[] {idx.batch, config.numInterests(), config.maxLen()}, 'c');
            Buf.of(a).set(0, wk.coupling, 0, wk.coupling.length);
            return a;
        }

        /** A copy of the coupling, index (b*K+k)*T+t, for {@link CapsuleEncoder#forward(INDArray, INDArray, RandomGenerator, double[])}. */
        double[] couplingArray() {
            return ws().coupling.clone();
        }

        @Override
        public INDArray backward(INDArray dInterests) {
            Work wk = ws();
            Buf g = checkGrad(dInterests, idx.batch);
            final int d = config.dim(), T = config.maxLen();
            final int n = idx.rows, batch = idx.batch, rowLen = dims.rowLen();
            final int blocks = blocks(batch);
            final CapsuleRouting.Scratch[] scratch = wk.scratch(blocks, dims);
            final Buf[][] part = wk.partials(blocks);
            final Buf wv = Buf.of(w.value());
            final Buf pw = projW == null ? null : Buf.of(projW.value());
            forEachUserBlock(batch, blocks, (blk, u0, u1) -> {
                backwardBlock(wk, g, part[blk], u0, u1, wv, pw, scratch[blk]);
            });
            if (!shared) {
                Buf wg = Buf.of(w.grad());
                // Position t owns dW[t] and its rows of dX: the positions split across threads with
                // nothing to sum afterwards.
                Parallel.forRange(T, 1, (t0, t1) -> {
                    for (int t = t0; t < t1; t++) {
                        int start = idx.groupStart[t], len = idx.groupSize(t);
                        if (len == 0) {
                            continue;
                        }
                        int wOff = t * rowLen * d;
                        // dW[t] += dU_t^T X_t ; dX_t = dU_t W[t]
                        Blas.gemm(true, false, rowLen, d, len, 1.0, wk.dU, start * rowLen, rowLen,
                                wk.xRows, start * d, d, 1.0, wg, wOff, d);
                        Blas.gemm(false, false, len, d, rowLen, 1.0, wk.dU, start * rowLen, rowLen,
                                wv, wOff, d, 0.0, wk.dXr, start * d, d);
                    }
                });
                wk.dx.zero();
                scatterRows(wk.dXr, idx, d, wk.dx, 0, n);
            }
            // Blocks' parameter gradients, added in block order.
            List<Buf> grads = new ArrayList<>();
            if (shared) {
                grads.add(Buf.of(w.grad()));
                grads.add(Buf.of(bias.grad()));
            }
            if (projW != null) {
                grads.add(Buf.of(projW.grad()));
                grads.add(Buf.of(projB.grad()));
            }
            for (Buf[] blockPart : part) {
                for (int i = 0; i < grads.size(); i++) {
                    Buf.addTo(blockPart[i], 0, grads.get(i), 0, grads.get(i).length());
                }
            }
            return wk.dx.array();
        }

        /**
         * Backward for users {@code [u0, u1)}: the projection and the routing; for MIND also the map and
         * the block's rows of dX. Parameter gradients go to {@code part} (overwritten).
         */
        private void backwardBlock(Work wk, Buf g, Buf[] part, int u0, int u1, Buf wv, Buf pw,
                                   CapsuleRouting.Scratch sc) {
            final int d = config.dim(), K = config.numInterests(), T = config.maxLen();
            final int rows = (u1 - u0) * K, off = u0 * K * d;
            int p = 0;
            Buf dCaps = g;
            if (shared) {
                p = 2;
            }
            if (pw != null) {
                Buf dPw = part[p], dPb = part[p + 1];
                Buf.copy(g, off, wk.dProj, off, rows * d);
                Kernels.reluBackwardInPlace(wk.dProj, wk.out, off, rows * d);
                if (rows > 0) {
                    Blas.gemv(true, rows, d, 1.0, wk.dProj, off, d, wk.ones, 0, 0.0, dPb, 0);
                    Blas.gemm(true, false, d, d, rows, 1.0, wk.caps, off, d, wk.dProj, off, d, 0.0, dPw, 0, d);
                    Blas.gemm(false, true, rows, d, d, 1.0, wk.dProj, off, d, pw, 0, d, 0.0, wk.dCaps, off, d);
                } else {
                    dPw.zero();
                    dPb.zero();
                }
                dCaps = wk.dCaps;
            }
            CapsuleRouting.backwardUsers(dims, idx.rowOf, wk.coupling, wk.s, dCaps, wk.dU, u0, u1, sc);
            if (!shared) {
                return;
            }
            Buf dW = part[0], dB = part[1];
            int r0 = idx.groupStart[u0], rn = idx.groupStart[u1] - r0;
            if (rn > 0) {
                // db = column sums of dU; dW = X^T dU; dX = dU W^T, on the block's rows
                Blas.gemv(true, rn, d, 1.0, wk.dU, r0 * d, d, wk.ones, 0, 0.0, dB, 0);
                Blas.gemm(true, false, d, d, rn, 1.0, wk.xRows, r0 * d, d, wk.dU, r0 * d, d, 0.0, dW, 0, d);
                Blas.gemm(false, true, rn, d, d, 1.0, wk.dU, r0 * d, d, wv, 0, d, 0.0, wk.dXr, r0 * d, d);
            } else {
                dW.zero();
                dB.zero();
            }
            if (rn < (u1 - u0) * T) { // padded positions get 0; real ones are all written below
                wk.dx.zero(u0 * T * d, (u1 - u0) * T * d);
            }
            scatterRows(wk.dXr, idx, d, wk.dx, r0, r0 + rn);
        }
    }
}
