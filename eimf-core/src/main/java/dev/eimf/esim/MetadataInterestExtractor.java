package dev.eimf.esim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.eimf.data.ItemInfo;

/**
 * The offline, LLM-free extractor: derives up to J interests from the categories (or genres), brands and
 * title words of a history's most recent items, weighted by frequency and recency. Deterministic, and
 * labelled {@code extractor = "metadata"} in the store so its output is never mistaken for a model's.
 *
 * <p>Each item contributes a set of features: category labels ("Comedy", or "Makeup > Lips" for a path
 * {@code Beauty > Makeup > Lips > Lipstick} with the root dropped and {@code pathDepth = 2}), "Brand: X" and
 * "Keyword: w" (title words of at least three letters that are not stop words, digits, or words of the
 * item's own categories or brand). The item at position i of n (oldest first) weighs
 * {@code 0.5^((n-1-i)/halfLife)}; a feature's score is its kind weight times the sum of its items' weights.
 * Features supported by at least {@code minSupport} items come first, then by score, support, most recent
 * item and name. Evidence = the 1-based positions of the items that have the feature.
 *
 * <p>When the history yields fewer than J features the result holds fewer interests (noted in
 * {@link Extraction#reason()}); when it yields none the result is {@link Extraction.Status#FAILED}.
 */
public final class MetadataInterestExtractor implements InterestExtractor {

