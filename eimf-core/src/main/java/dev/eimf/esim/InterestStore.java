package dev.eimf.esim;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.eimf.data.DataFormatException;

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
 * <p>Crash safety: every append is one write of a complete line followed by {@link FileChannel#force}. On open,
 * a last line that is not valid JSON (a torn write) is reported, logged and truncated away; a valid last line
 * that only lacks its newline gets one. An invalid line anywhere else is a {@link DataFormatException}
 * naming the file and line: such damage is not a torn append and is left for a person to look at. A lock file
 * keeps two processes from appending to the same store. Appends and lookups are thread-safe.
 */
public final class InterestStore implements AutoCloseable {
    /** The file name inside the store directory. */
    public static final String FILE_NAME = "interests.jsonl";
    private static final int FORMAT_VERSION = 1;
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
    private final FileChannel channel;
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

    private InterestStore(Path file, FileChannel channel, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the store in a directory and reads every line.
     *
     * @throws DataFormatException   when a line other than the last is not a valid entry
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
            byte[] bytes = Files.readAllBytes(file);
            List<int[]> spans = new ArrayList<>(); // [start, end) of each line, without '\n'
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    spans.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            boolean unterminated = start < bytes.length;
            if (unterminated) spans.add(new int[] {start, bytes.length});
            // Validate every line before repairing anything, so a damaged file is never modified.
            long truncateAt = -1;
            long tornLine = 0;
            List<JsonObject> parsed = new ArrayList<>(spans.size());
            for (int li = 0; li < spans.size(); li++) {
                int[] s = spans.get(li);
                String text = new String(bytes, s[0], s[1] - s[0], StandardCharsets.UTF_8);
                boolean last = li == spans.size() - 1;
                JsonObject o = text.isBlank() ? null : parseLine(text);
                if (o == null && !text.isBlank()) {
                    if (!last) throw new DataFormatException(file, li + 1, null, "not a JSON object");
                    truncateAt = s[0];
                    tornLine = li + 1;
                }
                parsed.add(o);
            }
            InterestStore store = new InterestStore(file, channel, lockChannel, lock);
            for (int li = 0; li < parsed.size(); li++) {
                if (parsed.get(li) != null) store.load(parsed.get(li), li + 1);
            }
            if (truncateAt >= 0) {
                long removed = bytes.length - truncateAt;
                channel.truncate(truncateAt);
                channel.force(true);
                store.recovery = new Recovery(tornLine, removed, "removed torn last line " + tornLine + " (" + removed
                        + " bytes) of " + file);
                LOG.warn("interest store: {}", store.recovery.message());
            } else if (unterminated) {
                channel.position(channel.size());
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                channel.force(true);
                store.recovery = new Recovery(0, 0, "added the missing newline after the complete last line of " + file);
                LOG.warn("interest store: {}", store.recovery.message());
            }
            channel.position(channel.size());
            return store;
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            lock.release();
            lockChannel.close();
            throw e;
        }
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
        byte[] line = (gson.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) channel.write(buf);
        channel.force(false);
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

    private void load(JsonObject o, long line) {
        LineReader r = new LineReader(file, line, o);
        int v = r.integer("v");
        if (v != FORMAT_VERSION) throw new DataFormatException(file, line, "v", "unsupported format version " + v);
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
            for (int k = 0; k < ev.size(); k++) evidence.add(ir.number(ev.get(k), field + ".evidence[" + k + "]").intValue());
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
            return Math.toIntExact(longValue(name));
        }

        long longValue(String name) {
            Number n = number(field(name), name);
            double d = n.doubleValue();
            if (d != Math.rint(d)) throw new DataFormatException(file, line, prefix + name, "not an integer");
            return n.longValue();
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
