package dev.eimf.internal.synth;

import java.util.List;

/**
 * The planted interests of one synthetic user.
 *
 * @param userId  the user's external id
 * @param topics  topic indexes the user mixes, distinct
 * @param weights the mixing weight of each topic, same order, summing to 1
 */
public record UserProfile(String userId, List<Integer> topics, List<Double> weights) {
    public UserProfile {
        topics = List.copyOf(topics);
        weights = List.copyOf(weights);
        if (topics.size() != weights.size()) {
            throw new IllegalArgumentException("topics and weights differ in length");
        }
    }

    /** True when {@code topic} is one of the user's planted topics. */
    public boolean has(int topic) {
        return topics.contains(topic);
    }
}
