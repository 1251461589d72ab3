package dev.eimf.data;

import java.util.List;
import java.util.Objects;

/**
 * Text known about one item, as read from the data files. Every text field may be empty: items
 * without metadata are allowed.
 *
 * @param externalId  the item id exactly as it appears in the data files
 * @param title       the title, or {@code ""} when unknown
 * @param categories  categories or genres, most general first; empty when unknown
 * @param brand       brand, or {@code ""} when unknown
 * @param description free text description, or {@code ""} when unknown
 */
public record ItemInfo(String externalId, String title, List<String> categories, String brand, String description) {
    public ItemInfo {
        Objects.requireNonNull(externalId, "externalId");
        title = title == null ? "" : title;
        categories = categories == null ? List.of() : List.copyOf(categories);
        brand = brand == null ? "" : brand;
        description = description == null ? "" : description;
    }

    /** An item known only by its id. */
    public static ItemInfo idOnly(String externalId) {
        return new ItemInfo(externalId, "", List.of(), "", "");
    }

    /** True when at least one text field is non-empty. */
    public boolean hasText() {
        return !title.isEmpty() || !categories.isEmpty() || !brand.isEmpty() || !description.isEmpty();
    }

    /** A one-line human label: the title, else categories, else brand, else the id. */
    public String label() {
        if (!title.isEmpty()) return title;
        if (!categories.isEmpty()) return String.join(" > ", categories);
        if (!brand.isEmpty()) return brand;
        return externalId;
    }
}
