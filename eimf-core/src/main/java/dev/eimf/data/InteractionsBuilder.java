package dev.eimf.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds interaction data in memory, as an application that reads its own database does: add
 * (user, item, timestamp[, rating]) rows and, optionally, item text; then {@link #build()} gives the
 * {@link RawData} the file loaders give, or {@link #preprocess(PreprocessConfig)} the filtered and
 * re-indexed {@link Dataset} that training takes. The file loaders ({@link DatasetLoaders}) are one way to
 * fill the same structure. Not thread-safe.
 *
 * <pre>{@code
 * Dataset data = InteractionsBuilder.named("shop")
 *         .add("u1", "sku-9", 1700000000L)
 *         .item("sku-9", "Trail shoes", List.of("Sports", "Running"))
 *         ...
 *         .preprocess(PreprocessConfig.builder().core(5).build());
 * }</pre>
 */
public final class InteractionsBuilder {
    private final String name;
    private final List<Interaction> interactions = new ArrayList<>();
    private final Map<String, ItemInfo> items = new LinkedHashMap<>();

    private InteractionsBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A builder for a dataset of this name (used in reports and model provenance). */
    public static InteractionsBuilder named(String name) {
        return new InteractionsBuilder(name);
    }

    /**
     * Adds an interaction without a rating.
     *
     * @throws IllegalArgumentException for a blank user or item id, naming the row's position
     */
    public InteractionsBuilder add(String user, String item, long timestamp) {
        return add(user, item, timestamp, Double.NaN);
    }

    /**
     * Adds a rated interaction ({@link PreprocessConfig}'s minimum rating applies to it).
     *
     * @throws IllegalArgumentException for a blank user or item id or an infinite rating, naming the row
     */
    public InteractionsBuilder add(String user, String item, long timestamp, double rating) {
        int row = interactions.size();
        if (user == null || user.isBlank()) throw new IllegalArgumentException("interaction " + row + ": user id is blank");
        if (item == null || item.isBlank()) throw new IllegalArgumentException("interaction " + row + ": item id is blank");
        if (Double.isInfinite(rating)) throw new IllegalArgumentException("interaction " + row + ": rating is " + rating);
        interactions.add(new Interaction(user, item, timestamp, rating));
        return this;
    }

    /** Adds an item's title and categories (broad to narrow, e.g. {@code ["Beauty", "Skin Care"]}). */
    public InteractionsBuilder item(String itemId, String title, List<String> categories) {
        return item(new ItemInfo(itemId, title, categories, "", ""));
    }

    /** Adds an item's full description; a second call for the same id replaces the first. */
    public InteractionsBuilder item(ItemInfo info) {
        Objects.requireNonNull(info, "info");
        items.put(info.externalId(), info);
        return this;
    }

    /** Interactions added so far. */
    public int size() {
        return interactions.size();
    }

    /** The raw data, in the order added. */
    public RawData build() {
        return new RawData(name, interactions, items, LoadReport.empty());
    }

    /** Filters and re-indexes: {@code new Preprocessor(config).process(build())}. */
    public Dataset preprocess(PreprocessConfig config) {
        return new Preprocessor(config).process(build());
    }
}
