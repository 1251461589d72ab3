package dev.eimf.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes NumPy {@code .npy} files, format version 1.0, float32 little-endian in C order, so that
 * {@code numpy.load} reads them without any options. The header is byte-for-byte what NumPy itself
 * writes: the dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (..), }}, NumPy's spare
 * spaces for growing the first axis, then spaces and a final {@code '\n'} so the data starts at a
 * multiple of 64 bytes. See {@code docs/MODEL-FORMAT.md}.
 */
public final class NpyWriter {
    /** {@code \x93NUMPY}. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy's {@code GROWTH_AXIS_MAX_DIGITS}: room to rewrite the first axis in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int ALIGN = 64;

    private NpyWriter() {
    }

    /** Writes a float array of the given shape (C order) to a file, atomically. */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        byte[] header = header(shape, data.length);
        AtomicFiles.write(file, out -> writeTo(out, header, data));
    }

    /** Writes an ND4J array (any floating type, converted to float32) to a file, atomically. */
    public static void write(Path file, INDArray array) throws IOException {
        long[] ls = array.shape();
        int[] shape = new int[ls.length];
        for (int i = 0; i < ls.length; i++) shape[i] = Math.toIntExact(ls[i]);
        write(file, array.castTo(DataType.FLOAT).dup('c').data().asFloat(), shape);
    }

    /** Writes a float matrix, rows of equal length, to a file, atomically. */
    public static void write(Path file, float[][] rows) throws IOException {
        TensorData t = TensorData.ofMatrix(rows);
        write(file, t.rawFloats(), t.shape());
    }

    /** Writes a float array of the given shape (C order) to a stream (left open). */
    public static void write(OutputStream out, float[] data, int... shape) throws IOException {
        writeTo(out, header(shape, data.length), data);
    }

    /**
     * The complete header (magic, version, length, padded dict) for a float32 C-order array; its
     * length is a multiple of 64.
     */
    static byte[] header(int[] shape, int dataLength) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative size");
            n *= s;
        }
        if (n != dataLength) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got " + dataLength);
        }
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ");
        dict.append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        int hlen = dict.length() + 1; // + '\n'
        int pad = ALIGN - (MAGIC.length + 2 + 2 + hlen) % ALIGN; // as NumPy: a full 64 when already aligned
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) throw new IllegalArgumentException("shape too long for an .npy 1.0 header");
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    /** Python's tuple repr: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String shapeRepr(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private static void writeTo(OutputStream out, byte[] header, float[] data) throws IOException {
        out.write(header);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / 4;
        for (int i = 0; i < data.length; i += per) {
            int n = Math.min(per, data.length - i);
            buf.clear();
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * 4);
        }
        out.flush();
    }
}
