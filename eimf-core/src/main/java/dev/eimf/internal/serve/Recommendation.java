package dev.eimf.internal.serve;

import dev.eimf.data.ItemInfo;
import java.util.Objects;

/**
 * A recommended item as shown to a caller: the scored item plus what the catalogue knows about it.
 *
 * @param itemId     internal item id
 * @param externalId the item id as it appears in the data files
 * @param title      the item's title, or {@code ""} when unknown
 * @param label      a one-line human label ({@link ItemInfo#label()}): title, else categories, else brand, else id
 * @param score      the score {@code max_k <v_k, e_item>}
 * @param interest   index of the interest that produced the score, so the recommendation can be
 *                   explained by (or grouped under) that interest
 */
public record Recommendation(int itemId, String externalId, String title, String label, float score, int interest) {
    public Recommendation {
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(label, "label");
    }

    /** Joins a scored item with its catalogue entry. */
    public static Recommendation of(ScoredItem item, ItemInfo info) {
        return new Recommendation(item.itemId(), info.externalId(), info.title(), info.label(), item.score(),
                item.interest());
    }
}
