package dev.eimf.internal.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Histories laid out for an encoder as ComiRec does: the last (up to) T items, left-aligned and
 * zero-padded, with a 1/0 mask.
 *
 * @param ids  item ids, row-major [B, T], 0 = padding
 * @param mask 1 for real positions, row-major [B, T]
 * @param size B
 * @param maxLen T
 */
public record HistoryBatch(int[] ids, float[] mask, int size, int maxLen) {

    /** Lays out {@code histories[i]} (oldest first; only the last T items are kept). */
    public static HistoryBatch of(int[][] histories, int maxLen) {
        int b = histories.length;
        int[] ids = new int[b * maxLen];
        float[] mask = new float[b * maxLen];
        for (int i = 0; i < b; i++) {
            fill(ids, mask, i, maxLen, histories[i], histories[i].length);
        }
        return new HistoryBatch(ids, mask, b, maxLen);
    }

    /**
     * Writes row {@code row}: the up-to-{@code maxLen} items of {@code seq} before position {@code end}.
     */
    static void fill(int[] ids, float[] mask, int row, int maxLen, int[] seq, int end) {
        int start = Math.max(0, end - maxLen);
        int base = row * maxLen;
        int n = end - start;
        for (int t = 0; t < maxLen; t++) {
            if (t < n) {
                ids[base + t] = seq[start + t];
                mask[base + t] = 1f;
            } else {
                ids[base + t] = 0;
                mask[base + t] = 0f;
            }
        }
    }

    /** The mask as a [B, T] array of the given type. */
    public INDArray maskArray(DataType type) {
        return Nd4j.createFromArray(mask).reshape(size, maxLen).castTo(type);
    }

    /** Writes the mask into a [B, T] buffer (FLOAT or DOUBLE). */
    public void maskInto(dev.eimf.internal.tensor.Buf dest) {
        if (dest.length() != mask.length) {
            throw new IllegalArgumentException("mask buffer holds " + dest.length() + " elements, expected "
                    + mask.length);
        }
        if (dest instanceof dev.eimf.internal.tensor.Buf.F f) {
            f.set(0, mask, 0, mask.length);
        } else {
            for (int i = 0; i < mask.length; i++) {
                dest.set(i, mask[i]);
            }
        }
    }

    /**
     * Gathers the item rows into {@code [B, T, d]} (padding takes table row 0, which stays zero).
     *
     * @param table the item table [n+1, d]
     * @param dest  a contiguous c-order buffer of the table's type with B*T*d elements ([B*T, d] or
     *              [B, T, d]), or null to allocate
     * @return the gathered rows viewed as [B, T, d]
     */
    public INDArray gather(INDArray table, INDArray dest) {
        int d = (int) table.size(1);
        INDArray out = dest != null ? dest : Nd4j.create(table.dataType(), (long) size * maxLen, d);
        if (out.dataType() != table.dataType() || out.length() != (long) size * maxLen * d) {
            throw new IllegalArgumentException("gather buffer must be " + table.dataType() + " [" + (size * maxLen)
                    + ", " + d + "], got " + out.dataType() + " " + java.util.Arrays.toString(out.shape()));
        }
        // Plain memory copies rather than an ND4J op: ND4J ops wake OpenMP threads that then spin and
        // compete with BLAS for the cores.
        dev.eimf.internal.tensor.Buf src = dev.eimf.internal.tensor.Buf.of(table);
        dev.eimf.internal.tensor.Buf dst = dev.eimf.internal.tensor.Buf.of(out);
        for (int i = 0; i < ids.length; i++) {
            dev.eimf.internal.tensor.Buf.copy(src, ids[i] * d, dst, i * d, d);
        }
        // Already [B, T, d] (the trainer's buffer): no reshape, which is costly in ND4J and whose C2
        // compilation took over a second of a core during a training run.
        if (out.rank() == 3 && out.size(0) == size && out.size(1) == maxLen) {
            return out;
        }
        return out.reshape(size, maxLen, d);
    }
}
