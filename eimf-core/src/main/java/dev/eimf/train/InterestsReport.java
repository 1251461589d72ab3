package dev.eimf.train;

/**
 * What the explicit-interest stage did.
 *
 * @param typicalUsers       typical users chosen
 * @param clusters           clusters they came from
 * @param extractorCalls     calls made to the extractor's service (an LLM's chat calls; 0 for offline)
 * @param reused             users whose interests came from the interest store
 * @param failed             users whose extraction failed (they get no explicit interests)
 * @param usersWithOwnTargets training users with their own explicit interests
 * @param usersWithPropagated training users who inherited their cluster's interests
 * @param seconds            wall-clock seconds of selection and extraction
 */
public record InterestsReport(int typicalUsers, int clusters, int extractorCalls, int reused, int failed,
                              int usersWithOwnTargets, int usersWithPropagated, double seconds) {
}
