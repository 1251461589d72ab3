package dev.eimf.internal.serve;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Input checks shared by the item indexes, so that both refuse bad tables and queries alike. */
final class IndexInputs {

    private IndexInputs() {
    }

    /** An ND4J item table {@code [n+1, d]} as float rows (copied). */
    static float[][] tableRows(INDArray table) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("item table must be 2-d [n+1, d], got shape "
                    + Arrays.toString(table.shape()));
        }
        return dev.eimf.internal.tensor.Buf.toFloatRows(table);
    }

    /**
     * Validates an item table {@code [n+1, d]}: rows present and of one width, every value of rows 1..n
     * finite (row 0 is padding and never scored). Returns d.
     */
    static int checkTable(float[][] table) {
        if (table == null) {
            throw new NullPointerException("table");
        }
        if (table.length == 0) {
            throw new IllegalArgumentException("item table has no rows; row 0 (padding) is required");
        }
        if (table[0] == null) {
            throw new NullPointerException("table[0]");
        }
        int dim = table[0].length;
        if (dim == 0) {
            throw new IllegalArgumentException("item table has d = 0");
        }
        for (int i = 0; i < table.length; i++) {
            float[] r = table[i];
            if (r == null) {
                throw new NullPointerException("table[" + i + "]");
            }
            if (r.length != dim) {
                throw new IllegalArgumentException("item table row " + i + " has length " + r.length
                        + ", expected d = " + dim);
            }
            if (i == 0) {
                continue; // padding is never scored
            }
            for (int j = 0; j < dim; j++) {
                if (!Float.isFinite(r[j])) {
                    throw new IllegalArgumentException("item table row " + i + ", column " + j
                            + " is not finite: " + r[j]);
                }
            }
        }
        return dim;
    }

    /**
     * Validates a K x d interest array named {@code what} in messages; returns K. {@code expectK < 0}
     * accepts any K >= 1.
     */
    static int checkInterests(float[][] v, int dim, int expectK, String what) {
        if (v == null) {
            throw new NullPointerException(what);
        }
        if (v.length == 0) {
            throw new IllegalArgumentException(what + " has no interest vectors (K = 0)");
        }
        if (expectK >= 0 && v.length != expectK) {
            throw new IllegalArgumentException(what + " has K = " + v.length + ", expected " + expectK
                    + " like the other users of the batch");
        }
        for (int q = 0; q < v.length; q++) {
            float[] row = v[q];
            if (row == null) {
                throw new NullPointerException(what + "[" + q + "]");
            }
            if (row.length != dim) {
                throw new IllegalArgumentException(what + "[" + q + "] has length " + row.length
                        + ", expected d = " + dim);
            }
            for (int j = 0; j < dim; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException(what + "[" + q + "][" + j + "] is not finite: " + row[j]);
                }
            }
        }
        return v.length;
    }
}
