package dev.eimf.internal.esim;

import dev.eimf.esim.Prompt;

/**
 * Counts of one {@link EsimRunner#run} call.
 *
 * @param typicalUsers     users asked for
 * @param llmCalls         chat requests sent in this run, repairs included
 * @param cached           users whose extraction came from the store
 * @param failed           users without usable interests (or vectors) after this run
 * @param promptTokens     prompt tokens spent in this run
 * @param completionTokens completion tokens spent in this run
 * @param seconds          wall-clock time of the run
 */
public record EsimStats(int typicalUsers, int llmCalls, int cached, int failed, long promptTokens,
                        long completionTokens, double seconds) {
    /** Prompt plus completion tokens. */
    public long tokens() {
        return promptTokens + completionTokens;
    }
}
