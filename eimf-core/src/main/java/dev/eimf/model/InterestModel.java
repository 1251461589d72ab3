package dev.eimf.model;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemCategories;
import dev.eimf.data.ItemInfo;
import dev.eimf.eval.ItemScorer;
import dev.eimf.internal.model.ModelAccess;
import dev.eimf.internal.model.ModelDirectory;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.InterestExplainer;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.serve.DiverseRanking;
import dev.eimf.internal.serve.ItemIndex;
import dev.eimf.internal.serve.ScoredItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * A trained model of multi-interest users: item embeddings, the encoder that turns a history into K
 * interest vectors, the item catalogue, optionally the explicit-interest semantics that name interests,
 * and its {@link ModelProvenance}. It recommends for one user or many, explains a user's interests,
 * exports interest vectors and item embeddings, and saves and loads itself. Serving needs behaviour only:
 * no language model is called.
 *
 * <p><b>Thread-safe.</b> One instance serves any number of threads: the item table is shared and only
 * read; each thread that calls the model gets its own copy of the encoder's work buffers (a few MB at
 * most, built on first use), so long-lived pools hold one copy per thread.
 *
 * <p>Item ids are the strings of the data the model was trained on. Scores are {@code max_k <v_k, e_i>}
 * over the catalogue, exact (no approximate index).
 *
 * <pre>{@code
 * InterestModel model = InterestModel.load(Path.of("model"));
 * RecommendationList top = model.recommend(RecommendRequest.builder(List.of("50", "172", "133"))
 *         .n(10).exclude(alreadyBought).build());
 * }</pre>
 */
public final class InterestModel implements ItemScorer {
    static final String KEY_LIBRARY_VERSION = "eimf.library_version";
    static final String KEY_DATA_FINGERPRINT = "eimf.data_fingerprint";
    static final String KEY_SETTINGS = "eimf.settings";

    static {
        ModelAccess.set(new ModelAccess.Access() {
            @Override
            public InterestModel create(SavedModel saved, Optional<Semantics> semantics) {
                return new InterestModel(saved, semantics);
            }

            @Override
            public SavedModel saved(InterestModel model) {
                return model.saved;
            }

            @Override
            public Optional<Semantics> semantics(InterestModel model) {
                return model.semantics;
            }
        });
    }

    private final SavedModel saved;
    private final Optional<Semantics> semantics;
    private final ItemCatalog catalog;
    private final ModelProvenance provenance;
    private volatile float[][] table;
    private volatile ItemIndex index;
    private volatile InterestExplainer explainer;
    private volatile ItemCategories categories;

    private InterestModel(SavedModel saved, Optional<Semantics> semantics) {
        this.saved = Objects.requireNonNull(saved, "saved");
        this.semantics = Objects.requireNonNull(semantics, "semantics");
        this.catalog = saved.catalog();
        this.provenance = provenanceOf(saved);
    }

