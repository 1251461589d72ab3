package dev.eimf.internal.ibim;

import dev.eimf.internal.tensor.Buf;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The real (non-padded) positions of a batch, packed into consecutive rows so that encoders compute
 * nothing for padding. Rows are grouped either by user (rows of user b are consecutive, in position
 * order) or by position (rows at position t are consecutive, in user order).
 */
final class MaskIndex {

    final int batch;
    final int maxLen;
    final boolean byUser;
    /** [B*T]: packed row of position (b, t), or -1 for padding. */
    final int[] rowOf;
    /** [B*T], of which the first {@link #rows} are used: flat position b*T+t of each row. */
    final int[] srcOf;
    /** [groups+1]: first row of each group (user or position) and the total at the end. */
    final int[] groupStart;
    /** Rows (real positions) of the mask last read. */
    int rows;
    private final double[] values;

    /**
     * An index for masks of this shape, to be filled by {@link #read}; encoders keep one per workspace.
     *
     * @param byUser group rows by user (true) or by position (false)
     */
    MaskIndex(int batch, int maxLen, boolean byUser) {
        this.batch = batch;
        this.maxLen = maxLen;
        this.byUser = byUser;
        rowOf = new int[batch * maxLen];
        srcOf = new int[batch * maxLen];
        groupStart = new int[(byUser ? batch : maxLen) + 1];
        values = new double[batch * maxLen];
    }

    /** {@code current} if it fits masks of this shape and grouping, else a new index for them. */
    static MaskIndex reuse(MaskIndex current, int batch, int maxLen, boolean byUser) {
        return current != null && current.batch == batch && current.maxLen == maxLen && current.byUser == byUser
                ? current : new MaskIndex(batch, maxLen, byUser);
    }

    /**
     * Reads a [B, T] mask of 0 (padding) and 1 (real position) into this index (replacing what it held),
     * without allocating.
     *
     * @return this index
     * @throws IllegalArgumentException for a wrong shape or a value other than 0 or 1
     */
    MaskIndex read(INDArray mask) {
        if (mask.rank() != 2 || mask.size(0) != batch || mask.size(1) != maxLen) {
            throw new IllegalArgumentException("mask must have shape [" + batch + ", " + maxLen + "], got "
                    + java.util.Arrays.toString(mask.shape()));
        }
        INDArray m = mask.dataType() == DataType.FLOAT || mask.dataType() == DataType.DOUBLE
                ? mask : mask.castTo(DataType.DOUBLE);
        Buf mb = Buf.ofCopyIfNeeded(m);
        // one bulk read: an element accessor per position made this loop a tenth of a step's serial time
        mb.get(0, values, 0, values.length);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != 1.0 && v != 0.0) {
                throw new IllegalArgumentException("mask[" + (i / maxLen) + ", " + (i % maxLen)
                        + "] must be 0 or 1, got " + v);
            }
        }
        int groups = byUser ? batch : maxLen;
        int inner = byUser ? maxLen : batch;
        int r = 0;
        for (int g = 0; g < groups; g++) {
            groupStart[g] = r;
            for (int j = 0; j < inner; j++) {
                int flat = byUser ? g * maxLen + j : j * maxLen + g;
                if (values[flat] == 1.0) {
                    rowOf[flat] = r;
                    srcOf[r++] = flat;
                } else {
                    rowOf[flat] = -1;
                }
            }
        }
        groupStart[groups] = r;
        rows = r;
        return this;
    }

    /** Number of rows in group g. */
    int groupSize(int g) {
        return groupStart[g + 1] - groupStart[g];
    }

    /**
     * End (exclusive) of the run of rows from {@code r} (below {@code end}) whose positions are
     * consecutive within one user, so that rows {@code r..} map to positions {@code srcOf[r]..} and
     * can be moved with one bulk copy.
     */
    int runEnd(int r, int end) {
        int e = r + 1;
        while (e < end && srcOf[e] == srcOf[e - 1] + 1 && srcOf[e] % maxLen != 0) {
            e++;
        }
        return e;
    }
}
