package dev.eimf.data;

import java.util.Objects;

/**
 * One raw interaction as read from a file, before filtering and re-indexing.
 *
 * @param user      user id as it appears in the file
 * @param item      item id as it appears in the file
 * @param timestamp time of the interaction (any monotone unit; seconds for MovieLens)
 * @param rating    explicit rating, or {@link Double#NaN} when the file has none
 */
public record Interaction(String user, String item, long timestamp, double rating) {
    public Interaction {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(item, "item");
    }

    /** True when the file carried a rating. */
    public boolean hasRating() {
        return !Double.isNaN(rating);
    }
}
