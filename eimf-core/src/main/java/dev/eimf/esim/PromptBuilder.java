package dev.eimf.esim;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.eimf.data.ItemInfo;

/**
 * Renders the extraction prompt (docs/METHOD.md, section 4.3): a system message that defines the task, then the
 * user's most recent history (at most {@code maxHistory} items, oldest first) as numbered lines
 * {@code 1. Title (Category > Sub; Brand)}, asking for exactly J interests as strict JSON.
 *
 * <p>Templates use these placeholders: {@code {{j}}}, {@code {{domain}}}, {@code {{history}}} and
 * {@code {{history_length}}}; the repair template may also use {@code {{error}}}. The user template must
 * contain {{history}}. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class PromptBuilder {
    /** Placeholders the system and user templates may use. */
    public static final Set<String> PROMPT_PLACEHOLDERS = Set.of("j", "domain", "history", "history_length");
    /** Placeholders the repair template may use. */
    public static final Set<String> REPAIR_PLACEHOLDERS = Set.of("j", "domain", "history_length", "error");

    private final int interests;
    private final int maxHistory;
    private final String domain;
    private final PromptTemplate system;
    private final PromptTemplate user;
    private final PromptTemplate repair;
    private final double temperature;
    private final int maxTokens;
    private final boolean jsonMode;
    private final CategoryMode categoryMode;

    /** Whether J was set on the builder; otherwise the trainer's K replaces it ({@link #withInterests}). */
    private final boolean interestsExplicit;
    private final Builder source;

    private PromptBuilder(Builder b) {
        this.interests = b.interests == null ? 4 : b.interests;
        this.interestsExplicit = b.interests != null;
        this.source = b.copy();
        this.maxHistory = b.maxHistory;
        this.domain = b.domain;
        this.system = b.system;
        this.user = b.user;
        this.repair = b.repair;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.jsonMode = b.jsonMode;
        this.categoryMode = b.categoryMode;
    }

    /** A builder with the defaults: J = 4, 50 items, domain "items", the bundled templates, temperature 0, JSON mode. */
    public static Builder builder() {
        return new Builder();
    }

    /** J, the number of interests asked for. */
    public int interests() { return interests; }

    /** The most history items a prompt lists. */
    public int maxHistory() { return maxHistory; }

    /**
     * Renders the prompt for a history.
     *
     * @throws IllegalArgumentException when the history is empty
     */
    public Prompt build(UserHistory history) {
        List<ItemInfo> items = history.items().isEmpty() ? List.of() : history.recent(maxHistory);
        if (items.isEmpty()) throw new IllegalArgumentException("user " + history.userId() + " has an empty history");
        Map<String, String> values = Map.of(
                "j", Integer.toString(interests),
                "domain", domain,
                "history", renderHistory(items, categoryMode.resolve(items)),
                "history_length", Integer.toString(items.size()));
        List<LlmClient.Message> messages = List.of(
                LlmClient.Message.system(system.render(values)),
                LlmClient.Message.user(user.render(values)));
        return Prompt.of(messages, items.size(), interests);
    }

    /**
     * The follow-up message that asks the model to correct an unusable answer.
     *
     * @param prompt the original prompt
     * @param error  the validation error of the previous answer
     */
    public LlmClient.Message repairMessage(Prompt prompt, String error) {
        return LlmClient.Message.user(repair.render(Map.of(
                "j", Integer.toString(prompt.interests()),
                "domain", domain,
                "history_length", Integer.toString(prompt.historyLength()),
                "error", error)));
    }

    /** A chat request with this builder's sampling settings. */
    public LlmClient.ChatRequest request(List<LlmClient.Message> messages) {
        return new LlmClient.ChatRequest(messages, temperature, maxTokens, jsonMode);
    }

    /**
     * The numbered history lines, one per item, oldest first, numbered from 1.
     *
     * @param mode {@link CategoryMode#PATH} joins categories with " > ", {@link CategoryMode#TAGS} with ", "
     *             ({@link CategoryMode#AUTO} is resolved on {@code items})
     */
    public static String renderHistory(List<ItemInfo> items, CategoryMode mode) {
        CategoryMode m = mode.resolve(items);
        StringBuilder sb = new StringBuilder(items.size() * 64);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append('\n');
            sb.append(i + 1).append(". ").append(itemLine(items.get(i), m));
        }
        return sb.toString();
    }

    /**
     * One item as {@code Title (Category > Sub; Brand)} (categories joined with ", " in TAGS mode); parts that
     * are unknown are left out.
     */
    public static String itemLine(ItemInfo item, CategoryMode mode) {
        String title = clean(item.title());
        StringBuilder sb = new StringBuilder(title.isEmpty() ? "item " + clean(item.externalId()) : title);
        String cats = clean(String.join(mode.resolve(List.of(item)).separator(), item.categories()));
        String brand = clean(item.brand());
        if (!cats.isEmpty() || !brand.isEmpty()) {
            sb.append(" (").append(cats);
            if (!cats.isEmpty() && !brand.isEmpty()) sb.append("; ");
            sb.append(brand).append(')');
        }
        return sb.toString();
    }

    // Line breaks inside metadata would break the numbered list (and item numbering) the model sees.
    private static String clean(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** Unless J was set on the builder, a copy that asks for {@code k} interests (the trained model's K). */
    public PromptBuilder withInterests(int k) {
        return interestsExplicit || k == interests ? this : source.copy().interests(k).build();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Integer interests;
        private int maxHistory = 50;
        private String domain = "items";
        private PromptTemplate system;
        private PromptTemplate user;
        private PromptTemplate repair;
        private double temperature = 0.0;
        private int maxTokens = 0;
        private boolean jsonMode = true;
        private CategoryMode categoryMode = CategoryMode.AUTO;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.interests = interests;
            b.maxHistory = maxHistory;
            b.domain = domain;
            b.system = system;
            b.user = user;
            b.repair = repair;
            b.temperature = temperature;
            b.maxTokens = maxTokens;
            b.jsonMode = jsonMode;
            b.categoryMode = categoryMode;
            return b;
        }

        /** J, the number of interests to ask for (default: the trained model's K, 4 outside training). */
        public Builder interests(int v) { interests = v; return this; }
        /** The most recent items listed (default 50). */
        public Builder maxHistory(int v) { maxHistory = v; return this; }
        /** What the items are, in the system message (e.g. "movies"; default "items"). */
        public Builder domain(String v) { domain = v; return this; }
        /** System template (default: bundled {@code system.txt}). */
        public Builder systemTemplate(PromptTemplate v) { system = v; return this; }
        /** User template (default: bundled {@code user.txt}). */
        public Builder userTemplate(PromptTemplate v) { user = v; return this; }
        /** Repair template (default: bundled {@code repair.txt}). */
        public Builder repairTemplate(PromptTemplate v) { repair = v; return this; }
        /** Sampling temperature (default 0). */
        public Builder temperature(double v) { temperature = v; return this; }
        /** Reply token limit, 0 = server default. */
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        /** Ask for a JSON-object reply where the server supports it (default true). */
        public Builder jsonMode(boolean v) { jsonMode = v; return this; }

        /** How category lists are rendered (default AUTO: detected on each history). */
        public Builder categoryMode(CategoryMode v) { categoryMode = v; return this; }

        /** Validates and builds; fails on templates with unknown placeholders or a user template without {{history}}. */
        public PromptBuilder build() {
            if (interests != null && interests < 1) throw new IllegalArgumentException("interests must be >= 1, got " + interests);
            if (maxHistory < 1) throw new IllegalArgumentException("maxHistory must be >= 1, got " + maxHistory);
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(categoryMode, "categoryMode");
            if (!(temperature >= 0 && temperature <= 2)) throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
            if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
            if (system == null) system = PromptTemplate.fromResource("system.txt");
            if (user == null) user = PromptTemplate.fromResource("user.txt");
            if (repair == null) repair = PromptTemplate.fromResource("repair.txt");
            system.requireOnly(PROMPT_PLACEHOLDERS);
            user.requireOnly(PROMPT_PLACEHOLDERS).requireAll(Set.of("history"));
            repair.requireOnly(REPAIR_PLACEHOLDERS);
            return new PromptBuilder(this);
        }
    }
}
