package dev.eimf.mtl;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

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
        INDArray out = Nd4j.createUninitialized(dt, new long[] {rows, cols}, 'c');
        // Bulk copies through NIO views: ND4J's array factories copy element by element, ten times slower.
        if (dt == DataType.DOUBLE) {
            DoubleBuffer buf = out.data().asNioDouble();
            for (double[] row : a) {
                buf.put(row, 0, cols);
            }
        } else if (dt == DataType.FLOAT) {
            FloatBuffer buf = out.data().asNioFloat();
            float[] tmp = new float[cols];
            for (double[] row : a) {
                for (int j = 0; j < cols; j++) {
                    tmp[j] = (float) row[j];
                }
                buf.put(tmp);
            }
        } else {
            throw new IllegalArgumentException("FLOAT or DOUBLE only, got " + dt);
        }
        java.lang.ref.Reference.reachabilityFence(out);
        return out;
    }

    /** A c-order [1, n] row of type {@code dt}. */
    static INDArray row(double[] a, DataType dt) {
        return of(new double[][] {a}, dt);
    }

    /** The entries of a 2-D array as double[rows][cols], whatever its order or type. */
    static double[][] toDouble(INDArray m) {
        int rows = (int) m.size(0);
        int cols = (int) m.size(1);
        double[] flat = flat(m);
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /** All entries in c order as doubles, whatever the rank, order or type. */
    static double[] flat(INDArray a) {
        INDArray c = a;
        if (a.isView() || a.ordering() != 'c' || a.offset() != 0 || a.data().length() != a.length()
                || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) {
            c = a.dataType() == DataType.DOUBLE ? a.dup('c') : a.castTo(DataType.DOUBLE).dup('c');
        }
        int n = (int) c.length();
        double[] out = new double[n];
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(out);
        } else {
            float[] f = new float[n];
            c.data().asNioFloat().get(f);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        }
        // The NIO view does not keep the array alive: without this fence the JIT may let the GC free a
        // temporary array's native memory while the copy above still reads it.
        java.lang.ref.Reference.reachabilityFence(c);
        return out;
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
