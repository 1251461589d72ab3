package dev.eimf.llm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.eimf.esim.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link TextEncoder} for any OpenAI-compatible {@code /v1/embeddings} endpoint. Texts are sent in batches
 * of {@link Builder#batchSize(int)}; each reply is put back in input order by its {@code index} field and
 * checked (every index once, one dimension for all). Retries, authentication, concurrency bound and
 * redaction are those of {@link OpenAiChatClient} (the same {@code OpenAiHttp} machinery). Thread-safe.
 *
 * <p>The vectors are returned as the server sends them (OpenAI's are already unit length).
 */
public final class OpenAiEmbeddingClient implements TextEncoder, AutoCloseable {

    private final OpenAiHttp http;
    private final int batchSize;
    private volatile int dimension;
    private final boolean dimensionConfigured;

    private OpenAiEmbeddingClient(Builder b) {
        this.http = new OpenAiHttp(b.config, b.sleeper);
        this.batchSize = b.batchSize;
        this.dimension = b.dimension;
        this.dimensionConfigured = b.dimension > 0;
    }

    /** A builder for the given server and embedding model (e.g. {@code text-embedding-3-small}). */
    public static Builder builder(OpenAiConfig config) {
        return new Builder(config);
    }

    /**
     * The vector dimension: the configured one, else the one learned from the first reply. When neither is
     * known yet this sends one short probe text to learn it.
     *
     * @throws UncheckedIOException when that probe fails
     */
    @Override
    public int dimension() {
        int d = dimension;
        if (d > 0) {
            return d;
        }
        try {
            encode(List.of("dimension probe"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not learn the embedding dimension of model '"
                    + http.config.model() + "'", e);
        }
        return dimension;
    }

    /** {@code openai:} followed by the model name. */
    @Override
    public String name() {
        return "openai:" + http.config.model();
    }

    /**
     * Encodes texts in batches, one vector per text in input order.
     *
     * @throws LlmException when a batch fails after the retries, or the server's vectors do not match
     * @throws IllegalArgumentException when a text is null
     */
    @Override
    public List<float[]> encode(List<String> texts) throws LlmException {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            JsonObject body = new JsonObject();
            body.addProperty("model", http.config.model());
            JsonArray input = new JsonArray();
            batch.forEach(input::add);
            body.add("input", input);
            int expected = dimension;
            Batch result = http.post("embeddings", body, root -> parse(root, batch.size(), expected));
            http.addTokens(result.promptTokens, 0);
            if (dimension <= 0) {
                dimension = result.vectors.get(0).length;
            }
            out.addAll(result.vectors);
        }
        return out;
    }

    /** Calls (one per batch), retries, prompt tokens and failures since this client was created. */
    public Usage usage() {
        return http.usage();
    }

    /** The configured batch size. */
    public int batchSize() {
        return batchSize;
    }

    private record Batch(List<float[]> vectors, long promptTokens) { }

    private Batch parse(JsonElement root, int n, int expectedDim) throws OpenAiHttp.MalformedBodyException {
        if (!root.isJsonObject()) {
            throw new OpenAiHttp.MalformedBodyException("expected a JSON object");
        }
        JsonElement data = root.getAsJsonObject().get("data");
        if (data == null || !data.isJsonArray()) {
            throw new OpenAiHttp.MalformedBodyException("no data array in the reply");
        }
        JsonArray items = data.getAsJsonArray();
        if (items.size() != n) {
            throw new OpenAiHttp.MalformedBodyException("sent " + n + " texts but got " + items.size() + " vectors");
        }
        float[][] vectors = new float[n][];
        int dim = expectedDim;
        for (int k = 0; k < n; k++) {
            JsonElement item = items.get(k);
            if (!item.isJsonObject()) {
                throw new OpenAiHttp.MalformedBodyException("data[" + k + "] is not an object");
            }
            JsonObject o = item.getAsJsonObject();
            JsonElement idx = o.get("index");
            // Servers that omit the index list the vectors in input order.
            int index = idx == null || idx.isJsonNull() ? k : idx.getAsInt();
            if (index < 0 || index >= n) {
                throw new OpenAiHttp.MalformedBodyException("data[" + k + "].index " + index + " is outside [0, " + n + ")");
            }
            if (vectors[index] != null) {
                throw new OpenAiHttp.MalformedBodyException("data[" + k + "].index " + index + " appears twice");
            }
            JsonElement emb = o.get("embedding");
            if (emb == null || !emb.isJsonArray() || emb.getAsJsonArray().isEmpty()) {
                throw new OpenAiHttp.MalformedBodyException("data[" + k + "].embedding is missing or not a"
                        + " non-empty array of numbers (base64 encoding is not supported)");
            }
            JsonArray arr = emb.getAsJsonArray();
            if (dim <= 0) {
                dim = arr.size();
            } else if (arr.size() != dim) {
                throw new OpenAiHttp.MalformedBodyException("data[" + k + "].embedding has dimension " + arr.size()
                        + " but " + dim + " was " + (dimensionConfigured ? "configured" : "seen before")
                        + " for model '" + http.config.model() + "'", false);
            }
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = arr.get(j).getAsFloat();
                if (!Float.isFinite(v[j])) {
                    // 1e999 parses as infinity; such a vector would poison every similarity computed with it.
                    throw new OpenAiHttp.MalformedBodyException("data[" + k + "].embedding[" + j + "] is not a finite"
                            + " float");
                }
            }
            vectors[index] = v;
        }
        long prompt = 0;
        JsonElement usage = root.getAsJsonObject().get("usage");
        if (usage != null && usage.isJsonObject()) {
            prompt = OpenAiChatClient.longOrZero(usage.getAsJsonObject().get("prompt_tokens"));
        }
        return new Batch(List.of(vectors), prompt);
    }

    /** Releases pooled connections. */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddingClient{batchSize=" + batchSize + ", dimension=" + dimension + ", " + http.config + '}';
    }

    /** Builder of {@link OpenAiEmbeddingClient}. */
    public static final class Builder {
        private final OpenAiConfig config;
        private int batchSize = 64;
        private int dimension = 0;
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(OpenAiConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Texts per request, default 64 (OpenAI accepts up to 2048). */
        public Builder batchSize(int batchSize) { this.batchSize = batchSize; return this; }

        /** The expected dimension; 0 (default) learns it from the first reply. */
        public Builder dimension(int dimension) { this.dimension = dimension; return this; }

        /** How to wait between retries (default: really sleep). */
        public Builder sleeper(Sleeper sleeper) { this.sleeper = Objects.requireNonNull(sleeper, "sleeper"); return this; }

        /** Validates and builds. */
        public OpenAiEmbeddingClient build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("OpenAiEmbeddingClient.batchSize must be >= 1, got " + batchSize);
            }
            if (dimension < 0) {
                throw new IllegalArgumentException("OpenAiEmbeddingClient.dimension must be >= 0, got " + dimension);
            }
            return new OpenAiEmbeddingClient(this);
        }
    }
}
