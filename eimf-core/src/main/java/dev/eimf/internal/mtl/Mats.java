package dev.eimf.internal.mtl;

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

    // The helpers below replace ND4J ops on the training path: each ND4J op wakes its OpenMP workers,
    // which under load (or with BLAS busy on the other core) costs milliseconds per op.

    /** {@code op(a) x op(b)} as a new c-order array, through one (split) BLAS call. */
    static INDArray mm(INDArray a, boolean ta, INDArray b, boolean tb) {
        dev.eimf.internal.tensor.Buf ab = dev.eimf.internal.tensor.Buf.ofCopyIfNeeded(a);
        dev.eimf.internal.tensor.Buf bb = dev.eimf.internal.tensor.Buf.ofCopyIfNeeded(b);
        int m = (int) (ta ? a.size(1) : a.size(0));
        int k = (int) (ta ? a.size(0) : a.size(1));
        int k2 = (int) (tb ? b.size(1) : b.size(0));
        int n = (int) (tb ? b.size(0) : b.size(1));
        if (k != k2) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + k2);
        }
        INDArray out = Nd4j.create(a.dataType(), new long[] {m, n}, 'c');
        dev.eimf.internal.tensor.Blas.pgemm(ta, tb, m, n, k, 1.0, ab, 0, (int) a.size(1), bb, 0, (int) b.size(1), 0.0,
                dev.eimf.internal.tensor.Buf.of(out), 0, n);
        return out;
    }

    /** {@code dst += src} element-wise (same length, both c-order). */
    static void addInto(INDArray dst, INDArray src) {
        if (!dev.eimf.internal.tensor.Buf.isDirectlyAccessible(dst)) {
            dst.addi(src.reshape('c', dst.shape()).castTo(dst.dataType()));
            return;
        }
        dev.eimf.internal.tensor.Buf d = dev.eimf.internal.tensor.Buf.of(dst);
        dev.eimf.internal.tensor.Buf s = dev.eimf.internal.tensor.Buf.ofCopyIfNeeded(src);
        if (d.length() != s.length()) {
            throw new IllegalArgumentException("lengths differ: " + d.length() + " vs " + s.length());
        }
        dev.eimf.internal.tensor.Buf.addTo(s, 0, d, 0, d.length());
    }

    /** {@code dst += src} for a Java array of the same length. */
    static void addInto(INDArray dst, double[] src) {
        if (!dev.eimf.internal.tensor.Buf.isDirectlyAccessible(dst)) {
            dst.addi(Nd4j.createFromArray(src).reshape('c', dst.shape()).castTo(dst.dataType()));
            return;
        }
        dev.eimf.internal.tensor.Buf d = dev.eimf.internal.tensor.Buf.of(dst);
        if (d.length() != src.length) {
            throw new IllegalArgumentException("lengths differ: " + d.length() + " vs " + src.length);
        }
        d.add(0, src, 0, src.length);
    }

    /** Adds the [1, n] row vector to every row of the [m, n] array, in place. */
    static void addRowVector(INDArray m, INDArray row) {
        dev.eimf.internal.tensor.Buf mb = dev.eimf.internal.tensor.Buf.of(m);
        double[] r = flat(row);
        int n = r.length;
        int rows = mb.length() / n;
        for (int i = 0; i < rows; i++) {
            mb.add(i * n, r, 0, n);
        }
    }

    /** Column sums of a [m, n] array. */
    static double[] columnSums(INDArray m) {
        double[] x = flat(m);
        int n = (int) m.size(1);
        double[] out = new double[n];
        for (int i = 0; i < x.length; i++) {
            out[i % n] += x[i];
        }
        return out;
    }
}
