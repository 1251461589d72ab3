package dev.eimf.llm;

import dev.eimf.esim.TextEncoder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link TextEncoder} over any LangChain4j {@link EmbeddingModel} (OpenAI, Ollama, Vertex AI, an in-process
 * ONNX model, ...).
 *
 * <pre>{@code TextEncoder enc = LangChain4jTextEncoder.of(OpenAiEmbeddingModel.builder().apiKey(key).modelName("text-embedding-3-small").build());}</pre>
 *
 * <p>One {@link #encode} call is one {@link EmbeddingModel#embedAll} call (the model splits it into batches
 * where its provider needs to); vectors are returned as the model gives them, in input order. The
 * {@link #name()} is {@code langchain4j:} followed by the model name and the dimension, so vectors of
 * different models or sizes never share a cache key.
 *
 * <p>Any runtime exception the model throws while encoding becomes an {@link IOException} naming the model,
 * and so does a reply with the wrong number of vectors or a vector of the wrong length. Thread-safe when
 * the embedding model is.
 */
public final class LangChain4jTextEncoder implements TextEncoder {

    private final EmbeddingModel model;
    private final String modelName;
    private final int dimension;

    private LangChain4jTextEncoder(EmbeddingModel model, String modelName, int dimension) {
        this.model = model;
        this.modelName = modelName;
        this.dimension = dimension;
    }

    /**
     * An encoder named after {@link EmbeddingModel#modelName()} (the model's class name when it reports none),
     * with the dimension from {@link EmbeddingModel#dimension()}. Models that do not know their dimension
     * embed a probe text to find it, so this may make one request.
     *
     * @param model the LangChain4j embedding model
     * @return the encoder
     * @throws IllegalStateException when the dimension cannot be determined (the probe failed)
     */
    public static LangChain4jTextEncoder of(EmbeddingModel model) {
        Objects.requireNonNull(model, "model");
        String name = model.modelName();
        if (name == null || name.isBlank() || name.equals("unknown")) {
            name = LangChain4jLlmClient.className(model);
        }
        int dim;
        try {
            dim = model.dimension();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not determine the dimension of LangChain4j embedding model '"
                    + name + "' (pass it to LangChain4jTextEncoder.of(model, name, dimension)): " + e, e);
        }
        return of(model, name, dim);
    }

    /**
     * An encoder with the given model name and dimension: no probe request.
     *
     * @param model     the LangChain4j embedding model
     * @param modelName a stable, non-blank name of the model and its settings
     * @param dimension the length of the model's vectors, positive
     * @return the encoder
     */
    public static LangChain4jTextEncoder of(EmbeddingModel model, String modelName, int dimension) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("modelName is blank");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        return new LangChain4jTextEncoder(model, modelName, dimension);
    }

    /** The embedding model this encoder calls. */
    public EmbeddingModel embeddingModel() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** {@code langchain4j:MODEL:DIMENSION}. */
    @Override
    public String name() {
        return "langchain4j:" + modelName + ":" + dimension;
    }

    /**
     * Encodes texts, one vector per text in input order.
     *
     * @throws IOException              when the model fails or its reply does not match the texts
     * @throws IllegalArgumentException when a text is null or blank (LangChain4j has nothing to embed)
     */
    @Override
    public List<float[]> encode(List<String> texts) throws IOException {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = segments(texts);
        Response<List<Embedding>> response;
        try {
            response = model.embedAll(segments);
        } catch (RuntimeException e) {
            throw new IOException("LangChain4j embedding model '" + modelName + "' failed: " + e, e);
        }
        List<Embedding> embeddings = response == null ? null : response.content();
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw new IOException("LangChain4j embedding model '" + modelName + "' returned "
                    + (embeddings == null ? "no" : embeddings.size()) + " vectors for " + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            Embedding e = embeddings.get(i);
            float[] v = e == null ? null : e.vector();
            if (v == null || v.length != dimension) {
                throw new IOException("LangChain4j embedding model '" + modelName + "' returned a vector of length "
                        + (v == null ? 0 : v.length) + " for texts[" + i + "], expected " + dimension);
            }
            out.add(v.clone());
        }
        return out;
    }

    @Override
    public String toString() {
        return "LangChain4jTextEncoder{" + name() + '}';
    }

    /** The texts as LangChain4j segments; a null or blank text is refused by index, since it has nothing to embed. */
    static List<TextSegment> segments(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("texts[" + i + "] is " + (t == null ? "null" : "blank"));
            }
            segments.add(TextSegment.from(t));
        }
        return segments;
    }
}
