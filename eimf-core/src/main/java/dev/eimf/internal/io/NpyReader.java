package dev.eimf.internal.io;

import dev.eimf.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code .npy} files {@link NpyWriter} writes (and NumPy's own float32 C-order files, format
 * 1.0 or 2.0). Deliberately small: any other dtype or Fortran order is rejected, not converted.
 */
public final class NpyReader {
    private static final Pattern DICT = Pattern.compile(
            "\\{'descr': '([^']*)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\}\\s*");

    /**
     * A float32 array read from an {@code .npy} file.
     *
     * @param shape the shape; {@code []} for a scalar
     * @param data  the values in C order
     */
    public record NpyArray(int[] shape, float[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof NpyArray && Arrays.equals(shape, ((NpyArray) o).shape)
                    && Arrays.equals(data, ((NpyArray) o).data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "NpyArray" + Arrays.toString(shape);
        }
    }

    private NpyReader() {
    }

    /**
     * Reads a whole file.
     *
     * @throws DataFormatException naming the file and the header field at fault
     */
    public static NpyArray read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        for (int i = 0; i < NpyWriter.MAGIC.length; i++) {
            if (i >= b.length || b[i] != NpyWriter.MAGIC[i]) {
                throw new DataFormatException(file, 0, "magic", "not an .npy file");
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 10) throw new DataFormatException(file, 0, "header", "truncated at byte " + b.length);
        int major = b[6];
        int headerLen;
        int dataStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            dataStart = 10 + headerLen;
        } else if (major == 2 && b.length >= 12) {
            headerLen = bb.getInt(8);
            dataStart = 12 + headerLen;
        } else {
            throw new DataFormatException(file, 0, "version", "unsupported .npy version " + major + "." + b[7]);
        }
        if (headerLen < 0 || dataStart > b.length) {
            throw new DataFormatException(file, 0, "header", "header of " + headerLen + " bytes runs past the end at byte " + b.length);
        }
        String dict = new String(b, dataStart - headerLen, headerLen, StandardCharsets.ISO_8859_1);
        Matcher m = DICT.matcher(dict);
        if (!m.matches()) throw new DataFormatException(file, 0, "header", "unrecognised header dict: " + dict.strip());
        if (!m.group(1).equals("<f4")) {
            throw new DataFormatException(file, 0, "descr", "dtype '" + m.group(1) + "' is not '<f4' (float32 little-endian)");
        }
        if (m.group(2).equals("True")) throw new DataFormatException(file, 0, "fortran_order", "Fortran order is not supported");
        String[] parts = m.group(3).split(",");
        int[] shape = Arrays.stream(parts).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int s : shape) n *= s;
        if (b.length - dataStart != n * 4) {
            throw new DataFormatException(file, 0, "data", "shape " + Arrays.toString(shape) + " needs " + n * 4
                    + " data bytes, the file has " + (b.length - dataStart));
        }
        float[] data = new float[(int) n];
        bb.position(dataStart);
        bb.asFloatBuffer().get(data);
        return new NpyArray(shape, data);
    }
}
