package dev.eimf.esim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;

/**
 * One user's interaction history as the extractors see it: item text, oldest first.
 *
 * @param userId the user's id
 * @param items  the items, oldest first
 */
public record UserHistory(String userId, List<ItemInfo> items) {
    public UserHistory {
        Objects.requireNonNull(userId, "userId");
        items = List.copyOf(items);
    }

    /**
     * A history from internal item ids.
     *
     * @param sequence internal item ids in {@code 1..catalog.size()}, oldest first
     */
    public static UserHistory of(String userId, int[] sequence, ItemCatalog catalog) {
        List<ItemInfo> items = new ArrayList<>(sequence.length);
        for (int id : sequence) items.add(catalog.info(id));
        return new UserHistory(userId, items);
    }

    /** Number of items. */
    public int size() {
        return items.size();
    }

    /** The most recent {@code max} items (all when there are fewer), oldest first. */
    public List<ItemInfo> recent(int max) {
        if (max < 1) throw new IllegalArgumentException("max must be >= 1, got " + max);
        return items.size() <= max ? items : items.subList(items.size() - max, items.size());
    }
}
