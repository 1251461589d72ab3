package dev.eimf.esim;

import dev.eimf.internal.esim.InterestStore;

import java.io.IOException;

/**
 * Turns one user's history into explicit interests with provenance (docs/METHOD.md, sections 4.3 to 4.5).
 *
 * <p>Extraction is split in two so that callers can look a request up in the interest store, keyed by
 * ({@link #name()}, {@link #modelName()}, {@link ExtractionRequest#promptHash()}), before paying for it.
 * Implementations: {@link LlmInterestExtractor} and the offline {@link MetadataInterestExtractor}.
 */
public interface InterestExtractor {
    /** The extractor kind, stored with every entry: {@code "llm"}, {@code "metadata"}, or the user's own. */
    String name();

    /** The model (and settings that change answers) behind the extractor; part of the cache key. */
    String modelName();

    /**
     * Prepares the input for a history; cheap and deterministic.
     *
     * @throws IllegalArgumentException when the history cannot be used (e.g. empty)
     */
    ExtractionRequest prepare(UserHistory history);

    /**
     * Runs the extraction. An unusable answer is a {@link Extraction.Status#FAILED} result, not an exception.
     *
     * @throws IOException when a remote service fails after its retries
     */
    Extraction extract(ExtractionRequest request) throws IOException;

    /** {@link #prepare} then {@link #extract(ExtractionRequest)}. */
    default Extraction extract(UserHistory history) throws IOException {
        return extract(prepare(history));
    }

    /**
     * This extractor asking for {@code k} interests, the model's K. The trainer calls it so that K is set
     * once, on the backbone; an extractor whose number of interests was set explicitly keeps it and
     * returns itself, and so does the default.
     *
     * @param k the number of interests of the model being trained
     */
    default InterestExtractor withInterests(int k) {
        return this;
    }

}
