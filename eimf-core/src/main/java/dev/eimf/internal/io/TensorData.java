package dev.eimf.internal.io;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable dense tensor as stored in a model file: a data type, a shape and the values in C
 * (row-major) order. Equality compares values bit for bit (NaNs of any payload are equal).
 */
public final class TensorData {

    /** Element types a model file can hold. */
    public enum DType {
        /** IEEE 754 binary32, little-endian in files. */
        FLOAT32("float32", 4),
        /** IEEE 754 binary64, little-endian in files. */
        FLOAT64("float64", 8);

        private final String jsonName;
        private final int bytes;

        DType(String jsonName, int bytes) {
            this.jsonName = jsonName;
            this.bytes = bytes;
        }

        /** The name used in the JSON header. */
        public String jsonName() {
            return jsonName;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        /** The type with this JSON name, or {@code null}. */
        static DType ofJsonName(String name) {
            for (DType t : values()) {
                if (t.jsonName.equals(name)) return t;
            }
            return null;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final double[] doubles;

    private TensorData(DType dtype, int[] shape, float[] floats, double[] doubles) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative size");
            n *= shape[i];
        }
        int len = floats != null ? floats.length : doubles.length;
        if (n != len) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got " + len);
        }
        this.floats = floats;
        this.doubles = doubles;
    }

    /** A float32 tensor; the values are copied. */
    public static TensorData ofFloats(float[] values, int... shape) {
        return new TensorData(DType.FLOAT32, shape, Objects.requireNonNull(values, "values").clone(), null);
    }

    /** A float64 tensor; the values are copied. */
    public static TensorData ofDoubles(double[] values, int... shape) {
        return new TensorData(DType.FLOAT64, shape, null, Objects.requireNonNull(values, "values").clone());
    }

    /** A float32 matrix from rows of equal length. */
    public static TensorData ofMatrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has length " + rows[i].length + ", expected " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return new TensorData(DType.FLOAT32, new int[] {rows.length, cols}, flat, null);
    }

    /** A copy of an ND4J array: FLOAT stays float32, DOUBLE stays float64, other types are rejected. */
    public static TensorData of(INDArray array) {
        long[] ls = array.shape();
        int[] shape = new int[ls.length];
        for (int i = 0; i < ls.length; i++) shape[i] = Math.toIntExact(ls[i]);
        INDArray c = array.dup('c');
        if (array.dataType() == DataType.FLOAT) {
            return new TensorData(DType.FLOAT32, shape, c.data().asFloat(), null);
        }
        if (array.dataType() == DataType.DOUBLE) {
            return new TensorData(DType.FLOAT64, shape, null, c.data().asDouble());
        }
        throw new IllegalArgumentException("only FLOAT and DOUBLE arrays can be stored, got " + array.dataType());
    }

    /** Wraps arrays the caller gives up (no copy); for the reader. */
    static TensorData owning(DType dtype, int[] shape, float[] floats, double[] doubles) {
        return new TensorData(dtype, shape, floats, doubles);
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape (a copy); {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return floats != null ? floats.length : doubles.length;
    }

    /** The values as floats in C order (a copy); float64 values are rounded. */
    public float[] floats() {
        if (floats != null) return floats.clone();
        float[] out = new float[doubles.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) doubles[i];
        return out;
    }

    /** The values as doubles in C order (a copy); float32 values are widened exactly. */
    public double[] doubles() {
        if (doubles != null) return doubles.clone();
        double[] out = new double[floats.length];
        for (int i = 0; i < out.length; i++) out[i] = floats[i];
        return out;
    }

    /** A rank-2 float32/float64 tensor as float rows. */
    public float[][] toFloatMatrix() {
        if (shape.length != 2) throw new IllegalStateException("tensor has shape " + Arrays.toString(shape) + ", not 2-d");
        float[] flat = floats();
        float[][] out = new float[shape[0]][];
        for (int i = 0; i < shape[0]; i++) out[i] = Arrays.copyOfRange(flat, i * shape[1], (i + 1) * shape[1]);
        return out;
    }

    /** A new ND4J array of the same type, shape and values. */
    public INDArray toINDArray() {
        long[] ls = new long[shape.length];
        for (int i = 0; i < ls.length; i++) ls[i] = shape[i];
        return floats != null ? Nd4j.create(floats.clone(), ls, DataType.FLOAT)
                : Nd4j.create(doubles.clone(), ls, DataType.DOUBLE);
    }

    /** Direct access for the writer, no copy. */
    float[] rawFloats() {
        return floats;
    }

    /** Direct access for the writer, no copy. */
    double[] rawDoubles() {
        return doubles;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorData)) return false;
        TensorData t = (TensorData) o;
        return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(floats, t.floats)
                && Arrays.equals(doubles, t.doubles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(doubles));
    }

    @Override
    public String toString() {
        return dtype.jsonName() + Arrays.toString(shape);
    }
}
