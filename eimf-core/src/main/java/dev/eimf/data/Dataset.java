package dev.eimf.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Preprocessed data: one time-ordered sequence of internal item ids per user, and the item catalogue.
 * Internal item ids are 1-based and ranked by descending frequency (id 1 is the most frequent item);
 * 0 is padding. Arrays handed out are the dataset's own: treat them as read-only.
 */
public final class Dataset {
    private final String name;
    private final String[] users;
    private final int[][] sequences;
    private final ItemCatalog catalog;
    private final int[] itemCounts;
    private final long interactions;

    /**
     * @param name      short dataset name
     * @param users     external user ids, index = internal user id (0-based)
     * @param sequences per user, internal item ids oldest first
     * @param catalog   the item catalogue
     */
    public Dataset(String name, String[] users, int[][] sequences, ItemCatalog catalog) {
        this.name = Objects.requireNonNull(name, "name");
        if (users.length != sequences.length) {
            throw new IllegalArgumentException("users and sequences differ in length");
        }
        this.users = users.clone();
        this.sequences = sequences.clone();
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.itemCounts = new int[catalog.tableSize()];
        long total = 0;
        for (int u = 0; u < sequences.length; u++) {
            for (int item : sequences[u]) {
                if (item < 1 || item > catalog.size()) {
                    throw new IllegalArgumentException("user " + users[u] + " has item id " + item
                            + " outside 1.." + catalog.size());
                }
                itemCounts[item]++;
            }
            total += sequences[u].length;
        }
        this.interactions = total;
    }

    /** Dataset name. */
    public String name() { return name; }

    /** Number of users. */
    public int numUsers() { return users.length; }

    /** Number of real items (item table size is this plus one). */
    public int numItems() { return catalog.size(); }

    /** Total interactions. */
    public long numInteractions() { return interactions; }

    /** External id of a 0-based internal user id. */
    public String userId(int user) { return users[user]; }

    /** Time-ordered internal item ids of a user, oldest first. Read-only. */
    public int[] sequence(int user) { return sequences[user]; }

    /** All sequences, index = internal user id. Read-only. */
    public int[][] sequences() { return sequences; }

    /** Item catalogue. */
    public ItemCatalog catalog() { return catalog; }

    /** Interaction count per internal item id (index 0 is padding and holds 0). Read-only copy. */
    public int[] itemCounts() { return itemCounts.clone(); }

    /** Summary counts. */
    public DatasetStats stats() {
        return DatasetStats.of(users.length, catalog.size(), Arrays.stream(sequences).mapToInt(s -> s.length).toArray());
    }
}
