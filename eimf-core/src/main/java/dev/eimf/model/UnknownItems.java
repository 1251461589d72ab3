package dev.eimf.model;

/** What recommending does with history item ids the model's catalogue does not know. */
public enum UnknownItems {
    /**
     * Leave them out and count them in {@link RecommendationList#unknownItems()} (the default): new items
     * and items the training data's filters dropped are part of real traffic.
     */
    SKIP,
    /** Refuse the request with an {@link IllegalArgumentException} naming the first unknown id. */
    STRICT
}
