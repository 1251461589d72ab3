package dev.eimf.model;

import java.util.List;

/**
 * The answer to one {@link RecommendRequest}.
 *
 * @param items        the recommendations, best first
 * @param unknownItems how many history ids the model did not know and skipped
 * @param fallback     true when no history item was known, so the list is the most popular items of the
 *                     training data (after the filters) instead of a personal ranking
 */
public record RecommendationList(List<Recommendation> items, int unknownItems, boolean fallback) {
    /** Copies. */
    public RecommendationList {
        items = List.copyOf(items);
    }

    /** The recommended item ids, best first. */
    public List<String> itemIds() {
        return items.stream().map(Recommendation::itemId).toList();
    }
}
