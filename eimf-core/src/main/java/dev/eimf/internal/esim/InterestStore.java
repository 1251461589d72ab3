package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.Prompt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.eimf.data.DataFormatException;
import dev.eimf.internal.io.AtomicFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only, crash-safe cache of extractions and their interest vectors: one JSON object per line in
 * {@code DIR/interests.jsonl}.
 *
 * <p>Two kinds of line, both carrying the key fields {@code extractor}, {@code model}, {@code prompt_hash}:
 * <ul>
 *   <li>{@code "type":"extraction"}: user id, input messages, follow-ups, raw responses, status
 *       ({@code ok}/{@code failed}) and reason, interests, token usage and number of calls;</li>
 *   <li>{@code "type":"vectors"}: the encoder name, dimension, one vector per interest, and
 *       {@code texts_sha256}, the hash of the encoded texts, which ties the vectors to the interests they
 *       encode.</li>
 * </ul>
 * Vectors live on their own lines so that a paid model answer is on disk before the (possibly remote)
 * encoder runs, and so that a second encoder adds lines instead of rewriting entries. For a key, the last
 * extraction line wins (a retried failure is superseded by its retry); vectors count only while their texts
 * hash matches the current extraction.
 *
 * <p>Integrity: line 1 is a header, {@code {"format":"eimf-interest-store","v":2,...}}, and every line (header
 * included) ends with {@code "crc32":"xxxxxxxx"}, the CRC-32 of the line's UTF-8 bytes without that member
 * (the compact JSON object as written). A file without the header (another file under this name) or with
 * another format version is refused with a {@link DataFormatException} naming the file and line 1; a damaged
 * line (bit flip, missing checksum, invalid JSON) anywhere but at the end is refused naming its line. A store
 * of format version 1 (no header, no checksums) is read as before and rewritten once in the current format.
 * A file cut exactly at a line boundary cannot be told from a store with fewer appends.
 *
 * <p>Crash safety: every append is one write of a complete line followed by {@link FileChannel#force}. On open,
 * a damaged last line (a torn write: cut short, zero-filled, or failing its checksum) is reported, logged and
 * truncated away, and its entry is simply asked for again; a complete last line that only lacks its newline
 * gets one, and a file holding only the start of a header gets a fresh header. Such repairs are reported by
 * {@link #recovery()}. Other damage is not a torn append and is left for a person to look at. A lock file
 * keeps two processes from appending to the same store. Appends and lookups are thread-safe.
 */
public final class InterestStore implements AutoCloseable {
    /** The file name inside the store directory. */
    public static final String FILE_NAME = "interests.jsonl";
    /** The format version written; version 1 (no header, no checksums) is upgraded on open. */
    public static final int FORMAT_VERSION = 2;
    /** The {@code format} value of the header line. */
    public static final String FORMAT_NAME = "eimf-interest-store";
    private static final String CRC_FIELD = "crc32";
    private static final byte[] CRC_PREFIX = (",\"" + CRC_FIELD + "\":\"").getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"crc32":"xxxxxxxx"}} */
    private static final int CRC_SUFFIX_LENGTH = CRC_PREFIX.length + 8 + 2;
    private static final byte[] HEADER = checksummed("{\"format\":\"" + FORMAT_NAME + "\",\"v\":" + FORMAT_VERSION + "}");
    private static final Logger LOG = LoggerFactory.getLogger(InterestStore.class);

    /**
     * What {@link #open} repaired.
     *
     * @param line         1-based number of the torn line that was removed (0 when only a newline was added)
     * @param bytesRemoved bytes truncated away
     * @param message      a human-readable account
     */
    public record Recovery(long line, long bytesRemoved, String message) {}

    private final Path file;
    private FileChannel channel; // set once by open()
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    private final Map<StoreKey, StoreEntry> entries = new ConcurrentHashMap<>();
    private final Map<StoreKey, Integer> order = new ConcurrentHashMap<>();
    private final Map<VectorKey, StoredVectors> vectors = new ConcurrentHashMap<>();
    private Recovery recovery; // set once by open()
    private final Object writeLock = new Object();
    private boolean closed;

    private record VectorKey(StoreKey key, String encoder) {}

    private record StoredVectors(String textsHash, List<float[]> vectors) {}

    private InterestStore(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the store in a directory, verifies every line's checksum and reads it.
     * A version-1 store (no header, no checksums) is read as before and rewritten atomically in the current
     * format; {@link #recovery()} says so.
     *
     * @throws DataFormatException   naming the file and line when the file is not an interest store (no header,
     *                               another format version) or a line other than the last is damaged or invalid
     * @throws IllegalStateException when another process (or another open store in this JVM) holds the store
     */
    public static InterestStore open(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        FileChannel lockChannel = FileChannel.open(directory.resolve(FILE_NAME + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("interest store " + file + " is already open (another process or store instance)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = channel.size();
            // Validate every line before repairing anything, so a damaged or foreign file is never modified.
            // The file is read line by line: a store may outgrow what one array can hold.
            Scan scan = scan(file);
            InterestStore store = new InterestStore(file, lockChannel, lock);
            for (int i = 0; i < scan.records.size(); i++) {
                store.load(scan.records.get(i), scan.lines.get(i), scan.version);
            }
            String torn = scan.truncateAt < 0 ? "" : "removed torn last line " + scan.tornLine + " ("
                    + (size - scan.truncateAt) + " bytes: " + scan.tornProblem + ") of " + file;
            if (scan.version == 1) {
                channel.close();
                channel = null;
                AtomicFiles.write(file, out -> {
                    out.write(HEADER);
                    for (JsonObject o : scan.records) {
                        o.addProperty("v", FORMAT_VERSION);
                        out.write(store.lineBytes(o));
                    }
                });
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                store.recovery = new Recovery(scan.tornLine, scan.truncateAt < 0 ? 0 : size - scan.truncateAt,
                        "upgraded " + file + " from format version 1 to " + FORMAT_VERSION + " (header and per-line"
                                + " CRC-32)" + (torn.isEmpty() ? "" : "; " + torn));
            } else if (size == 0 || scan.tornHeader) {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(HEADER), 0);
                channel.force(true);
                if (scan.tornHeader) {
                    store.recovery = new Recovery(1, size, "rewrote the torn header line (" + size
                            + " bytes) of " + file);
                }
            } else if (scan.truncateAt >= 0) {
                long removed = size - scan.truncateAt;
                channel.truncate(scan.truncateAt);
                channel.force(true);
                store.recovery = new Recovery(scan.tornLine, removed, torn);
            } else if (scan.unterminated) {
                channel.position(channel.size());
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                channel.force(true);
                store.recovery = new Recovery(0, 0, "added the missing newline after the complete last line of " + file);
            }
            if (store.recovery != null) LOG.warn("interest store: {}", store.recovery.message());
            channel.position(channel.size());
            store.channel = channel;
            return store;
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /**
     * What a file holds, found without modifying it.
     *
     * @param version      1 (legacy, no header or checksums) or {@link #FORMAT_VERSION}
     * @param records      the entry lines, parsed, in file order
     * @param lines        their 1-based line numbers
     * @param truncateAt   byte offset of a torn last line to cut, or -1
     * @param tornLine     its line number, or 0
     * @param tornProblem  what is wrong with it
     * @param unterminated the last line lacks its newline
     * @param tornHeader   the file is nothing but the start of a header (a crash while creating it)
     */
    private record Scan(int version, List<JsonObject> records, List<Long> lines, long truncateAt, long tornLine,
                        String tornProblem, boolean unterminated, boolean tornHeader) {}

    /** The longest line a store reads; entries are a few kilobytes, so a longer line is damage. */
    static final int MAX_LINE_BYTES = 64 << 20;

    /** One line of the file without its newline, where it starts, and whether a newline ended it. */
    private record Line(byte[] bytes, long start, boolean terminated) {}

    /** Reads a file line by line, each line bounded by {@link #MAX_LINE_BYTES}. */
    private static final class LineSource implements AutoCloseable {
        private final Path file;
        private final java.io.InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int lim;
        private long offset;   // file offset of buf[pos]
        private long number;   // lines returned so far

        LineSource(Path file) throws IOException {
            this.file = file;
            this.in = Files.newInputStream(file);
        }

        Line next() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
            long start = offset;
            while (true) {
                if (pos == lim) {
                    lim = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        if (line.size() == 0) return null;
                        number++;
                        return new Line(line.toByteArray(), start, false);
                    }
                }
                int i = pos;
                while (i < lim && buf[i] != '\n') i++;
                if (line.size() + (i - pos) > MAX_LINE_BYTES) {
                    throw new DataFormatException(file, number + 1, null, "line is longer than " + MAX_LINE_BYTES
                            + " bytes; entries of an interest store are a few kilobytes");
                }
                line.write(buf, pos, i - pos);
                offset += i - pos;
                if (i < lim) {
                    pos = i + 1;
                    offset++;
                    number++;
                    return new Line(line.toByteArray(), start, true);
                }
                pos = lim;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static Scan scan(Path file) throws IOException {
        try (LineSource src = new LineSource(file)) {
            List<JsonObject> records = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            Line first = src.next();
            if (first == null) return new Scan(FORMAT_VERSION, records, lines, -1, 0, null, false, false);
            Line next = src.next();
            byte[] hb = first.bytes();
            String headerProblem = headerProblem(hb, 0, hb.length);
            int version = FORMAT_VERSION;
            Line current;
            long li;
            if (headerProblem != null) {
                if (next == null && !first.terminated() && isTornHeader(hb)) {
                    return new Scan(FORMAT_VERSION, records, lines, -1, 0, null, false, true);
                }
                JsonObject o = parseLine(new String(hb, StandardCharsets.UTF_8));
                if (o == null || !isLegacyEntry(o)) throw new DataFormatException(file, 1, null, headerProblem);
                version = 1;
                current = first;
                li = 0;
            } else {
                current = next;
                next = current == null ? null : src.next();
                li = 1;
            }
            long truncateAt = -1;
            long tornLine = 0;
            String tornProblem = null;
            boolean unterminated = current == null ? !first.terminated() : false;
            for (; current != null; current = next, next = current == null ? null : src.next(), li++) {
                byte[] b = current.bytes();
                boolean last = next == null;  // reassigned below when the last line is damage, not a tear
                if (last) unterminated = !current.terminated();
                String text = new String(b, StandardCharsets.UTF_8);
                String problem;
                JsonObject o = null;
                if (version == 1) {
                    if (text.isBlank()) continue;  // version 1 tolerated blank lines
                    o = parseLine(text);
                    problem = o == null ? "not a JSON object" : null;
                } else {
                    problem = checksumProblem(b, 0, b.length);
                    if (problem == null) {
                        o = parseLine(text);
                        // A matching checksum means this store wrote the line: unreadable JSON is not a torn write.
                        if (o == null) throw new DataFormatException(file, li + 1, null, "checksum matches but the line is not a JSON object");
                        o.remove(CRC_FIELD);
                    }
                }
                if (problem != null && last && version != 1) {
                    int merged = completeLinePrefix(b, 0, b.length);
                    if (merged > 0) {
                        // A torn append only ever cuts a line short; a whole line followed by more bytes is damage.
                        problem = "a complete entry followed by " + (b.length - merged) + " more bytes (its newline is damaged)";
                        last = false;
                    }
                }
                if (problem != null) {
                    if (!last) throw new DataFormatException(file, li + 1, null, problem);
                    truncateAt = current.start();
                    tornLine = li + 1;
                    tornProblem = problem;
                    continue;
                }
                records.add(o);
                lines.add(li + 1);
            }
            return new Scan(version, records, lines, truncateAt, tornLine, tornProblem, unterminated, false);
        }
    }

    /** Null when bytes [start, end) are this format's header line, else what is wrong. */
    private static String headerProblem(byte[] b, int start, int end) {
        String checksum = checksumProblem(b, start, end);
        JsonObject o = checksum == null ? parseLine(new String(b, start, end - start, StandardCharsets.UTF_8)) : null;
        if (o == null || !o.has("format")) {
            JsonObject any = parseLine(new String(b, start, end - start, StandardCharsets.UTF_8));
            if (any != null && any.has("format") && isString(any.get("format"), FORMAT_NAME) && checksum != null) {
                return "the store header is damaged: " + checksum;
            }
            return "not an EIMF interest store: line 1 is not the header {\"format\":\"" + FORMAT_NAME + "\",...}"
                    + " (it starts with " + printable(b, start, end) + ")";
        }
        if (!isString(o.get("format"), FORMAT_NAME)) {
            return "not an EIMF interest store: the header names format " + o.get("format");
        }
        JsonElement v = o.get("v");
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsDouble() != FORMAT_VERSION) {
            return "unsupported interest store format version " + v + " (this library reads " + FORMAT_VERSION
                    + " and upgrades 1)";
        }
        return null;
    }

    private static boolean isString(JsonElement e, String value) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() && e.getAsString().equals(value);
    }

    /** A version-1 entry line: {@code "v":1} and a type, no checksum. */
    private static boolean isLegacyEntry(JsonObject o) {
        JsonElement v = o.get("v");
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsDouble() == 1
                && o.has("type") && !o.has(CRC_FIELD);
    }

    /** The file is a strict prefix of the header line, or only zero bytes (a crash while creating the store). */
    private static boolean isTornHeader(byte[] bytes) {
        if (bytes.length < HEADER.length && Arrays.equals(bytes, 0, bytes.length, HEADER, 0, bytes.length)) return true;
        for (byte x : bytes) if (x != 0) return false;
        return true;
    }

    /** Null when bytes [start, end) end with a CRC-32 that matches the rest of the line, else what is wrong. */
    private static String checksumProblem(byte[] b, int start, int end) {
        int len = end - start;
        if (len == 0) return "empty line";
        if (len < CRC_SUFFIX_LENGTH + 2
                || !Arrays.equals(b, end - CRC_SUFFIX_LENGTH, end - CRC_SUFFIX_LENGTH + CRC_PREFIX.length, CRC_PREFIX, 0, CRC_PREFIX.length)
                || b[end - 2] != '"' || b[end - 1] != '}') {
            return "no checksum at the end of the line (a torn write, or not written by this store)";
        }
        long stored = 0;
        for (int i = end - 10; i < end - 2; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0 || (b[i] >= 'A' && b[i] <= 'F')) return "malformed checksum";
            stored = stored << 4 | d;
        }
        CRC32 crc = new CRC32();
        crc.update(b, start, len - CRC_SUFFIX_LENGTH);
        crc.update('}');
        if (crc.getValue() != stored) {
            return String.format("checksum mismatch (stored crc32 %08x, computed %08x): the line is damaged", stored,
                    crc.getValue());
        }
        return null;
    }

    /** End of the first prefix of bytes [start, end) that is a whole checksummed line, or -1. */
    private static int completeLinePrefix(byte[] b, int start, int end) {
        for (int i = start; i + CRC_SUFFIX_LENGTH < end; i++) {
            if (b[i] == ',' && Arrays.equals(b, i, i + CRC_PREFIX.length, CRC_PREFIX, 0, CRC_PREFIX.length)
                    && checksumProblem(b, start, i + CRC_SUFFIX_LENGTH) == null) {
                return i + CRC_SUFFIX_LENGTH;
            }
        }
        return -1;
    }

    /** Up to 40 characters of a line, non-printable bytes as {@code \\xNN}. */
    private static String printable(byte[] b, int start, int end) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = start; i < end && i < start + 40; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f) sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.append(end - start > 40 ? "...\"" : "\"").toString();
    }

    private static JsonObject parseLine(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** The JSONL file. */
    public Path file() {
        return file;
    }

    /** What opening the store repaired, if anything. */
    public Optional<Recovery> recovery() {
        return Optional.ofNullable(recovery);
    }

    /** The current entry for a key: the last extraction line written for it. */
    public Optional<StoreEntry> get(StoreKey key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Number of distinct keys with an extraction. */
    public int size() {
        return entries.size();
    }

    /** The current entry of every key, in order of each key's first appearance. */
    public List<StoreEntry> entries() {
        List<Map.Entry<StoreKey, Integer>> keys = new ArrayList<>(order.entrySet());
        keys.sort(Map.Entry.comparingByValue());
        List<StoreEntry> out = new ArrayList<>(keys.size());
        for (Map.Entry<StoreKey, Integer> k : keys) out.add(entries.get(k.getKey()));
        return out;
    }

    /**
     * The vectors of a key's current interests under an encoder, one per interest in interest order; empty when
     * the key has no OK entry or the stored vectors encode other texts.
     */
    public Optional<List<float[]>> vectors(StoreKey key, String encoderName) {
        StoreEntry e = entries.get(key);
        StoredVectors v = vectors.get(new VectorKey(key, encoderName));
        if (e == null || v == null || !e.ok() || !v.textsHash.equals(textsHash(e.extraction().interests()))) {
            return Optional.empty();
        }
        List<float[]> copy = new ArrayList<>(v.vectors.size());
        for (float[] f : v.vectors) copy.add(f.clone());
        return Optional.of(copy);
    }

    /** Appends an extraction; it becomes the key's current entry. Durable when this returns. */
    public void append(StoreEntry entry) throws IOException {
        JsonObject o = toJson(entry);
        synchronized (writeLock) {
            writeLine(o);
            entries.put(entry.key(), entry);
            order.putIfAbsent(entry.key(), order.size());
        }
    }

    /**
     * Appends the vectors of a key's current (OK) interests. Durable when this returns.
     *
     * @param vectors one finite vector per interest, all of the same length
     * @throws IllegalArgumentException when the key has no OK entry, the count differs or a value is not finite
     */
    public void appendVectors(StoreKey key, String encoderName, List<float[]> vectors) throws IOException {
        Objects.requireNonNull(encoderName, "encoderName");
        StoreEntry e = entries.get(key);
        if (e == null || !e.ok()) throw new IllegalArgumentException("no OK extraction stored for " + key);
        List<ExplicitInterest> interests = e.extraction().interests();
        if (vectors.size() != interests.size()) {
            throw new IllegalArgumentException(vectors.size() + " vectors for " + interests.size() + " interests of " + key);
        }
        int dim = vectors.get(0).length;
        JsonArray arr = new JsonArray();
        List<float[]> copy = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            if (v.length != dim) throw new IllegalArgumentException("vectors of " + key + " differ in length");
            JsonArray a = new JsonArray(v.length);
            for (float x : v) {
                if (!Float.isFinite(x)) throw new IllegalArgumentException("non-finite vector value for " + key);
                a.add(x);
            }
            arr.add(a);
            copy.add(v.clone());
        }
        String hash = textsHash(interests);
        JsonObject o = keyJson("vectors", key);
        o.addProperty("encoder", encoderName);
        o.addProperty("dimension", dim);
        o.addProperty("texts_sha256", hash);
        o.add("vectors", arr);
        synchronized (writeLock) {
            writeLine(o);
            this.vectors.put(new VectorKey(key, encoderName), new StoredVectors(hash, copy));
        }
    }

    private void writeLine(JsonObject o) throws IOException {
        if (closed) throw new IllegalStateException("interest store " + file + " is closed");
        ByteBuffer buf = ByteBuffer.wrap(lineBytes(o));
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(false);
    }

    /** One line: the compact JSON with {@code "crc32"} (of that JSON's UTF-8 bytes) appended as last member. */
    private byte[] lineBytes(JsonObject o) {
        return checksummed(gson.toJson(o));
    }

    private static byte[] checksummed(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        if (payload.length < 3 || payload[0] != '{' || payload[payload.length - 1] != '}') {
            throw new IllegalArgumentException("not a non-empty JSON object: " + json);
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        byte[] suffix = String.format(",\"%s\":\"%08x\"}\n", CRC_FIELD, crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(payload, payload.length - 1 + suffix.length);
        System.arraycopy(suffix, 0, line, payload.length - 1, suffix.length);
        return line;
    }

    @Override
    public void close() throws IOException {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            try {
                channel.close();
            } finally {
                try {
                    lock.release();
                } finally {
                    lockChannel.close();
                }
            }
        }
    }

    // ---- JSON mapping ----

    private static JsonObject keyJson(String type, StoreKey key) {
        JsonObject o = new JsonObject();
        o.addProperty("v", FORMAT_VERSION);
        o.addProperty("type", type);
        o.addProperty("extractor", key.extractor());
        o.addProperty("model", key.model());
        o.addProperty("prompt_hash", key.promptHash());
        return o;
    }

    private static JsonObject toJson(StoreEntry e) {
        Extraction x = e.extraction();
        JsonObject o = keyJson("extraction", e.key());
        o.addProperty("user_id", e.userId());
        o.addProperty("status", x.ok() ? "ok" : "failed");
        o.addProperty("reason", x.reason());
        JsonArray interests = new JsonArray();
        for (ExplicitInterest i : x.interests()) {
            JsonObject io = new JsonObject();
            io.addProperty("name", i.name());
            io.addProperty("description", i.description());
            JsonArray ev = new JsonArray();
            i.evidence().forEach(ev::add);
            io.add("evidence", ev);
            interests.add(io);
        }
        o.add("interests", interests);
        o.addProperty("prompt_tokens", x.promptTokens());
        o.addProperty("completion_tokens", x.completionTokens());
        o.addProperty("llm_calls", x.llmCalls());
        JsonArray msgs = new JsonArray();
        for (LlmClient.Message m : e.messages()) {
            JsonObject mo = new JsonObject();
            mo.addProperty("role", m.role());
            mo.addProperty("content", m.content());
            msgs.add(mo);
        }
        o.add("messages", msgs);
        o.add("follow_ups", strings(x.followUps()));
        o.add("responses", strings(x.responses()));
        return o;
    }

    private static JsonArray strings(List<String> list) {
        JsonArray a = new JsonArray();
        list.forEach(a::add);
        return a;
    }

    private void load(JsonObject o, long line, int version) {
        LineReader r = new LineReader(file, line, o);
        int v = r.integer("v");
        if (v != version) {
            throw new DataFormatException(file, line, "v", "format version " + v + " in a version " + version + " store");
        }
        StoreKey key = new StoreKey(r.string("extractor"), r.string("model"), r.string("prompt_hash"));
        String type = r.string("type");
        switch (type) {
            case "extraction" -> {
                StoreEntry e = readEntry(r, key);
                entries.put(key, e);
                order.putIfAbsent(key, order.size());
            }
            case "vectors" -> {
                String encoder = r.string("encoder");
                int dim = r.integer("dimension");
                List<float[]> vs = new ArrayList<>();
                JsonArray arr = r.array("vectors");
                for (int i = 0; i < arr.size(); i++) {
                    String field = "vectors[" + i + "]";
                    if (!arr.get(i).isJsonArray()) throw new DataFormatException(file, line, field, "not an array");
                    JsonArray a = arr.get(i).getAsJsonArray();
                    if (a.size() != dim) throw new DataFormatException(file, line, field, "length " + a.size() + ", expected " + dim);
                    float[] f = new float[dim];
                    for (int k = 0; k < dim; k++) f[k] = r.number(a.get(k), field + "[" + k + "]").floatValue();
                    vs.add(f);
                }
                vectors.put(new VectorKey(key, encoder), new StoredVectors(r.string("texts_sha256"), vs));
            }
            default -> throw new DataFormatException(file, line, "type", "unknown entry type '" + type + "'");
        }
    }

    private StoreEntry readEntry(LineReader r, StoreKey key) {
        String status = r.string("status");
        Extraction.Status st = switch (status) {
            case "ok" -> Extraction.Status.OK;
            case "failed" -> Extraction.Status.FAILED;
            default -> throw new DataFormatException(file, r.line, "status", "expected ok or failed, got '" + status + "'");
        };
        List<ExplicitInterest> interests = new ArrayList<>();
        JsonArray arr = r.array("interests");
        for (int i = 0; i < arr.size(); i++) {
            String field = "interests[" + i + "]";
            if (!arr.get(i).isJsonObject()) throw new DataFormatException(file, r.line, field, "not an object");
            LineReader ir = new LineReader(file, r.line, arr.get(i).getAsJsonObject(), field + ".");
            List<Integer> evidence = new ArrayList<>();
            JsonArray ev = ir.array("evidence");
            for (int k = 0; k < ev.size(); k++) evidence.add(ir.integer(ev.get(k), "evidence[" + k + "]"));
            String name = ir.string("name");
            if (name.isBlank()) throw new DataFormatException(file, r.line, field + ".name", "blank interest name");
            interests.add(new ExplicitInterest(name, ir.string("description"), evidence));
        }
        List<LlmClient.Message> messages = new ArrayList<>();
        JsonArray ms = r.array("messages");
        for (int i = 0; i < ms.size(); i++) {
            String field = "messages[" + i + "]";
            if (!ms.get(i).isJsonObject()) throw new DataFormatException(file, r.line, field, "not an object");
            LineReader mr = new LineReader(file, r.line, ms.get(i).getAsJsonObject(), field + ".");
            messages.add(new LlmClient.Message(mr.string("role"), mr.string("content")));
        }
        Extraction x;
        try {
            x = new Extraction(st, r.string("reason"), interests, r.strings("follow_ups"), r.strings("responses"),
                    r.longValue("prompt_tokens"), r.longValue("completion_tokens"), r.integer("llm_calls"));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, r.line, "interests", e.getMessage());
        }
        return new StoreEntry(key, r.string("user_id"), messages, x);
    }

    /** Field access that names the file, line and field on every problem. */
    private static final class LineReader {
        /** 2^53: every integer up to here is exact in a double. */
        private static final double MAX_EXACT_LONG = 9.007199254740992E15;

        final Path file;
        final long line;
        final JsonObject o;
        final String prefix;

        LineReader(Path file, long line, JsonObject o) {
            this(file, line, o, "");
        }

        LineReader(Path file, long line, JsonObject o, String prefix) {
            this.file = file;
            this.line = line;
            this.o = o;
            this.prefix = prefix;
        }

        private JsonElement field(String name) {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) throw new DataFormatException(file, line, prefix + name, "missing");
            return e;
        }

        String string(String name) {
            JsonElement e = field(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw new DataFormatException(file, line, prefix + name, "not a string");
            }
            return e.getAsString();
        }

        Number number(JsonElement e, String fieldName) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new DataFormatException(file, line, prefix + fieldName, "not a number");
            }
            return e.getAsNumber();
        }

        int integer(String name) {
            return integer(field(name), name);
        }

        int integer(JsonElement e, String fieldName) {
            long v = longValue(e, fieldName);
            if (v != (int) v) throw new DataFormatException(file, line, prefix + fieldName, "integer out of range: " + v);
            return (int) v;
        }

        long longValue(String name) {
            return longValue(field(name), name);
        }

        // Through double, not Number.longValue(): Gson's lazily parsed numbers turn "1e99999" into an exception or
        // a huge BigDecimal expansion there.
        long longValue(JsonElement e, String fieldName) {
            double d = number(e, fieldName).doubleValue();
            if (d != Math.rint(d) || !(Math.abs(d) <= MAX_EXACT_LONG)) {
                throw new DataFormatException(file, line, prefix + fieldName, "not an integer, or too large");
            }
            return (long) d;
        }

        JsonArray array(String name) {
            JsonElement e = field(name);
            if (!e.isJsonArray()) throw new DataFormatException(file, line, prefix + name, "not an array");
            return e.getAsJsonArray();
        }

        List<String> strings(String name) {
            JsonArray a = array(name);
            List<String> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                JsonElement e = a.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                    throw new DataFormatException(file, line, prefix + name + "[" + i + "]", "not a string");
                }
                out.add(e.getAsString());
            }
            return out;
        }
    }

    /** SHA-256 of the interests' encoder texts, each length-prefixed. */
    static String textsHash(List<ExplicitInterest> interests) {
        return Prompt.hashOf(interests.stream().map(i -> LlmClient.Message.user(i.encoderText())).toList());
    }
}