    private static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "for", "with", "from", "that", "this", "your", "you", "are", "was", "not", "but",
            "all", "any", "its", "into", "our", "out", "one", "two", "new", "pack", "set", "size", "oz",
            "fl", "ounce", "ounces", "count", "inch", "inches", "des", "les", "der", "die", "das", "von", "und");

    private final int interests;
    private final int maxHistory;
    private final double halfLife;
    private final CategoryMode mode;
    private final int pathDepth;
    private final boolean dropRoot;
    private final double categoryWeight;
    private final double brandWeight;
    private final double wordWeight;
    private final int minSupport;

    /** Whether J was set on the builder; otherwise the trainer's K replaces it ({@link #withInterests}). */
    private final boolean interestsExplicit;
    private final Builder source;

    private MetadataInterestExtractor(Builder b) {
        this.interests = b.interests == null ? 4 : b.interests;
        this.interestsExplicit = b.interests != null;
        this.source = b.copy();
        this.maxHistory = b.maxHistory;
        this.halfLife = b.halfLife;
        this.mode = b.mode;
        this.pathDepth = b.pathDepth;
        this.dropRoot = b.dropRoot;
        this.categoryWeight = b.categoryWeight;
        this.brandWeight = b.brandWeight;
        this.wordWeight = b.wordWeight;
        this.minSupport = b.minSupport;
    }

    /** A builder with the defaults (J = 4, 50 items, half-life 10 items, AUTO categories, depth 2). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "metadata";
    }

    /** Names the algorithm version and every setting, so a changed setting never reuses stale entries. */
    @Override
    public String modelName() {
        return String.format(Locale.ROOT,
                "metadata-v1(j=%d,max=%d,halfLife=%s,mode=%s,depth=%d,dropRoot=%s,w=%s/%s/%s,minSupport=%d)",
                interests, maxHistory, halfLife, mode.name().toLowerCase(Locale.ROOT), pathDepth, dropRoot,
                categoryWeight, brandWeight, wordWeight, minSupport);
    }

    @Override
    public ExtractionRequest prepare(UserHistory history) {
        if (history.items().isEmpty()) throw new IllegalArgumentException("user " + history.userId() + " has an empty history");
        List<ItemInfo> items = history.recent(maxHistory);
        List<LlmClient.Message> input = List.of(LlmClient.Message.user(PromptBuilder.renderHistory(items, mode.resolve(items))));
        return new ExtractionRequest(history, input, items.size(), interests, Prompt.hashOf(input));
    }

    /** {@link #prepare} then {@link #extract(ExtractionRequest)}; never does I/O. */
    @Override
    public Extraction extract(UserHistory history) {
        return extract(prepare(history));
    }

    @Override
    public Extraction extract(ExtractionRequest request) {
        List<ItemInfo> items = request.history().recent(request.historyLength());
        int n = items.size();
        CategoryMode m = mode.resolve(items);
        Map<String, Feature> features = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ItemInfo item = items.get(i);
            double w = Math.pow(0.5, (n - 1 - i) / halfLife);
            for (Map.Entry<String, String> f : featuresOf(item, m).entrySet()) {
                features.computeIfAbsent(f.getKey(), k -> new Feature(k, f.getValue())).add(i, w, item);
            }
        }
        List<Feature> ranked = new ArrayList<>(features.values());
        ranked.sort(Comparator.<Feature>comparingInt(f -> f.positions.size() >= minSupport ? 0 : 1)
                .thenComparing(Comparator.comparingDouble((Feature f) -> f.score()).reversed())
                .thenComparing(Comparator.comparingInt((Feature f) -> f.positions.size()).reversed())
                .thenComparing(Comparator.comparingInt((Feature f) -> f.latest()).reversed())
                .thenComparing(f -> f.name));
        if (ranked.isEmpty()) {
            return new Extraction(Extraction.Status.FAILED, "the history has no titles, categories or brands",
                    List.of(), List.of(), List.of(), 0, 0, 0);
        }
        List<ExplicitInterest> out = new ArrayList<>();
        for (Feature f : ranked.subList(0, Math.min(interests, ranked.size()))) {
            out.add(new ExplicitInterest(f.name, f.describe(n), f.positions));
        }
        String note = out.size() < interests
                ? "only " + out.size() + " distinct features for " + interests + " interests" : "";
        return new Extraction(Extraction.Status.OK, note, out, List.of(), List.of(), 0, 0, 0);
    }

    /** Feature name to kind ("category", "brand", "keyword") for one item; each feature once. */
    private Map<String, String> featuresOf(ItemInfo item, CategoryMode m) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Set<String> ownWords = new LinkedHashSet<>();
        List<String> cats = item.categories().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!cats.isEmpty()) {
            if (m == CategoryMode.PATH) {
                int from = dropRoot && cats.size() > 1 ? 1 : 0;
                out.put(String.join(" > ", cats.subList(from, Math.min(cats.size(), from + pathDepth))), "category");
            } else {
                for (String c : cats) out.put(c, "category");
            }
            for (String c : cats) ownWords.addAll(words(c));
        }
        String brand = item.brand().strip();
        if (!brand.isEmpty()) {
            if (brandWeight > 0) out.put("Brand: " + brand, "brand");
            ownWords.addAll(words(brand));
        }
        if (wordWeight > 0) {
            for (String w : words(item.title())) {
                if (w.length() >= 3 && !STOP_WORDS.contains(w) && !ownWords.contains(w) && !w.chars().allMatch(Character::isDigit)) {
                    out.put("Keyword: " + w, "keyword");
                }
            }
        }
        if (categoryWeight <= 0) out.values().removeIf("category"::equals);
        return out;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    private double kindWeight(String kind) {
        return switch (kind) {
            case "category" -> categoryWeight;
            case "brand" -> brandWeight;
            default -> wordWeight;
        };
    }

    private final class Feature {
        final String name;
        final String kind;
        final List<Integer> positions = new ArrayList<>(); // 1-based, ascending
        final List<String> titles = new ArrayList<>();
        double weight;

        Feature(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        void add(int index, double w, ItemInfo item) {
            positions.add(index + 1);
            titles.add(item.label());
            weight += w;
        }

        double score() {
            return kindWeight(kind) * weight;
        }

        int latest() {
            return positions.get(positions.size() - 1);
        }

        String describe(int n) {
            StringBuilder sb = new StringBuilder();
            sb.append(switch (kind) {
                case "category" -> "Category " + name;
                case "brand" -> "Products of brand " + name.substring("Brand: ".length());
                default -> "Titles with the word \"" + name.substring("Keyword: ".length()) + "\"";
            });
            sb.append(" in ").append(positions.size()).append(" of the ").append(n).append(" most recent items");
            sb.append(", e.g. ");
            int shown = 0;
            for (int k = titles.size() - 1; k >= 0 && shown < 3; k--, shown++) {
                if (shown > 0) sb.append("; ");
                sb.append(titles.get(k));
            }
            return sb.append('.').toString();
        }
    }

    /** {@inheritDoc} Unless J was set on the builder, a copy that returns up to {@code k} interests. */
    @Override
    public MetadataInterestExtractor withInterests(int k) {
        return interestsExplicit || k == interests ? this : source.copy().interests(k).build();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Integer interests;
        private int maxHistory = 50;
        private double halfLife = 10.0;
        private CategoryMode mode = CategoryMode.AUTO;
        private int pathDepth = 2;
        private boolean dropRoot = true;
        private double categoryWeight = 1.0;
        private double brandWeight = 0.8;
        private double wordWeight = 0.5;
        private int minSupport = 2;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.interests = interests;
            b.maxHistory = maxHistory;
            b.halfLife = halfLife;
            b.mode = mode;
            b.pathDepth = pathDepth;
            b.dropRoot = dropRoot;
            b.categoryWeight = categoryWeight;
            b.brandWeight = brandWeight;
            b.wordWeight = wordWeight;
            b.minSupport = minSupport;
            return b;
        }

        /** J, the most interests returned (default: the trained model's K, 4 outside training). */
        public Builder interests(int v) { interests = v; return this; }
        /** The most recent items considered (default 50, as in the LLM prompt). */
        public Builder maxHistory(int v) { maxHistory = v; return this; }
        /** Recency half-life in items (default 10): an item 10 positions older counts half. */
        public Builder halfLife(double v) { halfLife = v; return this; }
        /** How category lists are read (default AUTO). */
        public Builder categoryMode(CategoryMode v) { mode = v; return this; }
        /** Levels of a category path in a label (default 2). */
        public Builder pathDepth(int v) { pathDepth = v; return this; }
        /** Drop the first level of a category path, usually the shop's department (default true). */
        public Builder dropRoot(boolean v) { dropRoot = v; return this; }
        /** Weight of category features (default 1.0; 0 disables them). */
        public Builder categoryWeight(double v) { categoryWeight = v; return this; }
        /** Weight of brand features (default 0.8; 0 disables them). */
        public Builder brandWeight(double v) { brandWeight = v; return this; }
        /** Weight of title-word features (default 0.5; 0 disables them). */
        public Builder wordWeight(double v) { wordWeight = v; return this; }
        /** Items a feature needs to rank ahead of rarer ones (default 2). */
        public Builder minSupport(int v) { minSupport = v; return this; }

        /** Validates and builds. */
        public MetadataInterestExtractor build() {
            if (interests != null && interests < 1) throw new IllegalArgumentException("interests must be >= 1, got " + interests);
            if (maxHistory < 1) throw new IllegalArgumentException("maxHistory must be >= 1, got " + maxHistory);
            if (!(halfLife > 0) || Double.isInfinite(halfLife)) throw new IllegalArgumentException("halfLife must be a positive number, got " + halfLife);
            if (mode == null) throw new IllegalArgumentException("categoryMode must not be null");
            if (pathDepth < 1) throw new IllegalArgumentException("pathDepth must be >= 1, got " + pathDepth);
            for (double w : new double[] {categoryWeight, brandWeight, wordWeight}) {
                if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("feature weights must be finite and >= 0");
            }
            if (categoryWeight + brandWeight + wordWeight == 0) throw new IllegalArgumentException("at least one feature weight must be > 0");
            if (minSupport < 1) throw new IllegalArgumentException("minSupport must be >= 1, got " + minSupport);
            return new MetadataInterestExtractor(this);
        }
    }
}
