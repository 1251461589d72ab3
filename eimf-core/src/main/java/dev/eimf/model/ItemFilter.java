package dev.eimf.model;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Which items may be recommended, by item id: an exclusion set (items already bought), a candidate
 * restriction (items in stock), or any predicate. Filters combine with {@link #and}. Items of the
 * request's own history are excluded separately ({@link RecommendRequest.Builder#excludeHistory}).
 * Filters are always called concurrently: the scoring splits large catalogues and batches over the engine's
 * threads even for one caller, so implementations must be thread-safe (the ones here are immutable).
 */
@FunctionalInterface
public interface ItemFilter {

    /** Whether {@code itemId} may be recommended. */
    boolean accepts(String itemId);

    /** Every item. */
    static ItemFilter all() {
        return id -> true;
    }

    /** Every item except these. */
    static ItemFilter exclude(Collection<String> itemIds) {
        Set<String> s = Set.copyOf(itemIds);
        return id -> !s.contains(id);
    }

    /** Only these items. */
    static ItemFilter only(Collection<String> itemIds) {
        Set<String> s = Set.copyOf(itemIds);
        return s::contains;
    }

    /** Items both filters accept. */
    default ItemFilter and(ItemFilter other) {
        Objects.requireNonNull(other, "other");
        return id -> accepts(id) && other.accepts(id);
    }
}
