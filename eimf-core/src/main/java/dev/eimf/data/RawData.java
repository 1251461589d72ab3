package dev.eimf.data;

import dev.eimf.internal.data.DatasetLoader;

import java.util.List;
import java.util.Map;

/**
 * What a {@link DatasetLoader} read: the interactions in file order, item metadata by external id,
 * and a report of every line skipped in lenient mode.
 *
 * @param name         a short dataset name (usually the directory name)
 * @param interactions interactions in file order
 * @param items        metadata keyed by external item id; may lack items that appear in interactions
 * @param report       skipped lines, by reason
 */
public record RawData(String name, List<Interaction> interactions, Map<String, ItemInfo> items, LoadReport report) {
    public RawData {
        interactions = List.copyOf(interactions);
        items = Map.copyOf(items);
    }
}