    /**
     * Loads a model directory written by {@link #save} (or by {@code eimf train --out}; models written by
     * earlier versions load too). A model of a backbone of your own needs its name registered first
     * ({@link dev.eimf.backbone.Backbones#register}).
     *
     * @throws UncheckedIOException when the directory cannot be read, or (with a
     *                              {@code ModelFormatException} as its cause, naming the file) holds a
     *                              foreign, damaged or inconsistent model
     */
    public static InterestModel load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            SavedModel m = ModelStore.load(dir);
            Optional<Semantics> semantics;
            try {
                semantics = ModelDirectory.semantics(dir, m);
            } catch (IllegalArgumentException e) {
                // a semantics file of another model beside this one: a damaged directory, not a bad argument
                throw new dev.eimf.internal.io.ModelFormatException(dir.resolve(ModelDirectory.SEMANTICS_FILE), e.getMessage());
            }
            return new InterestModel(m, semantics);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Writes the model (and its semantics, if any) into {@code dir}, created if needed; files of an older
     * model there are replaced. Format: {@code docs/MODEL-FORMAT.md}.
     *
     * @throws UncheckedIOException naming the path when a file cannot be written
     */
    public void save(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            ModelDirectory.save(dir, saved, semantics);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The backbone: its name, d, K, T and options. */
    public BackboneConfig backbone() {
        return saved.recipe().backbone();
    }

    /** K, interests per user. */
    public int numInterests() {
        return saved.numInterests();
    }

    /** d, the size of interest vectors and item embeddings. */
    public int dim() {
        return saved.dim();
    }

    /** The items the model knows: ids, titles, categories; internal id i is catalogue row i. */
    public ItemCatalog catalog() {
        return catalog;
    }

    /** Where the model came from. */
    public ModelProvenance provenance() {
        return provenance;
    }

    /** Whether the model carries explicit-interest semantics, so that {@link #explain} can name interests. */
    public boolean hasSemantics() {
        return semantics.isPresent();
    }

    /** The distinct explicit-interest phrases learned in training; empty without semantics. */
    public List<String> interestPhrases() {
        return semantics.map(Semantics::labels).orElse(List.of());
    }

    /** The top {@code n} for a history with the defaults of {@link RecommendRequest#of}. */
    public List<Recommendation> recommend(List<String> history, int n) {
        return recommend(RecommendRequest.of(history, n)).items();
    }

    /**
     * Recommends for one user.
     *
     * @throws IllegalArgumentException with {@link UnknownItems#STRICT}, naming the first unknown history id
     */
    public RecommendationList recommend(RecommendRequest request) {
        return recommendAll(List.of(request)).get(0);
    }

    /**
     * Recommends for many users at once: their encoder passes and the scoring are batched into matrix
     * products, which is faster per user than one call each. Results are in request order and equal (by
     * item and rank) to one {@link #recommend(RecommendRequest)} per request.
     */
    public List<RecommendationList> recommendAll(List<RecommendRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        int u = requests.size();
        Known[] known = new Known[u];
        List<Integer> personal = new ArrayList<>();
        int maxN = 0;
        for (int i = 0; i < u; i++) {
            RecommendRequest r = Objects.requireNonNull(requests.get(i), "requests[" + i + "]");
            known[i] = known(r.history(), r.unknownItems(), "requests[" + i + "].history");
            if (known[i].ids.length > 0) {
                personal.add(i);
                if (r.diversity() == 0) maxN = Math.max(maxN, r.n());
            }
        }
        List<RecommendationList> out = new ArrayList<>(u);
        for (int i = 0; i < u; i++) out.add(null);
        // Diversified requests rank one by one: each has its own lambda and candidate pool.
        List<Integer> diverse = personal.stream().filter(i -> requests.get(i).diversity() > 0).toList();
        personal.removeAll(diverse);
        if (!diverse.isEmpty()) {
            int[][] histories = new int[diverse.size()][];
            for (int p = 0; p < histories.length; p++) histories[p] = known[diverse.get(p)].ids;
            float[][][] interests = saved.interestsBatch(histories);
            ItemCategories c = categories();
            for (int p = 0; p < histories.length; p++) {
                int i = diverse.get(p);
                RecommendRequest r = requests.get(i);
                List<ScoredItem> t = DiverseRanking.rank(index(), table(), interests[p], exclusion(r, histories[p]),
                        r.n(), c::id, r.diversity());
                List<Recommendation> items = new ArrayList<>();
                for (int rank = 0; rank < t.size(); rank++) {
                    ScoredItem s = t.get(rank);
                    items.add(named(rank + 1, s.itemId(), s.score(), s.interest()));
                }
                out.set(i, new RecommendationList(items, known[i].unknown, false));
            }
        }
        if (!personal.isEmpty()) {
            int[][] histories = new int[personal.size()][];
            IntPredicate[] excluded = new IntPredicate[personal.size()];
            for (int p = 0; p < personal.size(); p++) {
                int i = personal.get(p);
                histories[p] = known[i].ids;
                excluded[p] = exclusion(requests.get(i), known[i].ids);
            }
            float[][][] interests = saved.interestsBatch(histories);
            List<List<ScoredItem>> top = index().topNBatch(interests, maxN, excluded);
            for (int p = 0; p < personal.size(); p++) {
                int i = personal.get(p);
                List<ScoredItem> t = top.get(p);
                List<Recommendation> items = new ArrayList<>();
                for (int rank = 0; rank < Math.min(requests.get(i).n(), t.size()); rank++) {
                    ScoredItem s = t.get(rank);
                    items.add(named(rank + 1, s.itemId(), s.score(), s.interest()));
                }
                out.set(i, new RecommendationList(items, known[i].unknown, false));
            }
        }
        for (int i = 0; i < u; i++) {
            if (out.get(i) == null) {
                out.set(i, popular(requests.get(i), known[i]));
            }
        }
        return out;
    }

    /**
     * The user's K interest vectors ({@code K x d}) for a history; unknown ids are skipped.
     *
     * @throws IllegalArgumentException when no history item is known
     */
    public float[][] interests(List<String> history) {
        Known k = known(history, UnknownItems.SKIP, "history");
        if (k.ids.length == 0) {
            throw new IllegalArgumentException("none of the " + history.size() + " history items is in the model's catalogue");
        }
        return saved.interests(k.ids);
    }

    /** {@link #interests(List)} for many histories, batched. */
    public List<float[][]> interestsAll(List<List<String>> histories) {
        int[][] ids = new int[histories.size()][];
        for (int i = 0; i < ids.length; i++) {
            Known k = known(histories.get(i), UnknownItems.SKIP, "histories[" + i + "]");
            if (k.ids.length == 0) {
                throw new IllegalArgumentException("histories[" + i + "]: no history item is in the model's catalogue");
            }
            ids[i] = k.ids;
        }
        return Arrays.asList(saved.interestsBatch(ids));
    }

    /** A copy of every item's embedding, in catalogue order. */
    public ItemEmbeddings itemEmbeddings() {
        float[][] t = table();
        List<String> ids = new ArrayList<>(catalog.size());
        float[][] rows = new float[catalog.size()][];
        for (int i = 1; i <= catalog.size(); i++) {
            ids.add(catalog.externalId(i));
            rows[i - 1] = t[i].clone();
        }
        return new ItemEmbeddings(ids, rows);
    }

    /**
     * Names each of a user's K interests by its nearest learned phrase, with the history items behind it.
     *
     * @throws IllegalStateException    when the model was trained without explicit interests ({@link #hasSemantics()})
     * @throws IllegalArgumentException when no history item is known
     */
    public List<InterestExplanation> explain(List<String> history) {
        if (semantics.isEmpty()) {
            throw new IllegalStateException("this model was trained without explicit interests, so its interests have no names");
        }
        Known k = known(history, UnknownItems.SKIP, "history");
        if (k.ids.length == 0) {
            throw new IllegalArgumentException("none of the " + history.size() + " history items is in the model's catalogue");
        }
        List<InterestExplanation> out = new ArrayList<>();
        for (InterestExplainer.Explained e : explainer().explain(k.ids)) {
            List<String> items = e.items().stream().map(catalog::externalId).toList();
            out.add(new InterestExplanation(e.interest(), e.label(), e.cosine(), items));
        }
        return out;
    }

    /** Scores every internal item id for a history of internal ids (for {@link dev.eimf.eval.Evaluator}). */
    @Override
    public void score(int[] history, float[] out) {
        saved.score(history, out);
    }

    @Override
    public void scoreBatch(int[][] histories, float[][] out) {
        saved.scoreBatch(histories, out);
    }

    /** Scores every internal item id under each interest: {@code out[h][k][i] = <v_k, e_i>}. */
    @Override
    public void scoreInterestsBatch(int[][] histories, float[][][] out) {
        saved.scoreInterestsBatch(histories, out);
    }

    /** The items' categories by {@link ItemCategories#of(ItemCatalog)}, the unit of {@link RecommendRequest#diversity()}. */
    public ItemCategories categories() {
        ItemCategories c = categories;
        if (c == null) {
            c = ItemCategories.of(catalog);
            categories = c;
        }
        return c;
    }

    @Override
    public String toString() {
        BackboneConfig b = backbone();
        return "InterestModel[" + b.name() + ", d=" + b.dim() + ", K=" + b.numInterests() + ", T=" + b.maxLen()
                + ", items=" + catalog.size() + (hasSemantics() ? ", with semantics" : "") + "]";
    }

    private record Known(int[] ids, int unknown) {
    }

    private Known known(List<String> history, UnknownItems policy, String what) {
        Objects.requireNonNull(history, what);
        int[] ids = new int[history.size()];
        int n = 0;
        int unknown = 0;
        for (int i = 0; i < history.size(); i++) {
            String ext = history.get(i);
            if (ext == null) throw new IllegalArgumentException(what + "[" + i + "] is null");
            Optional<Integer> id = catalog.internalId(ext);
            if (id.isPresent()) {
                ids[n++] = id.get();
            } else if (policy == UnknownItems.STRICT) {
                throw new IllegalArgumentException("unknown item id '" + ext + "' at " + what + "[" + i
                        + "]: not in the model's catalogue of " + catalog.size() + " items");
            } else {
                unknown++;
            }
        }
        int[] known = Arrays.copyOf(ids, n);
        return new Known(known, unknown);
    }

    private IntPredicate exclusion(RecommendRequest r, int[] history) {
        Set<Integer> own = new HashSet<>();
        if (r.excludeHistory()) {
            for (int id : history) own.add(id);
        }
        ItemFilter f = r.filter();
        return id -> own.contains(id) || !f.accepts(catalog.externalId(id));
    }

    /** Catalogue ids follow descending training frequency, so the first accepted ids are the most popular. */
    private RecommendationList popular(RecommendRequest r, Known k) {
        IntPredicate excluded = exclusion(r, k.ids);
        List<Recommendation> items = new ArrayList<>();
        for (int id = 1; id <= catalog.size() && items.size() < r.n(); id++) {
            if (!excluded.test(id)) {
                items.add(named(items.size() + 1, id, 0f, -1));
            }
        }
        return new RecommendationList(items, k.unknown, true);
    }

    private Recommendation named(int rank, int id, float score, int interest) {
        ItemInfo info = catalog.info(id);
        return new Recommendation(rank, info.externalId(), info.title(), info.label(), score, interest);
    }

    private float[][] table() {
        float[][] t = table;
        if (t == null) {
            t = saved.itemTable();
            table = t;
        }
        return t;
    }

    private ItemIndex index() {
        ItemIndex i = index;
        if (i == null) {
            synchronized (this) {
                i = index;
                if (i == null) {
                    i = saved.itemIndex();
                    index = i;
                }
            }
        }
        return i;
    }

    private InterestExplainer explainer() {
        InterestExplainer e = explainer;
        if (e == null) {
            float[][] t = table();
            e = new InterestExplainer(saved, id -> t[id], saved.recipe().backbone().maxLen(), semantics.orElseThrow());
            explainer = e;
        }
        return e;
    }

    private static ModelProvenance provenanceOf(SavedModel m) {
        ModelMetadata md = m.metadata();
        Map<String, String> settings = Map.of();
        String json = md.extra().get(KEY_SETTINGS);
        if (json != null) {
            try {
                settings = new Gson().fromJson(json, new TypeToken<Map<String, String>>() { }.getType());
            } catch (RuntimeException e) {
                settings = Map.of();
            }
        }
        return new ModelProvenance(md.extra().getOrDefault(KEY_LIBRARY_VERSION, "unknown"),
                md.dataset(), md.protocol(), md.extra().getOrDefault(KEY_DATA_FINGERPRINT, "unknown"),
                m.training().seed(), md.steps(), md.bestStep(), settings == null ? Map.of() : settings);
    }
}
