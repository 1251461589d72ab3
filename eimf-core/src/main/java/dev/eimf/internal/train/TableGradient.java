package dev.eimf.internal.train;

import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.ThreadScratch;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sparse gradient of the item table: the rows touched in one step and their summed gradients.
 * Duplicate row ids are summed on insertion, so {@link #rows()} are distinct (in first-touch order).
 * Accumulates in double precision; reusable across steps via {@link #clear()}.
 */
public final class TableGradient {
    private final int tableSize;
    private final int dim;
    private final int[] slotOf;
    private int[] rows;
    private double[] values;
    private int size;
    private final double[] row;
    /** Slots of the rows of the current {@link #addDistinctRows} call (kept between calls). */
    private int[] slotScratch = new int[0];
    /** {@link #scatterHistories} scratch: real positions, their slots, slot starts, positions by slot. */
    private int[] posScratch = new int[0];
    private int[] posSlot = new int[0];
    private int[] slotStart = new int[0];
    private int[] byslot = new int[0];
    private int[] slotFill = new int[0];
    /** Per thread: a row as double and as float, for the additions of the parallel loops. */
    private static final ThreadScratch.Doubles ROW = new ThreadScratch.Doubles(1);
    private static final ThreadScratch.Floats ROW_F = new ThreadScratch.Floats(1);
    /** Fewer real positions than this are scattered on the calling thread (measured: parallel loses on Beauty's ~730). */
    private static final int PARALLEL_SCATTER_MIN = 1500;

    /**
     * @param tableSize number of table rows (items + 1)
     * @param dim       row width d
     */
    public TableGradient(int tableSize, int dim) {
        if (tableSize < 1 || dim < 1) {
            throw new IllegalArgumentException("tableSize and dim must be positive: " + tableSize + ", " + dim);
        }
        this.tableSize = tableSize;
        this.dim = dim;
        this.slotOf = new int[tableSize];
        Arrays.fill(slotOf, -1);
        this.rows = new int[64];
        this.values = new double[64 * dim];
        this.row = new double[dim];
    }

    /** Row width d. */
    public int dim() {
        return dim;
    }

    /** Number of table rows. */
    public int tableSize() {
        return tableSize;
    }

    /** Number of distinct rows with a gradient. */
    public int size() {
        return size;
    }

    /** Distinct row ids, in first-touch order (a copy). */
    public int[] rows() {
        return Arrays.copyOf(rows, size);
    }

    /** Row id of slot {@code i} (0 ≤ i &lt; size). */
    public int rowAt(int i) {
        return rows[i];
    }

    /** Gradient element {@code c} of slot {@code i}. */
    public double valueAt(int i, int c) {
        return values[i * dim + c];
    }

    /** The backing values, slot-major [size, d] (live; only the first {@code size * d} are meaningful). */
    double[] rawValues() {
        return values;
    }

    /** The gradient of one table row (zeros when the row was not touched). */
    public double[] gradientOf(int row) {
        double[] out = new double[dim];
        int s = slotOf[row];
        if (s >= 0) {
            System.arraycopy(values, s * dim, out, 0, dim);
        }
        return out;
    }

    /** Forgets all rows. */
    public void clear() {
        for (int i = 0; i < size; i++) {
            slotOf[rows[i]] = -1;
        }
        final double[] vals = values;
        dev.eimf.internal.tensor.Parallel.forRange(size, 256, (from, to) -> Arrays.fill(vals, from * dim, to * dim, 0.0));
        size = 0;
    }

    /** Adds {@code scale * src[offset .. offset+d)} to row {@code row}. */
    public void add(int row, double[] src, int offset, double scale) {
        int base = slot(row) * dim;
        for (int c = 0; c < dim; c++) {
            values[base + c] += scale * src[offset + c];
        }
    }

    /**
     * Adds one gradient row per id (duplicates summed).
     *
     * @param ids   row ids
     * @param grads gradients [ids.length, d]
     */
    public void addRows(int[] ids, INDArray grads) {
        if (grads.rank() != 2 || grads.size(0) != ids.length || grads.size(1) != dim) {
            throw new IllegalArgumentException("grads must be [" + ids.length + ", " + dim + "], got "
                    + Arrays.toString(grads.shape()));
        }
        addRows(ids, Buf.ofCopyIfNeeded(grads));
    }

    /** Adds row {@code i} of {@code grads} (rows of width d) to table row {@code ids[i]}. */
    void addRows(int[] ids, Buf grads) {
        for (int i = 0; i < ids.length; i++) {
            grads.get(i * dim, row, 0, dim);
            add(ids[i], row, 0, 1.0);
        }
    }

    /**
     * As {@link #addRows(int[], Buf)} for distinct ids, the additions split across threads: slots are
     * assigned first (in id order, as the serial form would), then each thread adds a block of rows,
     * each to its own slot, so the result is the same for any thread count.
     *
     * @throws IllegalArgumentException when an id repeats
     */
    void addDistinctRows(int[] ids, Buf grads) {
        if (slotScratch.length < ids.length) {
            slotScratch = new int[ids.length];
        }
        final int[] slots = slotScratch;
        int start = size;
        for (int i = 0; i < ids.length; i++) {
            int before = size;
            int sl = slot(ids[i]);
            slots[i] = sl;
            if (sl >= start && sl < before) { // a slot made earlier in this call
                throw new IllegalArgumentException("id " + ids[i] + " repeats");
            }
        }
        final double[] vals = values;
        dev.eimf.internal.tensor.Parallel.forRange(ids.length, 128, (from, to) -> {
            double[] r = ROW.get(0, dim);
            float[] rf = ROW_F.get(0, dim);
            for (int i = from; i < to; i++) {
                addRow(grads, i * dim, vals, slots[i] * dim, r, rf);
            }
        });
    }

    /**
     * Scatter-adds the encoder's input gradient back into the table: position {@code (b, t)} of
     * {@code dX} goes to row {@code ids[b * T + t]}; padding (id 0) is skipped, duplicates are summed.
     *
     * @param ids history ids, row-major [B, T], 0 = padding
     * @param dX  gradient with respect to the gathered histories [B, T, d]
     */
    public void scatterHistories(int[] ids, INDArray dX) {
        if (dX.rank() != 3 || dX.size(0) * dX.size(1) != ids.length || dX.size(2) != dim) {
            throw new IllegalArgumentException("dX must be [B, T, " + dim + "] with B*T = " + ids.length
                    + ", got " + Arrays.toString(dX.shape()));
        }
        Buf g = Buf.ofCopyIfNeeded(dX);
        // Slots first, in position order (as one position at a time would assign them); then the
        // positions grouped by slot, and each slot's rows added in position order by the thread that owns
        // the slot: the same additions in the same order as the serial form, for any thread count.
        if (posScratch.length < ids.length) {
            posScratch = new int[ids.length];
            posSlot = new int[ids.length];
        }
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0) {
                posSlot[n] = slot(ids[i]);
                posScratch[n++] = i;
            }
        }
        final double[] vals = values;
        if (n < PARALLEL_SCATTER_MIN) {
            // few rows (Amazon Beauty's short histories): grouping them costs more than a second thread saves
            float[] rf = new float[dim];
            for (int q = 0; q < n; q++) {
                addRow(g, posScratch[q] * dim, vals, posSlot[q] * dim, row, rf);
            }
            return;
        }
        final int slots = size;
        if (slotStart.length < slots + 1) {
            slotStart = new int[Math.max(slots + 1, 2 * slotStart.length)];
        }
        final int[] start = slotStart;
        Arrays.fill(start, 0, slots + 1, 0);
        for (int q = 0; q < n; q++) {
            start[posSlot[q] + 1]++;
        }
        for (int q = 0; q < slots; q++) {
            start[q + 1] += start[q];
        }
        if (byslot.length < n) {
            byslot = new int[ids.length];
        }
        final int[] grouped = byslot;
        if (slotFill.length < slots) {
            slotFill = new int[Math.max(slots, 2 * slotFill.length)];
        }
        final int[] fill = slotFill;
        System.arraycopy(start, 0, fill, 0, slots);
        for (int q = 0; q < n; q++) {
            grouped[fill[posSlot[q]]++] = posScratch[q];
        }
        dev.eimf.internal.tensor.Parallel.forRange(slots, 64, (from, to) -> {
            double[] r = ROW.get(0, dim);
            float[] rf = ROW_F.get(0, dim);
            for (int sl = from; sl < to; sl++) {
                for (int q = start[sl]; q < start[sl + 1]; q++) {
                    addRow(g, grouped[q] * dim, vals, sl * dim, r, rf);
                }
            }
        });
    }

    /** {@code vals[base..base+d) += src[off..off+d)}; FLOAT rows widened inside the addition (one short loop, not two). */
    private void addRow(Buf src, int off, double[] vals, int base, double[] r, float[] rf) {
        if (src instanceof Buf.F sf) {
            sf.get(off, rf, 0, dim);
            for (int c = 0; c < dim; c++) {
                vals[base + c] += rf[c];
            }
        } else {
            src.get(off, r, 0, dim);
            for (int c = 0; c < dim; c++) {
                vals[base + c] += r[c];
            }
        }
    }

    /** The gradients as a dense [size, d] array of the given type, rows in {@link #rows()} order. */
    public INDArray values(DataType type) {
        return Nd4j.createFromArray(Arrays.copyOf(values, size * dim)).reshape(size, dim).castTo(type);
    }

    /** Sum of squared gradient elements (for global-norm clipping). */
    public double sumOfSquares() {
        double s = 0;
        for (int i = 0; i < size * dim; i++) {
            s += values[i] * values[i];
        }
        return s;
    }

    /** Multiplies every gradient element by {@code factor}. */
    public void scale(double factor) {
        for (int i = 0; i < size * dim; i++) {
            values[i] *= factor;
        }
    }

    private int slot(int row) {
        if (row < 0 || row >= tableSize) {
            throw new IndexOutOfBoundsException("table row " + row + " not in 0.." + (tableSize - 1));
        }
        int s = slotOf[row];
        if (s < 0) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                values = Arrays.copyOf(values, size * 2 * dim);
            }
            s = size++;
            rows[s] = row;
            slotOf[row] = s;
        }
        return s;
    }
}
