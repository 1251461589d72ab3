package dev.eimf.esim;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import dev.eimf.data.ItemInfo;

/**
 * How an item's category list is read. {@link ItemInfo#categories()} holds either a hierarchy (Amazon:
 * {@code Beauty > Makeup > Lips}) or independent tags (MovieLens genres); prompts render the first as
 * {@code A > B} and the second as {@code A, B}, and the metadata extractor labels interests accordingly.
 */
public enum CategoryMode {
    /** A hierarchy, most general first. */
    PATH,
    /** Independent tags such as genres. */
    TAGS,
    /** {@link #detect(Collection)} on each history; detecting once on the whole catalogue is more robust. */
    AUTO;

    /**
     * PATH when at least 90% of the items with categories share the same first category and their lists have
     * at least two levels on average (a common root such as "Beauty"); TAGS otherwise.
     */
    public static CategoryMode detect(Collection<ItemInfo> items) {
        Map<String, Integer> firsts = new HashMap<>();
        int withCats = 0;
        long levels = 0;
        for (ItemInfo it : items) {
            if (it.categories().isEmpty()) continue;
            withCats++;
            levels += it.categories().size();
            firsts.merge(it.categories().get(0), 1, Integer::sum);
        }
        if (withCats == 0) return TAGS;
        int top = firsts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return top >= 0.9 * withCats && levels >= 2L * withCats ? PATH : TAGS;
    }

    /** This mode, or the detected one for {@code items} when this is {@link #AUTO}. */
    public CategoryMode resolve(Collection<ItemInfo> items) {
        return this == AUTO ? detect(items) : this;
    }

    /** The separator used when rendering a category list in this (resolved) mode. */
    String separator() {
        return this == TAGS ? ", " : " > ";
    }
}
