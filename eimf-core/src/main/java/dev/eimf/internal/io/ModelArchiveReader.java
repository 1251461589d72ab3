package dev.eimf.internal.io;

import static dev.eimf.internal.io.ModelArchiveWriter.ALIGN;
import static dev.eimf.internal.io.ModelArchiveWriter.FORMAT_NAME;
import static dev.eimf.internal.io.ModelArchiveWriter.MAGIC;
import static dev.eimf.internal.io.ModelArchiveWriter.PREAMBLE;
import static dev.eimf.internal.io.ModelArchiveWriter.TRAILER;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads and verifies {@link ModelArchive}s. Checks run from the outside in, so the message names the
 * first thing that is wrong: signature (foreign file), length (truncated or with trailing bytes),
 * format version, checksum (damaged), then the header's own consistency.
 */
final class ModelArchiveReader {
    private ModelArchiveReader() {
    }

    static ModelArchive read(Path file) throws IOException {
        // Only a regular file, not through a link: a FIFO would block forever and /dev/zero never ends.
        long size = SafeFiles.regularFile(file, "model file").size();
        if (size > SafeFiles.HARD_CAP) {
            throw new ModelFormatException(file, "file is " + size + " bytes; this reader handles up to 2 GiB");
        }
        byte[] b = SafeFiles.readAll(file, SafeFiles.HARD_CAP, "model file");
        return parse(file, b);
    }

