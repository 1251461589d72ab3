package dev.eimf.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One category per item, the unit of diversity (ComiRec's controllable diversity and the Diversity@N
 * metric, {@code docs/METHOD.md}, section 3.8). Immutable and thread-safe.
 *
 * <p>The rule of {@link #of(ItemCatalog)}: an item's category is the first entry of
 * {@link ItemInfo#categories()} below the catalogue's common root. The root is the first entry when
 * every item that has categories starts with the same one, as Amazon Beauty's items all start with
 * {@code "Beauty"}; it is then skipped, so Amazon Beauty's category is the top-level one below it
 * ({@code "Skin Care"}, {@code "Hair Care"}, {@code "Makeup"}, ...). Otherwise nothing is skipped and the
 * category is the first entry (MovieLens: the first genre, in the order of {@code u.genre}). An item with
 * no category (or none below the root) has none: it counts as a category of its own, different from
 * every other item's.
 *
 * <p>Categories are numbered: {@link #id(int)} is the same number for two items exactly when they share a
 * category, and an item without a category gets a number no other item has.
 */
public final class ItemCategories {
    private final String[] names; // by internal id; null = no category; [0] unused
    private final int[] ids;      // by internal id; [0] unused
    private final int named;

    private ItemCategories(String[] names) {
        this.names = names;
        this.ids = new int[names.length];
        Map<String, Integer> number = new HashMap<>();
        for (int i = 1; i < names.length; i++) {
            if (names[i] != null) ids[i] = number.computeIfAbsent(names[i], k -> number.size());
        }
        this.named = number.size();
        // After the named categories, so that an item without one never shares a number.
        for (int i = 1; i < names.length; i++) {
            if (names[i] == null) ids[i] = named + i;
        }
    }

    /**
     * The categories by the rule in the class documentation.
     *
     * @param catalog the items
     * @return one category (or none) per item
     */
    public static ItemCategories of(ItemCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        String root = commonRoot(catalog.items());
        int skip = root == null ? 0 : 1;
        return of(catalog, info -> info.categories().size() > skip
                ? Optional.of(info.categories().get(skip)) : Optional.empty());
    }

    /**
     * Categories by a rule of your own.
     *
     * @param catalog the items
     * @param rule    an item's category, or empty when it has none (it then counts as its own)
     * @return one category (or none) per item
     */
    public static ItemCategories of(ItemCatalog catalog, Function<ItemInfo, Optional<String>> rule) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(rule, "rule");
        String[] names = new String[catalog.tableSize()];
        for (int i = 1; i <= catalog.size(); i++) {
            Optional<String> c = Objects.requireNonNull(rule.apply(catalog.info(i)), "rule returned null");
            names[i] = c.filter(s -> !s.isBlank()).orElse(null);
        }
        return new ItemCategories(names);
    }

    /** The first category shared by every item that has one, when there are at least two levels to choose from. */
    private static String commonRoot(List<ItemInfo> items) {
        String root = null;
        boolean deeper = false;
        for (ItemInfo info : items) {
            List<String> c = info.categories();
            if (c.isEmpty()) continue;
            if (root == null) {
                root = c.get(0);
            } else if (!root.equals(c.get(0))) {
                return null;
            }
            deeper |= c.size() > 1;
        }
        return deeper ? root : null;
    }

    /** Number of items. */
    public int size() {
        return names.length - 1;
    }

    /** Number of distinct named categories (items without one not counted). */
    public int namedCategories() {
        return named;
    }

    /** The named categories, in order of first appearance by internal id. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < names.length; i++) {
            if (names[i] != null && seen.add(names[i])) out.add(names[i]);
        }
        return out;
    }

    /**
     * The category of an item.
     *
     * @param internalId an internal id in {@code 1..size()}
     * @return its category, or empty when it has none
     */
    public Optional<String> category(int internalId) {
        check(internalId);
        return Optional.ofNullable(names[internalId]);
    }

    /**
     * The category's number: equal for two items exactly when they share a category; an item without one
     * has a number of its own.
     *
     * @param internalId an internal id in {@code 1..size()}
     * @return a non-negative number
     */
    public int id(int internalId) {
        check(internalId);
        return ids[internalId];
    }

    private void check(int id) {
        if (id < 1 || id >= names.length) {
            throw new IndexOutOfBoundsException("item id " + id + " not in 1.." + size());
        }
    }
}
