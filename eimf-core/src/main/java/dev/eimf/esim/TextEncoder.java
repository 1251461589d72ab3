package dev.eimf.esim;

import java.io.IOException;
import java.util.List;

/**
 * Turns text into fixed-size vectors. Implementations: the deterministic hashing encoder (core), the
 * OpenAI-compatible embeddings client and the in-JVM MiniLM model ({@code eimf-llm}), or the user's own.
 */
public interface TextEncoder {
    /** Output dimension D. */
    int dimension();

    /** A stable name (model and settings), used in cache keys. */
    String name();

    /**
     * Encodes texts, one vector of length {@link #dimension()} per text, in input order.
     *
     * @throws IOException when a remote encoder fails after its retries
     */
    List<float[]> encode(List<String> texts) throws IOException;
}
