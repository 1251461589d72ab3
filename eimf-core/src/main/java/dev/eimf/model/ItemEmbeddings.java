package dev.eimf.model;

import java.util.List;

/**
 * The model's item embeddings, one row of d floats per item, in the order of {@code itemIds}.
 *
 * @param itemIds the item ids as in the training data
 * @param vectors one embedding per item
 */
public record ItemEmbeddings(List<String> itemIds, float[][] vectors) {
    /** Copies the id list; checks the sizes agree. */
    public ItemEmbeddings {
        itemIds = List.copyOf(itemIds);
        if (vectors.length != itemIds.size()) {
            throw new IllegalArgumentException(itemIds.size() + " ids but " + vectors.length + " vectors");
        }
    }
}
