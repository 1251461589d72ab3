package dev.eimf.internal.synth;

import java.util.List;
import java.util.Map;

/**
 * What {@link SyntheticGenerator} planted: the topics, each item's topic and each user's topic mixture.
 *
 * @param topics     all topics, by index
 * @param itemTopics topic index of every item, keyed by external item id
 * @param users      planted interests keyed by external user id
 */
public record GroundTruth(List<Topic> topics, Map<String, Integer> itemTopics, Map<String, UserProfile> users) {
    public GroundTruth {
        topics = List.copyOf(topics);
        itemTopics = Map.copyOf(itemTopics);
        users = Map.copyOf(users);
    }

    /** The topic of an item. */
    public Topic topicOf(String itemId) {
        Integer t = itemTopics.get(itemId);
        if (t == null) throw new IllegalArgumentException("unknown item '" + itemId + "'");
        return topics.get(t);
    }
}
