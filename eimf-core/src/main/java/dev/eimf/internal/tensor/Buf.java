package dev.eimf.internal.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat, zero-copy window on the off-heap storage of a contiguous c-ordered FLOAT or DOUBLE
 * {@link INDArray}, for fused Java loops and direct BLAS calls.
 *
 * <p>Element {@code i} is the array's {@code i}-th element in c-order, whatever the view offset of the
 * array. Loops read and write in {@code double}; the FLOAT implementation rounds on write. There are
 * exactly two implementations so that call sites stay (bi)morphic and inline well.
 *
 * <p>A {@code Buf} keeps its array reachable, so the native memory outlives the window. Its bulk
 * conversions use per-thread scratch space, so several threads may use one window at once as long as
 * they write disjoint elements.
 */
public abstract sealed class Buf permits Buf.F, Buf.D {

    private final INDArray array;
    private final int length;

    private Buf(INDArray array) {
        this.array = array;
        this.length = Math.toIntExact(array.length());
    }

    /**
     * A window on {@code array}.
     *
     * @throws IllegalArgumentException when the array is not FLOAT or DOUBLE, or is not a contiguous
     *                                  c-ordered block
     */
    public static Buf of(INDArray array) {
        if (!isDirectlyAccessible(array)) {
            throw new IllegalArgumentException("array must be a contiguous c-ordered FLOAT or DOUBLE array, got "
                    + array.dataType() + " order " + array.ordering() + " shape " + Arrays.toString(array.shape()));
        }
        return array.dataType() == DataType.FLOAT ? new F(array) : new D(array);
    }

    /** A window on {@code array}, or on a c-ordered copy of it when the array itself is not contiguous. */
    public static Buf ofCopyIfNeeded(INDArray array) {
        if (array.dataType() != DataType.FLOAT && array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("expected FLOAT or DOUBLE, got " + array.dataType());
        }
        return of(isDirectlyAccessible(array) ? array : array.dup('c'));
    }

