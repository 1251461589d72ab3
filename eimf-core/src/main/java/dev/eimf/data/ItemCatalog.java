package dev.eimf.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The item id mapping and each item's text. Internal ids run from 1 to {@link #size()}; id 0 is the
 * padding id and maps to no item. Immutable and thread-safe.
 */
public final class ItemCatalog {
    private final String[] externalIds; // index = internal id, [0] = null
    private final ItemInfo[] infos;     // index = internal id, [0] = null
    private final Map<String, Integer> byExternal;

    /**
     * @param items item metadata in internal-id order: element 0 becomes internal id 1
     */
    public ItemCatalog(List<ItemInfo> items) {
        int n = items.size();
        externalIds = new String[n + 1];
        infos = new ItemInfo[n + 1];
        byExternal = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            ItemInfo info = Objects.requireNonNull(items.get(i), "item");
            externalIds[i + 1] = info.externalId();
            infos[i + 1] = info;
            if (byExternal.put(info.externalId(), i + 1) != null) {
                throw new IllegalArgumentException("duplicate external item id: " + info.externalId());
            }
        }
    }

    /** Number of real items (excluding padding). */
    public int size() {
        return externalIds.length - 1;
    }

    /** Size of an item table that includes the padding row: {@code size() + 1}. */
    public int tableSize() {
        return externalIds.length;
    }

    /** External id of an internal id in {@code 1..size()}. */
    public String externalId(int internalId) {
        check(internalId);
        return externalIds[internalId];
    }

    /** Text of an internal id in {@code 1..size()}. */
    public ItemInfo info(int internalId) {
        check(internalId);
        return infos[internalId];
    }

    /** Internal id of an external id, if the item survived preprocessing. */
    public Optional<Integer> internalId(String externalId) {
        return Optional.ofNullable(byExternal.get(externalId));
    }

    /** All items in internal-id order (element 0 is internal id 1). */
    public List<ItemInfo> items() {
        return Arrays.asList(Arrays.copyOfRange(infos, 1, infos.length));
    }

    private void check(int id) {
        if (id < 1 || id >= externalIds.length) {
            throw new IndexOutOfBoundsException("item id " + id + " not in 1.." + size());
        }
    }
}
