package dev.eimf.mtl;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between the small Java arrays the per-user parts use and the INDArrays gemm runs on. */
final class Mats {
    private Mats() {
    }

    /** A c-order [rows, cols] array of type {@code dt} holding {@code a}. */
    static INDArray of(double[][] a, DataType dt) {
        int rows = a.length;
        int cols = a[0].length;
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a[i], 0, flat, i * cols, cols);
        }
        return Nd4j.createFromArray(flat).reshape('c', rows, cols).castTo(dt);
    }

    /** A c-order [1, n] row of type {@code dt}. */
    static INDArray row(double[] a, DataType dt) {
        return Nd4j.createFromArray(a.clone()).reshape('c', 1, a.length).castTo(dt);
    }

    /** The entries of a 2-D array as double[rows][cols], whatever its order or type. */
    static double[][] toDouble(INDArray m) {
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        double[] flat = m.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /** All entries in c order as doubles, whatever the rank, order or type. */
    static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Cosine similarity; 0 when either side is the zero vector. */
    static double cos(double[] a, double[] b) {
        double na = norm(a);
        double nb = norm(b);
        return na == 0 || nb == 0 ? 0 : dot(a, b) / (na * nb);
    }
}
