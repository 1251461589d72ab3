package dev.eimf.internal.ibim;

import dev.eimf.internal.tensor.Buf;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the encoders share: configuration, parameters, input checks, and a one-slot pool of work buffers
 * so that a training loop that {@linkplain InterestEncoder.Pass#release() releases} each pass allocates
 * nothing after the first step.
 *
 * @param <W> the encoder's work buffers for one batch size
 */
abstract class AbstractEncoder<W extends AbstractEncoder.Workspace> implements InterestEncoder {

    /** Work buffers sized for one batch size. */
    interface Workspace {
        int batch();

        /** The workspace's mask index for rows grouped by user or by position, made on first use. */
        MaskIndex maskIndex(boolean byUser);
    }

    protected final EncoderConfig config;
    private final List<Param> params;
    private final AtomicReference<W> spare = new AtomicReference<>();

    AbstractEncoder(EncoderConfig config, List<Param> params) {
        this.config = config;
        this.params = List.copyOf(params);
    }

    /** The configuration this encoder was built from. */
    public EncoderConfig config() {
        return config;
    }

    @Override
    public int dim() {
        return config.dim();
    }

    @Override
    public int numInterests() {
        return config.numInterests();
    }

    @Override
    public int maxLen() {
        return config.maxLen();
    }

    @Override
    public List<Param> parameters() {
        return params;
    }

    /** Creates work buffers for {@code batch} users. */
    abstract W newWorkspace(int batch);

    /** A workspace for this batch size: the released one if it fits, else a new one. */
    final W acquire(int batch) {
        W w = spare.getAndSet(null);
        return w != null && w.batch() == batch ? w : newWorkspace(batch);
    }

    /**
     * Reads {@code mask} into the workspace's index (no allocation after the first pass); a rejected mask
     * leaves the workspace spare for the next pass.
     */
    final MaskIndex readMask(W w, INDArray mask, boolean byUser) {
        try {
            return w.maskIndex(byUser).read(mask);
        } catch (RuntimeException e) {
            giveBack(w);
            throw e;
        }
    }

    /** Offers a workspace back for reuse by a later pass. */
    final void giveBack(W w) {
        spare.set(w);
    }

    /** Checks x against the configuration and returns its batch size. */
    final int checkX(INDArray x) {
        if (x.dataType() != config.dataType()) {
            throw new IllegalArgumentException("x must be " + config.dataType() + " like the encoder, got "
                    + x.dataType());
        }
        if (x.rank() != 3 || x.size(1) != config.maxLen() || x.size(2) != config.dim() || x.size(0) < 1) {
            throw new IllegalArgumentException("x must have shape [B, " + config.maxLen() + ", " + config.dim()
                    + "] with B >= 1, got " + Arrays.toString(x.shape()));
        }
        long cells = x.size(0) * config.maxLen() * (long) Math.max(config.hidden(), config.numInterests() * config.dim());
        if (cells > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch too large: " + x.size(0));
        }
        return (int) x.size(0);
    }

    /** Checks a backward input of shape [B, K, d] and the encoder's type. */
    final Buf checkGrad(INDArray dInterests, int batch) {
        if (dInterests.dataType() != config.dataType()) {
            throw new IllegalArgumentException("dInterests must be " + config.dataType() + ", got "
                    + dInterests.dataType());
        }
        if (dInterests.rank() != 3 || dInterests.size(0) != batch || dInterests.size(1) != config.numInterests()
                || dInterests.size(2) != config.dim()) {
            throw new IllegalArgumentException("dInterests must have shape [" + batch + ", " + config.numInterests()
                    + ", " + config.dim() + "], got " + Arrays.toString(dInterests.shape()));
        }
        return Buf.ofCopyIfNeeded(dInterests);
    }

    /** A new zero parameter and gradient pair. */
    static Param param(String name, EncoderConfig cfg, long... shape) {
        return new Param(name, Nd4j.create(cfg.dataType(), shape, 'c'), Nd4j.create(cfg.dataType(), shape, 'c'));
    }

    /** Number of user blocks for a batch: one per thread, at least 8 users each. */
    static int blocks(int batch) {
        return Math.max(1, Math.min(dev.eimf.internal.tensor.Parallel.threads(), batch / 8));
    }

    /** The body of {@link #forEachUserBlock}: block {@code blk} holds users {@code [u0, u1)}. */
    @FunctionalInterface
    interface UserBlock {
        void run(int blk, int u0, int u1);
    }

    /**
     * One parallel region over the batch cut into {@code blocks} blocks of consecutive users; the cut
     * depends only on the batch size and the block count, so per-block results can be combined in block
     * order deterministically.
     */
    static void forEachUserBlock(int batch, int blocks, UserBlock body) {
        dev.eimf.internal.tensor.Parallel.forRange(blocks, 1, (s0, s1) -> {
            for (int blk = s0; blk < s1; blk++) {
                body.run(blk, batch * blk / blocks, batch * (blk + 1) / blocks);
            }
        });
    }

    /** Copies the packed rows' inputs: {@code dst[r] = x[srcOf[r]]} for d-long rows. */
    static void gatherRows(Buf x, MaskIndex idx, int d, Buf dst) {
        gatherRows(x, idx, d, dst, 0, idx.rows);
    }

    /** {@link #gatherRows(Buf, MaskIndex, int, Buf)} for rows {@code [r0, r1)}, one copy per run of consecutive positions. */
    static void gatherRows(Buf x, MaskIndex idx, int d, Buf dst, int r0, int r1) {
        for (int r = r0, e; r < r1; r = e) {
            e = idx.runEnd(r, r1);
            Buf.copy(x, idx.srcOf[r] * d, dst, r * d, (e - r) * d);
        }
    }

    /**
     * The reverse of {@link #gatherRows(Buf, MaskIndex, int, Buf, int, int)}: {@code dx[srcOf[r]] = rows[r]}
     * for rows {@code [r0, r1)}; positions without a row are left as they are.
     */
    static void scatterRows(Buf rows, MaskIndex idx, int d, Buf dx, int r0, int r1) {
        for (int r = r0, e; r < r1; r = e) {
            e = idx.runEnd(r, r1);
            Buf.copy(rows, r * d, dx, idx.srcOf[r] * d, (e - r) * d);
        }
    }

    /** State shared by a pass: guards against use after release. */
    abstract static class BasePass<W extends Workspace> implements InterestEncoder.Pass {
        private final AbstractEncoder<W> owner;
        protected W ws;

        BasePass(AbstractEncoder<W> owner, W ws) {
            this.owner = owner;
            this.ws = ws;
        }

        final W ws() {
            if (ws == null) {
                throw new IllegalStateException("pass already released");
            }
            return ws;
        }

        @Override
        public void release() {
            if (ws != null) {
                owner.giveBack(ws);
                ws = null;
            }
        }
    }
}
