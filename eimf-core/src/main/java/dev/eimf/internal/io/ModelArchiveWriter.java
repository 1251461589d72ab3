package dev.eimf.internal.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/** Writes {@link ModelArchive}s in the layout of {@code docs/MODEL-FORMAT.md}. */
final class ModelArchiveWriter {
    /** File signature: ASCII "EIMFMODL". */
    static final byte[] MAGIC = {'E', 'I', 'M', 'F', 'M', 'O', 'D', 'L'};
    /** The JSON header's "format" value. */
    static final String FORMAT_NAME = "eimf-model";
    /** Magic (8) + version (4) + header length (4) + file length (8). */
    static final int PREAMBLE = 24;
    /** Alignment of the data section and of every tensor within it. */
    static final int ALIGN = 64;
    /** The CRC-32 at the end. */
    static final int TRAILER = 4;

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private ModelArchiveWriter() {
    }

    static long align(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    static void write(ModelArchive archive, Path file) throws IOException {
        JsonObject header = new JsonObject();
        header.addProperty("format", FORMAT_NAME);
        header.addProperty("version", ModelArchive.FORMAT_VERSION);
        header.add("config", stringMap(archive.config()));
        header.add("metadata", stringMap(archive.metadata()));
        JsonArray items = new JsonArray(archive.itemIds().size());
        archive.itemIds().forEach(items::add);
        header.add("items", items);
        JsonArray tensors = new JsonArray();
        long[] offsets = new long[archive.tensors().size()];
        int ti = 0;
        long offset = 0;
        for (Map.Entry<String, TensorData> e : archive.tensors().entrySet()) {
            TensorData t = e.getValue();
            offset = align(offset);
            offsets[ti++] = offset;
            long nbytes = (long) t.size() * t.dtype().bytes();
            JsonObject o = new JsonObject();
            o.addProperty("name", e.getKey());
            o.addProperty("dtype", t.dtype().jsonName());
            JsonArray shape = new JsonArray();
            for (int s : t.shape()) shape.add(s);
            o.add("shape", shape);
            o.addProperty("offset", offset);
            o.addProperty("nbytes", nbytes);
            tensors.add(o);
            offset += nbytes;
        }
        header.add("tensors", tensors);
        ByteBuffer json = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(GSON.toJson(header)));
        byte[] headerBytes = new byte[json.remaining()];
        json.get(headerBytes);
        long dataStart = align(PREAMBLE + (long) headerBytes.length);
        long dataLength = offset;
        long fileLength = dataStart + dataLength + TRAILER;

        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            CheckedOutputStream out = new CheckedOutputStream(raw, crc);
            ByteBuffer pre = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(MAGIC).putInt(ModelArchive.FORMAT_VERSION).putInt(headerBytes.length).putLong(fileLength);
            out.write(pre.array());
            out.write(headerBytes);
            long pos = PREAMBLE + (long) headerBytes.length;
            int i = 0;
            for (TensorData t : archive.tensors().values()) {
                long start = dataStart + offsets[i++];
                pad(out, start - pos);
                pos = start + writeValues(out, t);
            }
            pad(out, dataStart + dataLength - pos); // non-zero only without tensors: the header's padding
            long crcValue = crc.getValue();
            byte[] trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crcValue).array();
            raw.write(trailer);
        });
    }

    private static JsonObject stringMap(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    private static void pad(OutputStream out, long n) throws IOException {
        for (long i = 0; i < n; i++) out.write(0);
    }

    /** Writes the values little-endian in C order; returns the number of bytes. */
    private static long writeValues(OutputStream out, TensorData t) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long written = 0;
        if (t.dtype() == TensorData.DType.FLOAT32) {
            float[] v = t.rawFloats();
            int per = buf.capacity() / 4;
            for (int i = 0; i < v.length; i += per) {
                int n = Math.min(per, v.length - i);
                buf.clear();
                buf.asFloatBuffer().put(v, i, n);
                out.write(buf.array(), 0, n * 4);
                written += n * 4L;
            }
        } else {
            double[] v = t.rawDoubles();
            int per = buf.capacity() / 8;
            for (int i = 0; i < v.length; i += per) {
                int n = Math.min(per, v.length - i);
                buf.clear();
                buf.asDoubleBuffer().put(v, i, n);
                out.write(buf.array(), 0, n * 8);
                written += n * 8L;
            }
        }
        return written;
    }
}
