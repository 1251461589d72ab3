package dev.eimf.internal.synth;

import java.util.List;

/**
 * A planted topic: the hidden interest that {@link SyntheticGenerator} draws items from.
 *
 * @param index  0-based topic index
 * @param word   the topic's word, unique among topics, e.g. {@code "Jazz"} or {@code "Jazz2"}; no whitespace
 * @param domain the broader category the word belongs to, e.g. {@code "Music"}; no whitespace
 */
public record Topic(int index, String word, String domain) {
    private static final String[][] WORDS = {
        {"Music", "Jazz", "Blues", "Rock", "Opera", "Techno", "Folk", "Reggae", "Soul"},
        {"Movies", "Western", "Noir", "Comedy", "Horror", "Musical", "Documentary", "Animation", "Adventure"},
        {"Books", "Poetry", "Mystery", "Fable", "History", "Biography", "Romance", "Philosophy", "Travelogue"},
        {"Games", "Puzzle", "Strategy", "Racing", "Arcade", "Roguelike", "Platformer", "Shooter", "Simulation"},
        {"Sports", "Tennis", "Cycling", "Climbing", "Surfing", "Skiing", "Rowing", "Boxing", "Fencing"},
        {"Food", "Baking", "Sushi", "Barbecue", "Vegan", "Pasta", "Curry", "Tapas", "Coffee"},
        {"Travel", "Beaches", "Mountains", "Cities", "Islands", "Deserts", "Safari", "Cruises", "Castles"},
        {"Fashion", "Denim", "Sneakers", "Vintage", "Knitwear", "Jewelry", "Hats", "Leather", "Linen"},
    };
    private static final int PER_DOMAIN = WORDS[0].length - 1;
    private static final int BASE = WORDS.length * PER_DOMAIN;

    /**
     * The topic with the given index, named from a fixed word list: consecutive indexes cycle through the
     * domains so that a few topics already span several; after the 64 words the words repeat with a number.
     */
    public static Topic of(int index) {
        if (index < 0) throw new IllegalArgumentException("topic index must be non-negative, got " + index);
        int k = index % BASE;
        int domain = k % WORDS.length;
        int word = k / WORDS.length;
        String w = WORDS[domain][1 + word];
        if (index >= BASE) w = w + (index / BASE + 1);
        return new Topic(index, w, WORDS[domain][0]);
    }

    /** A display name such as {@code "Topic 7: Jazz"}. */
    public String name() {
        return "Topic " + index + ": " + word;
    }

    /** The categories of this topic's items, most general first: {@code [domain, word]}. */
    public List<String> categories() {
        return List.of(domain, word);
    }

    /** The title of the item with the given external id, e.g. {@code "Jazz Item 123"}. */
    public String itemTitle(String itemId) {
        return word + " Item " + itemId;
    }
}
