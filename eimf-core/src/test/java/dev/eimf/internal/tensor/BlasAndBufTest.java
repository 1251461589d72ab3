package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BlasAndBufTest {

    @Test
    void toFloatRowsMatchesNd4jForFloatDoubleAndViews() {
        INDArray d = Nd4j.rand(DataType.DOUBLE, 7, 5);
        for (INDArray a : new INDArray[] {d, d.castTo(DataType.FLOAT), d.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()),
            d.castTo(DataType.FLOAT).transpose()}) {
            float[][] want = a.castTo(DataType.FLOAT).toFloatMatrix();
            float[][] got = Buf.toFloatRows(a);
            assertEquals(want.length, got.length);
            for (int r = 0; r < want.length; r++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(want[r], got[r], 0f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Buf.toFloatRows(Nd4j.zeros(DataType.FLOAT, 2, 2, 2)));
    }

    @Test
    void bufSeesViewsFromTheirOwnOffset() {
        INDArray a = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape(4, 6);
        Buf row = Buf.of(a.getRow(2));
        assertEquals(6, row.length());
        assertEquals(12.0, row.get(0));
        row.set(1, -1);
        assertEquals(-1.0, a.getDouble(2, 1));
        Buf rows = Buf.of(a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()));
        assertEquals(6.0, rows.get(0));
        assertThrows(IllegalArgumentException.class, () -> Buf.of(a.getColumn(1)));
        Buf copy = Buf.ofCopyIfNeeded(a.getColumn(1));
        assertEquals(7.0, copy.get(1));
        assertThrows(IllegalArgumentException.class, () -> Buf.of(Nd4j.create(DataType.INT32, 3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void gemmOnBlocksMatchesNaiveProduct(String type) {
        DataType dt = DataType.valueOf(type);
        SplittableRandom r = new SplittableRandom(1);
        int m = 5, n = 3, k = 4, pad = 7, ld = 9;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Buf a = rand(dt, r, pad + 10 * ld);
                Buf b = rand(dt, r, pad + 10 * ld);
                Buf c = rand(dt, r, pad + 10 * ld);
                double[] c0 = new double[c.length()];
                c.get(0, c0, 0, c0.length);
                Blas.gemm(ta, tb, m, n, k, 0.5, a, pad, ld, b, pad + 1, ld, 2.0, c, 3, ld);
                double tol = dt == DataType.FLOAT ? 1e-5 : 1e-12;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            double av = ta ? a.get(pad + p * ld + i) : a.get(pad + i * ld + p);
                            double bv = tb ? b.get(pad + 1 + j * ld + p) : b.get(pad + 1 + p * ld + j);
                            s += av * bv;
                        }
                        assertEquals(0.5 * s + 2.0 * c0[3 + i * ld + j], c.get(3 + i * ld + j), tol);
                    }
                }
                // untouched outside the block
                assertEquals(c0[3 + n], c.get(3 + n), 0.0);
            }
        }
    }

    @Test
    void gemmRefusesOutOfBoundsAndMixedTypes() {
        Buf a = Buf.zeros(DataType.FLOAT, 12);
        Buf d = Buf.zeros(DataType.DOUBLE, 12);
        assertThrows(IndexOutOfBoundsException.class,
                () -> Blas.gemm(false, false, 4, 4, 4, 1, a, 0, 4, a, 0, 4, 0, a, 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(false, false, 2, 2, 2, 1, a, 0, 2, d, 0, 2, 0, a, 0, 2));
    }

    private static Buf rand(DataType dt, SplittableRandom r, int n) {
        Buf b = Buf.zeros(dt, n);
        for (int i = 0; i < n; i++) {
            b.set(i, r.nextGaussian());
        }
        return b;
    }
}
