package dev.eimf.internal.train;

import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.ThreadScratch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam for the item table from a sparse {@link TableGradient}.
 *
 * <p>{@link Mode#LAZY} (default): only the rows with a gradient in this step update their moments and
 * weights, bias-corrected with the global step (like {@code LazyAdamOptimizer}); cost is proportional
 * to the touched rows. {@link Mode#DENSE}: what TensorFlow's plain {@code AdamOptimizer} (used by the
 * ComiRec code) does with sparse gradients: every row's moments decay and every row moves; cost is
 * proportional to the whole table.
 */
public final class TableAdam {
    /** How rows without a gradient in this step are treated. */
    public enum Mode {
        /** Untouched rows keep their moments and weights. */
        LAZY,
        /** Every row decays its moments and takes a step (TensorFlow {@code AdamOptimizer}). */
        DENSE
    }

    /** Rows updated together in the FLOAT lazy path. */
    private static final int ROW_GROUP = 16;

    /** Per thread: a row group's table, m, v and gradient values, reused from step to step. */
    private static final ThreadScratch.Floats GROUP_SCRATCH = new ThreadScratch.Floats(4);

    private final AdamConfig config;
    private final Mode mode;
    private final INDArray table;
    private final INDArray m;
    private final INDArray v;
    private final int dim;
    private final double[] wr;
    private final double[] mr;
    private final double[] vr;

    /**
     * @param config hyper-parameters
     * @param mode   lazy or dense
     * @param table  the item table [n+1, d], updated in place; must be a contiguous c-order array
     */
    public TableAdam(AdamConfig config, Mode mode, INDArray table) {
        if (table.rank() != 2 || !Buf.isDirectlyAccessible(table) || table.isView()) {
            throw new IllegalArgumentException("table must be a contiguous c-order [rows, d] array");
        }
        this.config = config;
        this.mode = mode;
        this.table = table;
        this.m = Nd4j.create(table.dataType(), table.shape());
        this.v = Nd4j.create(table.dataType(), table.shape());
        this.dim = (int) table.size(1);
        this.wr = new double[dim];
        this.mr = new double[dim];
        this.vr = new double[dim];
    }

    /** First moments [n+1, d] (live; for checkpoints). */
    INDArray firstMoment() {
        return m;
    }

    /** Second moments [n+1, d] (live; for checkpoints). */
    INDArray secondMoment() {
        return v;
    }

    /** The table this optimiser updates. */
    public INDArray table() {
        return table;
    }

    /**
     * One update.
     *
     * @param t    the global 1-based step count
     * @param grad the sparse gradient of this step (distinct rows)
     */
    public void step(long t, TableGradient grad) {
        if (grad.dim() != dim) {
            throw new IllegalArgumentException("gradient width " + grad.dim() + " != table width " + dim);
        }
        double lrT = config.stepSize(t);
        double b1 = config.beta1();
        double b2 = config.beta2();
        double eps = config.epsilon();
        Buf w = Buf.of(table);
        Buf mb = Buf.of(m);
        Buf vb = Buf.of(v);
        if (mode == Mode.LAZY) {
            // Touched rows are distinct, so threads never share a row.
            if (w instanceof Buf.F) {
                final float fb1 = (float) b1, fb2 = (float) b2, fc1 = (float) (1 - b1), fc2 = (float) (1 - b2);
                final float flr = (float) lrT, feps = (float) eps;
                Parallel.forRange(grad.size(), 256, (from, to) -> {
                    // Rows in groups: C2's vector loops cost a fixed ~25 ns each, a lot against 64 elements,
                    // so the arithmetic runs over a group's rows at once rather than row by row.
                    FloatRows rows = new FloatRows(((Buf.F) w).nio(), ((Buf.F) mb).nio(), ((Buf.F) vb).nio(), grad, dim,
                            fb1, fb2, fc1, fc2, flr, feps);
                    for (int i0 = from; i0 < to; i0 += ROW_GROUP) {
                        rows.update(i0, Math.min(ROW_GROUP, to - i0));
                    }
                    java.lang.ref.Reference.reachabilityFence(w);
                    java.lang.ref.Reference.reachabilityFence(mb);
                    java.lang.ref.Reference.reachabilityFence(vb);
                });
            } else {
                Parallel.forRange(grad.size(), 256, (from, to) -> {
                    double[] wr = new double[dim];
                    double[] mr = new double[dim];
                    double[] vr = new double[dim];
                    float[] tmp = new float[dim];
                    double[] g = grad.rawValues();
                    for (int i = from; i < to; i++) {
                        int base = grad.rowAt(i) * dim;
                        read(w, base, wr, tmp);
                        read(mb, base, mr, tmp);
                        read(vb, base, vr, tmp);
                        int go = i * dim;
                        for (int c = 0; c < dim; c++) {
                            double gc = g[go + c];
                            double mi = b1 * mr[c] + (1 - b1) * gc;
                            double vi = b2 * vr[c] + (1 - b2) * gc * gc;
                            mr[c] = mi;
                            vr[c] = vi;
                            wr[c] -= lrT * mi / (Math.sqrt(vi) + eps);
                        }
                        write(w, base, wr, tmp);
                        write(mb, base, mr, tmp);
                        write(vb, base, vr, tmp);
                    }
                });
            }
        } else {
            m.muli(b1);
            v.muli(b2);
            for (int i = 0; i < grad.size(); i++) {
                int base = grad.rowAt(i) * dim;
                mb.get(base, mr, 0, dim);
                vb.get(base, vr, 0, dim);
                for (int c = 0; c < dim; c++) {
                    double g = grad.valueAt(i, c);
                    mr[c] += (1 - b1) * g;
                    vr[c] += (1 - b2) * g * g;
                }
                mb.set(base, mr, 0, dim);
                vb.set(base, vr, 0, dim);
            }
            INDArray denom = Transforms.sqrt(v, true).addi(eps);
            table.subi(m.mul(lrT).divi(denom));
        }
    }

    /** Thread-safe row read (the NIO buffers' absolute bulk operations keep no position). */
    private static void read(Buf b, int off, double[] dst, float[] tmp) {
        int n = dst.length;
        if (b instanceof Buf.F f) {
            f.nio().get(off, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                dst[i] = tmp[i];
            }
        } else {
            ((Buf.D) b).nio().get(off, dst, 0, n);
        }
    }

    private static void write(Buf b, int off, double[] src, float[] tmp) {
        int n = src.length;
        if (b instanceof Buf.F f) {
            for (int i = 0; i < n; i++) {
                tmp[i] = (float) src[i];
            }
            f.nio().put(off, tmp, 0, n);
        } else {
            ((Buf.D) b).nio().put(off, src, 0, n);
        }
    }

    /**
     * One thread's float lazy update: the native buffers, heap rows for a group, the constants. A group
     * is one call of {@link #update}, so that the JIT compiles it whole after a few groups instead of
     * replacing the thread's loop on the stack.
     */
    private static final class FloatRows {
        final java.nio.FloatBuffer wn;
        final java.nio.FloatBuffer mn;
        final java.nio.FloatBuffer vn;
        final TableGradient grad;
        final double[] g;
        final int dim;
        final float fb1;
        final float fb2;
        final float fc1;
        final float fc2;
        final float flr;
        final float feps;
        final float[] wf;
        final float[] mf;
        final float[] vf;
        final float[] gf;

        FloatRows(java.nio.FloatBuffer wn, java.nio.FloatBuffer mn, java.nio.FloatBuffer vn, TableGradient grad, int dim,
                  float fb1, float fb2, float fc1, float fc2, float flr, float feps) {
            this.wn = wn;
            this.mn = mn;
            this.vn = vn;
            this.grad = grad;
            this.g = grad.rawValues();
            this.dim = dim;
            this.fb1 = fb1;
            this.fb2 = fb2;
            this.fc1 = fc1;
            this.fc2 = fc2;
            this.flr = flr;
            this.feps = feps;
            wf = GROUP_SCRATCH.get(0, ROW_GROUP * dim);
            mf = GROUP_SCRATCH.get(1, ROW_GROUP * dim);
            vf = GROUP_SCRATCH.get(2, ROW_GROUP * dim);
            gf = GROUP_SCRATCH.get(3, ROW_GROUP * dim);
        }

        /** Updates the touched rows {@code [i0, i0 + rows)} (slots of the gradient). */
        void update(int i0, int rows) {
            for (int k = 0; k < rows; k++) {
                int base = grad.rowAt(i0 + k) * dim;
                wn.get(base, wf, k * dim, dim);
                mn.get(base, mf, k * dim, dim);
                vn.get(base, vf, k * dim, dim);
            }
            // the gradient's rows are consecutive slots
            updateFloat(g, i0 * dim, gf, wf, mf, vf, rows * dim, fb1, fb2, fc1, fc2, flr, feps);
            for (int k = 0; k < rows; k++) {
                int base = grad.rowAt(i0 + k) * dim;
                wn.put(base, wf, k * dim, dim);
                mn.put(base, mf, k * dim, dim);
                vn.put(base, vf, k * dim, dim);
            }
        }
    }

    /**
     * Float Adam on {@code len} elements of a group of rows, the gradient read from {@code g[go..]}:
     * float arithmetic, as TensorFlow's Adam on float variables, with one store per loop so that C2
     * vectorises each. A method of its own, called once per group, so that the JIT compiles it whole
     * after a few calls instead of replacing the whole loop on the stack.
     */
    private static void updateFloat(double[] g, int go, float[] gf, float[] wf, float[] mf, float[] vf, int len,
                                    float fb1, float fb2, float fc1, float fc2, float flr, float feps) {
        for (int c = 0; c < len; c++) {
            gf[c] = (float) g[go + c];
        }
        for (int c = 0; c < len; c++) {
            mf[c] = fb1 * mf[c] + fc1 * gf[c];
        }
        for (int c = 0; c < len; c++) {
            vf[c] = fb2 * vf[c] + fc2 * gf[c] * gf[c];
        }
        for (int c = 0; c < len; c++) {
            wf[c] -= flr * mf[c] / ((float) Math.sqrt(vf[c]) + feps);
        }
    }
}
