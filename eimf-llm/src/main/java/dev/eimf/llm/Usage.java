package dev.eimf.llm;

/**
 * Totals of a client since it was created.
 *
 * @param calls            logical requests started (one {@code chat} call, or one embeddings batch)
 * @param retries          extra HTTP attempts made after a failed one (so HTTP attempts = calls + retries)
 * @param promptTokens     prompt tokens reported by the server, summed over successful calls
 * @param completionTokens completion tokens reported by the server, summed over successful calls
 * @param failures         logical requests that ended in an exception
 */
public record Usage(long calls, long retries, long promptTokens, long completionTokens, long failures) {
    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