    /** A zero-filled array of the given type and shape, and its window. */
    public static Buf zeros(DataType type, long... shape) {
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("expected FLOAT or DOUBLE, got " + type);
        }
        return of(Nd4j.create(type, shape, 'c'));
    }

    /**
     * The rows of a 2-d array as {@code float[rows][cols]}, by one bulk copy per row: ND4J's
     * {@code toFloatMatrix()} reads element by element, which takes a minute for a million-row table.
     */
    public static float[][] toFloatRows(INDArray array) {
        if (array.rank() != 2) {
            throw new IllegalArgumentException("expected a 2-d array, got shape " + java.util.Arrays.toString(array.shape()));
        }
        INDArray f = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
        F b = (F) ofCopyIfNeeded(f);
        int rows = (int) f.size(0);
        int cols = (int) f.size(1);
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            b.get(r * cols, out[r], 0, cols);
        }
        java.lang.ref.Reference.reachabilityFence(b);
        return out;
    }

    /** Whether {@link #of} accepts the array without copying. */
    public static boolean isDirectlyAccessible(INDArray array) {
        DataType t = array.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            return false;
        }
        if (array.length() == 0 || array.length() > Integer.MAX_VALUE) {
            return false;
        }
        if (array.length() == 1) {
            return true;
        }
        return array.ordering() == 'c' && array.elementWiseStride() == 1 && hasCStrides(array);
    }

    /**
     * Whether every dimension longer than 1 has its c-order stride. ND4J's own
     * {@code Shape.hasDefaultStridesForShape} (M2.1) answers false for a freshly created c-order array
     * with a dimension of length 1 (a [B, 1, d] batch of one-interest users), whose stride cannot matter.
     */
    private static boolean hasCStrides(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The array this window shows. */
    public final INDArray array() {
        return array;
    }

    /** Number of elements. */
    public final int length() {
        return length;
    }

    /** The element type, FLOAT or DOUBLE. */
    public abstract DataType dataType();

    /** Element {@code i}. */
    public abstract double get(int i);

    /** Sets element {@code i}. */
    public abstract void set(int i, double v);

    /** Adds {@code v} to element {@code i}. */
    public abstract void add(int i, double v);

    /** Copies {@code n} elements from {@code off} into {@code dst[dstOff..]}, widening to double. */
    public abstract void get(int off, double[] dst, int dstOff, int n);

    /** Copies {@code n} values from {@code src[srcOff..]} into elements from {@code off}. */
    public abstract void set(int off, double[] src, int srcOff, int n);

    /** Adds {@code n} values from {@code src[srcOff..]} onto elements from {@code off}. */
    public abstract void add(int off, double[] src, int srcOff, int n);

    /**
     * Copies {@code n} elements from {@code src[srcOff..]} to {@code dst[dstOff..]}; a memory copy when
     * both have the same type.
     */
    public static void copy(Buf src, int srcOff, Buf dst, int dstOff, int n) {
        if (src instanceof F fs && dst instanceof F fd) {
            fd.b.put(dstOff, fs.b, srcOff, n);
        } else if (src instanceof D ds && dst instanceof D dd) {
            dd.b.put(dstOff, ds.b, srcOff, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst.set(dstOff + i, src.get(srcOff + i));
            }
        }
        java.lang.ref.Reference.reachabilityFence(src);
        java.lang.ref.Reference.reachabilityFence(dst);
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]} for {@code i < n}. */
    public static void addTo(Buf src, int srcOff, Buf dst, int dstOff, int n) {
        if (src instanceof F fs && dst instanceof F fd) {
            float[] a = fs.scratch(n);
            float[] b = fd.scratch2(n);
            fs.b.get(srcOff, a, 0, n);
            fd.b.get(dstOff, b, 0, n);
            for (int i = 0; i < n; i++) {
                b[i] += a[i];
            }
            fd.b.put(dstOff, b, 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst.add(dstOff + i, src.get(srcOff + i));
            }
        }
        java.lang.ref.Reference.reachabilityFence(src);
        java.lang.ref.Reference.reachabilityFence(dst);
    }

    /** Sets elements {@code [off, off+n)} to zero. */
    public abstract void zero(int off, int n);

    /** Sets every element to zero. */
    public final void zero() {
        zero(0, length);
    }

    /** A native pointer to element {@code off}, for BLAS. The caller must keep this window reachable. */
    abstract Pointer pointer(int off);

    /** FLOAT window. */
    public static final class F extends Buf {
        private final FloatBuffer b;
        private final FloatPointer base;
        private static final ThreadScratch.Floats SCRATCH = new ThreadScratch.Floats(2);

        private static float[] scratch(int n) {
            return SCRATCH.get(0, n);
        }

        private static float[] scratch2(int n) {
            return SCRATCH.get(1, n);
        }

        private F(INDArray a) {
            super(a);
            // addressPointer() already includes the view offset; asNioFloat() would not.
            this.base = new FloatPointer(a.data().addressPointer());
            this.base.capacity(length()).limit(length());
            this.b = base.asBuffer();
        }

        /** The underlying NIO buffer (element 0 at index 0), for loops specialised to FLOAT. */
        public FloatBuffer nio() {
            return b;
        }

        @Override
        public DataType dataType() {
            return DataType.FLOAT;
        }

        @Override
        public double get(int i) {
            double result = b.get(i);
            java.lang.ref.Reference.reachabilityFence(this);
            return result;
        }

        @Override
        public void set(int i, double v) {
            b.put(i, (float) v);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, (float) (b.get(i) + v));
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void get(int off, double[] dst, int dstOff, int n) {
            float[] tmp = scratch(n);
            b.get(off, tmp, 0, n);
            if (dstOff == 0) { // the common case, in the form C2 vectorises
                for (int i = 0; i < n; i++) {
                    dst[i] = tmp[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = tmp[i];
                }
            }
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void set(int off, double[] src, int srcOff, int n) {
            float[] tmp = scratch(n);
            if (srcOff == 0) {
                for (int i = 0; i < n; i++) {
                    tmp[i] = (float) src[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    tmp[i] = (float) src[srcOff + i];
                }
            }
            b.put(off, tmp, 0, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void add(int off, double[] src, int srcOff, int n) {
            float[] tmp = scratch(n);
            b.get(off, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                tmp[i] = (float) (tmp[i] + src[srcOff + i]);
            }
            b.put(off, tmp, 0, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        /** Bulk read into a float array. */
        public void get(int off, float[] dst, int dstOff, int n) {
            b.get(off, dst, dstOff, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        /** Bulk write from a float array. */
        public void set(int off, float[] src, int srcOff, int n) {
            b.put(off, src, srcOff, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void zero(int off, int n) {
            if (off < 0 || n < 0 || (long) off + n > length()) {
                throw new IndexOutOfBoundsException("zero(" + off + ", " + n + ") on length " + length());
            }
            if (n > 0) {
                // one memset rather than an element loop
                new FloatPointer(base).position(off).limit((long) off + n).zero();
            }
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        FloatPointer pointer(int off) {
            return new FloatPointer(base).position(off);
        }
    }

    /** DOUBLE window. */
    public static final class D extends Buf {
        private final DoubleBuffer b;
        private final DoublePointer base;
        private static final ThreadScratch.Doubles SCRATCH = new ThreadScratch.Doubles(1);

        private static double[] scratch(int n) {
            return SCRATCH.get(0, n);
        }

        private D(INDArray a) {
            super(a);
            this.base = new DoublePointer(a.data().addressPointer());
            this.base.capacity(length()).limit(length());
            this.b = base.asBuffer();
        }

        /** The underlying NIO buffer (element 0 at index 0), for loops specialised to DOUBLE. */
        public DoubleBuffer nio() {
            return b;
        }

        @Override
        public DataType dataType() {
            return DataType.DOUBLE;
        }

        @Override
        public double get(int i) {
            double result = b.get(i);
            java.lang.ref.Reference.reachabilityFence(this);
            return result;
        }

        @Override
        public void set(int i, double v) {
            b.put(i, v);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, b.get(i) + v);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void get(int off, double[] dst, int dstOff, int n) {
            b.get(off, dst, dstOff, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void set(int off, double[] src, int srcOff, int n) {
            b.put(off, src, srcOff, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void add(int off, double[] src, int srcOff, int n) {
            double[] tmp = scratch(n);
            b.get(off, tmp, 0, n);
            for (int i = 0; i < n; i++) {
                tmp[i] += src[srcOff + i];
            }
            b.put(off, tmp, 0, n);
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        public void zero(int off, int n) {
            if (off < 0 || n < 0 || (long) off + n > length()) {
                throw new IndexOutOfBoundsException("zero(" + off + ", " + n + ") on length " + length());
            }
            if (n > 0) {
                // one memset rather than an element loop
                new DoublePointer(base).position(off).limit((long) off + n).zero();
            }
            java.lang.ref.Reference.reachabilityFence(this);
        }

        @Override
        DoublePointer pointer(int off) {
            return new DoublePointer(base).position(off);
        }
    }
}
