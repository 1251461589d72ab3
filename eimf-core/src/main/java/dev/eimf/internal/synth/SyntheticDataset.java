package dev.eimf.internal.synth;

import dev.eimf.data.RawData;

/**
 * A generated dataset held in memory, with what was planted in it.
 *
 * @param data  the interactions (user by user, each in time order) and the item text, as a loader would give them
 * @param truth the planted topics, item topics and user mixtures
 */
public record SyntheticDataset(RawData data, GroundTruth truth) {
}
