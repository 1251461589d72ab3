package dev.eimf.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns {@link RawData} into a {@link Dataset}:
 * <ol>
 *   <li>optional rating filter ({@link PreprocessConfig#minRating()});</li>
 *   <li>iterative k-core: users with fewer than {@code userCore} and items with fewer than {@code itemCore}
 *       interactions are removed, repeatedly, until every remaining user and item qualifies;</li>
 *   <li>items are numbered 1..M by descending interaction count, ties in order of the item's first appearance
 *       in the raw file (all lines, before filtering); users are numbered 0..N-1 in order of first appearance
 *       in the raw file;</li>
 *   <li>each user's interactions are sorted by timestamp with a stable sort, so equal timestamps keep file
 *       order.</li>
 * </ol>
 * Repeated (user, item) pairs stay separate interactions: re-watching or re-buying is behaviour a sequential
 * model should see, and both count towards the k-core. Item text comes from the raw item metadata; items
 * without any get {@link ItemInfo#idOnly(String)}. Deterministic: the same input gives the same dataset.
 */
public final class Preprocessor {
    private final PreprocessConfig config;

    /** A preprocessor with the given configuration. */
    public Preprocessor(PreprocessConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A preprocessor with {@link PreprocessConfig#defaults()}. */
    public Preprocessor() {
        this(PreprocessConfig.defaults());
    }

    /** The configuration. */
    public PreprocessConfig config() {
        return config;
    }

    /**
     * Counts of the raw data before any filtering: distinct users, distinct items that occur in interactions
     * (not item metadata rows), interactions, and per-user sequence lengths.
     */
    public static DatasetStats rawStats(RawData raw) {
        Map<String, Integer> users = new HashMap<>();
        Map<String, Boolean> items = new HashMap<>();
        int[] lengths = new int[16];
        for (Interaction in : raw.interactions()) {
            Integer u = users.putIfAbsent(in.user(), users.size());
            int idx = u == null ? users.size() - 1 : u;
            if (idx >= lengths.length) lengths = Arrays.copyOf(lengths, lengths.length * 2);
            lengths[idx]++;
            items.putIfAbsent(in.item(), Boolean.TRUE);
        }
        return DatasetStats.of(users.size(), items.size(), Arrays.copyOf(lengths, users.size()));
    }

    /**
     * Filters, re-indexes and orders the raw data.
     *
     * @throws IllegalArgumentException if no interaction survives the filters
     */
    public Dataset process(RawData raw) {
        List<Interaction> rows = raw.interactions();
        int n = rows.size();
        // Dense indexes in order of first appearance; they carry the tie-break order for users and items.
        Map<String, Integer> userIndex = new HashMap<>();
        Map<String, Integer> itemIndex = new HashMap<>();
        List<String> userNames = new ArrayList<>();
        List<String> itemNames = new ArrayList<>();
        int[] user = new int[n];
        int[] item = new int[n];
        boolean[] keep = new boolean[n];
        double min = config.minRating().orElse(Double.NaN);
        for (int i = 0; i < n; i++) {
            Interaction in = rows.get(i);
            user[i] = userIndex.computeIfAbsent(in.user(), k -> { userNames.add(k); return userNames.size() - 1; });
            item[i] = itemIndex.computeIfAbsent(in.item(), k -> { itemNames.add(k); return itemNames.size() - 1; });
            keep[i] = Double.isNaN(min) || (in.hasRating() && in.rating() >= min);
        }
        int[] userCount = new int[userNames.size()];
        int[] itemCount = new int[itemNames.size()];
        kCore(user, item, keep, userCount, itemCount, config.userCore(), config.itemCore());

        Integer[] itemOrder = new Integer[itemNames.size()];
        int kept = 0;
        for (int it = 0; it < itemCount.length; it++) {
            if (itemCount[it] > 0) itemOrder[kept++] = it;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no interaction of " + raw.name() + " survives " + config);
        }
        Integer[] ranked = Arrays.copyOf(itemOrder, kept);
        // Stable sort of first-appearance order: equal counts keep first-appearance order.
        Arrays.sort(ranked, Comparator.comparingInt((Integer it) -> -itemCount[it]));
        int[] internal = new int[itemNames.size()];
        List<ItemInfo> infos = new ArrayList<>(kept);
        for (int r = 0; r < kept; r++) {
            int it = ranked[r];
            internal[it] = r + 1;
            String ext = itemNames.get(it);
            ItemInfo info = raw.items().get(ext);
            infos.add(info != null ? info : ItemInfo.idOnly(ext));
        }

        int[] userRow = new int[userNames.size()];
        Arrays.fill(userRow, -1);
        List<String> users = new ArrayList<>();
        for (int u = 0; u < userCount.length; u++) {
            if (userCount[u] > 0) {
                userRow[u] = users.size();
                users.add(userNames.get(u));
            }
        }
        int[][] rowsOf = new int[users.size()][];
        int[] fill = new int[users.size()];
        for (int u = 0; u < userCount.length; u++) {
            if (userRow[u] >= 0) rowsOf[userRow[u]] = new int[userCount[u]];
        }
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                int r = userRow[user[i]];
                rowsOf[r][fill[r]++] = i;
            }
        }
        int[][] sequences = new int[users.size()][];
        for (int r = 0; r < rowsOf.length; r++) {
            sequences[r] = orderedItems(rowsOf[r], rows, item, internal);
        }
        return new Dataset(raw.name(), users.toArray(String[]::new), sequences, new ItemCatalog(infos));
    }

    /** Internal item ids of one user's rows (given in file order), stably sorted by timestamp. */
    private static int[] orderedItems(int[] fileRows, List<Interaction> rows, int[] item, int[] internal) {
        int m = fileRows.length;
        long[] ts = new long[m];
        boolean sorted = true;
        for (int j = 0; j < m; j++) {
            ts[j] = rows.get(fileRows[j]).timestamp();
            if (j > 0 && ts[j] < ts[j - 1]) sorted = false;
        }
        int[] out = new int[m];
        if (sorted) {
            for (int j = 0; j < m; j++) out[j] = internal[item[fileRows[j]]];
            return out;
        }
        Integer[] pos = new Integer[m];
        for (int j = 0; j < m; j++) pos[j] = j;
        Arrays.sort(pos, Comparator.comparingLong((Integer j) -> ts[j])); // TimSort: stable
        for (int j = 0; j < m; j++) out[j] = internal[item[fileRows[pos[j]]]];
        return out;
    }

    /**
     * Clears {@code keep} for rows of users or items below their core, repeating until nothing changes (removing
     * a user can push an item below its core and the other way round). Leaves the final counts in the arrays.
     */
    static void kCore(int[] user, int[] item, boolean[] keep, int[] userCount, int[] itemCount, int ku, int ki) {
        int n = keep.length;
        boolean changed = true;
        while (true) {
            Arrays.fill(userCount, 0);
            Arrays.fill(itemCount, 0);
            for (int i = 0; i < n; i++) {
                if (keep[i]) {
                    userCount[user[i]]++;
                    itemCount[item[i]]++;
                }
            }
            if (!changed) return;
            changed = false;
            for (int i = 0; i < n; i++) {
                if (keep[i] && (userCount[user[i]] < ku || itemCount[item[i]] < ki)) {
                    keep[i] = false;
                    changed = true;
                }
            }
        }
    }
}
