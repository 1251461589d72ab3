package dev.eimf.train;

import org.nd4j.linalg.api.buffer.DataBuffer;
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

    private final AdamConfig config;
    private final Mode mode;
    private final INDArray table;
    private final INDArray m;
    private final INDArray v;
    private final int dim;

    /**
     * @param config hyper-parameters
     * @param mode   lazy or dense
     * @param table  the item table [n+1, d], updated in place; must be a contiguous c-order array
     */
    public TableAdam(AdamConfig config, Mode mode, INDArray table) {
        if (table.rank() != 2 || table.ordering() != 'c' || table.isView()) {
            throw new IllegalArgumentException("table must be a contiguous c-order [rows, d] array");
        }
        this.config = config;
        this.mode = mode;
        this.table = table;
        this.m = Nd4j.create(table.dataType(), table.shape());
        this.v = Nd4j.create(table.dataType(), table.shape());
        this.dim = (int) table.size(1);
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
        DataBuffer w = table.data();
        DataBuffer mb = m.data();
        DataBuffer vb = v.data();
        if (mode == Mode.LAZY) {
            for (int i = 0; i < grad.size(); i++) {
                long base = (long) grad.rowAt(i) * dim;
                for (int c = 0; c < dim; c++) {
                    double g = grad.valueAt(i, c);
                    long at = base + c;
                    double mi = b1 * mb.getDouble(at) + (1 - b1) * g;
                    double vi = b2 * vb.getDouble(at) + (1 - b2) * g * g;
                    mb.put(at, mi);
                    vb.put(at, vi);
                    w.put(at, w.getDouble(at) - lrT * mi / (Math.sqrt(vi) + eps));
                }
            }
        } else {
            m.muli(b1);
            v.muli(b2);
            for (int i = 0; i < grad.size(); i++) {
                long base = (long) grad.rowAt(i) * dim;
                for (int c = 0; c < dim; c++) {
                    double g = grad.valueAt(i, c);
                    long at = base + c;
                    mb.put(at, mb.getDouble(at) + (1 - b1) * g);
                    vb.put(at, vb.getDouble(at) + (1 - b2) * g * g);
                }
            }
            INDArray denom = Transforms.sqrt(v, true).addi(eps);
            table.subi(m.mul(lrT).divi(denom));
        }
    }
}
