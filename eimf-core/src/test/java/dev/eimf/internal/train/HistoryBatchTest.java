package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link HistoryBatch}'s layout and its gather into new and given buffers. */
class HistoryBatchTest {

    private static final int D = 3;

    /** Row i of the table holds i, 10 i, 100 i; row 0 (padding) stays zero. */
    private static INDArray table(int rows) {
        INDArray t = Nd4j.create(DataType.FLOAT, rows, D);
        for (int i = 1; i < rows; i++) {
            t.putScalar(new long[] {i, 0}, i);
            t.putScalar(new long[] {i, 1}, 10 * i);
            t.putScalar(new long[] {i, 2}, 100 * i);
        }
        return t;
    }

    @Test
    void keepsTheLastItemsLeftAlignedWithAMask() {
        HistoryBatch hb = HistoryBatch.of(new int[][] {{1, 2, 3, 4}, {5}}, 3);
        assertArrayEquals(new int[] {2, 3, 4, 5, 0, 0}, hb.ids());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0}, hb.mask());
    }

    @Test
    void gathersIntoANewOrAGivenBuffer() {
        HistoryBatch hb = HistoryBatch.of(new int[][] {{1, 2, 3, 4}, {5}}, 3);
        INDArray table = table(6);
        INDArray fresh = hb.gather(table, null);
        assertArrayEquals(new long[] {2, 3, D}, fresh.shape());
        INDArray given = Nd4j.create(DataType.FLOAT, 2, 3, D);
        assertSame(given, hb.gather(table, given), "a [B, T, d] buffer is returned as it is");
        INDArray flat = Nd4j.create(DataType.FLOAT, 6, D);
        INDArray viewed = hb.gather(table, flat);
        assertArrayEquals(new long[] {2, 3, D}, viewed.shape());
        for (INDArray x : new INDArray[] {fresh, given, viewed}) {
            assertEquals(400f, x.getFloat(0, 2, 2), "user 0, position 2 is item 4 (the last of its history)");
            assertEquals(50f, x.getFloat(1, 0, 1), "user 1, position 0 is item 5");
            assertEquals(0f, x.getFloat(1, 2, 0), "padding takes row 0");
        }
    }

    @Test
    void rejectsABufferOfTheWrongSizeOrType() {
        HistoryBatch hb = HistoryBatch.of(new int[][] {{1, 2}}, 2);
        INDArray table = table(3);
        assertThrows(IllegalArgumentException.class, () -> hb.gather(table, Nd4j.create(DataType.FLOAT, 1, 3, D)));
        assertThrows(IllegalArgumentException.class, () -> hb.gather(table, Nd4j.create(DataType.DOUBLE, 1, 2, D)));
    }
}