    static ModelArchive parse(Path file, byte[] b) throws ModelFormatException {
        int m = Math.min(MAGIC.length, b.length);
        for (int i = 0; i < m; i++) {
            if (b[i] != MAGIC[i]) {
                throw new ModelFormatException(file, "not an EIMF model file: it starts with " + hex(b, 8)
                        + ", an EIMF model file starts with " + hex(MAGIC, 8) + " (\"EIMFMODL\")");
            }
        }
        if (b.length < PREAMBLE) {
            throw new ModelFormatException(file, b.length == 0 ? "file is empty (0 bytes)"
                    : "truncated: file ends at byte " + b.length + ", expected at least " + PREAMBLE
                    + " (the fixed preamble)");
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long version = Integer.toUnsignedLong(bb.getInt(8));
        if (version != ModelArchive.FORMAT_VERSION) {
            throw new ModelFormatException(file, "unsupported format version " + version + ", this library reads "
                    + ModelArchive.FORMAT_VERSION + (version > ModelArchive.FORMAT_VERSION
                    ? " (the file was written by a newer EIMF library)" : ""));
        }
        long headerLength = Integer.toUnsignedLong(bb.getInt(12));
        long fileLength = bb.getLong(16);
        if (b.length < fileLength) {
            throw new ModelFormatException(file, "truncated: file ends at byte " + b.length + ", expected "
                    + fileLength);
        }
        if (b.length > fileLength) {
            throw new ModelFormatException(file, (b.length - fileLength) + " unexpected bytes after the end at byte "
                    + fileLength + " (the file has " + b.length + " bytes)");
        }
        if (fileLength < PREAMBLE + TRAILER) {
            throw new ModelFormatException(file, "damaged: declared file length " + fileLength + " is below the minimum "
                    + (PREAMBLE + TRAILER));
        }
        int crcAt = (int) fileLength - TRAILER;
        CRC32 crc = new CRC32();
        crc.update(b, 0, crcAt);
        long stored = Integer.toUnsignedLong(bb.getInt(crcAt));
        if (stored != crc.getValue()) {
            throw new ModelFormatException(file, String.format(
                    "checksum mismatch: stored CRC-32 0x%08x, computed 0x%08x over bytes 0..%d; the file is damaged",
                    stored, crc.getValue(), crcAt - 1));
        }
        long dataStart = ModelArchiveWriter.align(PREAMBLE + headerLength);
        if (dataStart > crcAt) {
            throw new ModelFormatException(file, "header length " + headerLength + " does not fit in a file of "
                    + fileLength + " bytes");
        }
        JsonObject header;
        try {
            String json = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(b, PREAMBLE, (int) headerLength)).toString();
            header = JsonParser.parseString(json).getAsJsonObject();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "header (bytes " + PREAMBLE + ".." + (PREAMBLE + headerLength - 1)
                    + ") is not valid UTF-8");
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, "header is not a JSON object: " + e.getMessage());
        }
        try {
            return fromHeader(file, header, bb, dataStart, crcAt);
        } catch (IllegalStateException | ClassCastException | UnsupportedOperationException | NumberFormatException
                 | NullPointerException e) {
            // Gson's getAs* failures on a field of the wrong JSON type.
            throw new ModelFormatException(file, "header field has the wrong type: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "header is inconsistent: " + e.getMessage());
        }
    }

    private static ModelArchive fromHeader(Path file, JsonObject h, ByteBuffer bb, long dataStart, int dataEnd)
            throws ModelFormatException {
        String format = string(file, h, "format");
        if (!FORMAT_NAME.equals(format)) {
            throw new ModelFormatException(file, "header field 'format' is '" + format + "', expected '" + FORMAT_NAME + "'");
        }
        long version = required(file, h, "version").getAsLong();
        if (version != ModelArchive.FORMAT_VERSION) {
            throw new ModelFormatException(file, "header field 'version' is " + version + " but the preamble says "
                    + ModelArchive.FORMAT_VERSION);
        }
        ModelArchive.Builder a = ModelArchive.builder();
        for (Map.Entry<String, JsonElement> e : object(file, h, "config").entrySet()) {
            a.config(e.getKey(), e.getValue().getAsString());
        }
        for (Map.Entry<String, JsonElement> e : object(file, h, "metadata").entrySet()) {
            a.metadata(e.getKey(), e.getValue().getAsString());
        }
        JsonArray items = array(file, h, "items");
        List<String> ids = new ArrayList<>(items.size());
        for (JsonElement e : items) ids.add(e.getAsString());
        a.itemIds(ids);
        long previousEnd = 0;
        int index = 0;
        for (JsonElement te : array(file, h, "tensors")) {
            JsonObject t = te.getAsJsonObject();
            String where = "tensors[" + index++ + "]";
            String name = string(file, t, "name");
            where += " ('" + name + "')";
            String dt = string(file, t, "dtype");
            TensorData.DType dtype = TensorData.DType.ofJsonName(dt);
            if (dtype == null) throw new ModelFormatException(file, where + ": unknown dtype '" + dt + "'");
            JsonArray shapeJson = array(file, t, "shape");
            int[] shape = new int[shapeJson.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                long s = shapeJson.get(i).getAsLong();
                if (s < 0 || s > Integer.MAX_VALUE) {
                    throw new ModelFormatException(file, where + ": bad shape " + shapeJson);
                }
                shape[i] = (int) s;
                count *= s;
                if (count > Integer.MAX_VALUE) throw new ModelFormatException(file, where + ": shape " + shapeJson + " too large");
            }
            long offset = required(file, t, "offset").getAsLong();
            long nbytes = required(file, t, "nbytes").getAsLong();
            if (nbytes != count * dtype.bytes()) {
                throw new ModelFormatException(file, where + ": nbytes " + nbytes + " but shape " + shapeJson + " of " + dt
                        + " needs " + count * dtype.bytes());
            }
            if (offset < previousEnd || offset % ALIGN != 0 || dataStart + offset + nbytes > dataEnd) {
                throw new ModelFormatException(file, where + ": bytes " + (dataStart + offset) + ".."
                        + (dataStart + offset + nbytes - 1) + " are not an aligned, non-overlapping range of the data"
                        + " section " + dataStart + ".." + (dataEnd - 1));
            }
            previousEnd = offset + nbytes;
            ByteBuffer slice = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            slice.position((int) (dataStart + offset));
            if (dtype == TensorData.DType.FLOAT32) {
                float[] v = new float[(int) count];
                slice.asFloatBuffer().get(v);
                a.tensor(name, TensorData.owning(dtype, shape, v, null));
            } else {
                double[] v = new double[(int) count];
                slice.asDoubleBuffer().get(v);
                a.tensor(name, TensorData.owning(dtype, shape, null, v));
            }
        }
        return a.build();
    }

    private static JsonElement required(Path file, JsonObject o, String field) throws ModelFormatException {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) throw new ModelFormatException(file, "header lacks the field '" + field + "'");
        return e;
    }

    private static String string(Path file, JsonObject o, String field) throws ModelFormatException {
        return required(file, o, field).getAsString();
    }

    private static JsonObject object(Path file, JsonObject o, String field) throws ModelFormatException {
        return required(file, o, field).getAsJsonObject();
    }

    private static JsonArray array(Path file, JsonObject o, String field) throws ModelFormatException {
        return required(file, o, field).getAsJsonArray();
    }

    private static String hex(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, b.length); i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02X", b[i] & 0xFF));
        }
        return sb.length() == 0 ? "(nothing)" : sb.toString();
    }
}
