package dev.eimf.cli;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemCategories;
import dev.eimf.internal.serve.DiverseRanking;
import dev.eimf.internal.serve.ScoredItem;
import dev.eimf.internal.model.EncoderNames;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.InterestExplainer;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.serve.Recommendation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eimf recommend}: top-N items for a history of item ids, from a saved model; with {@code --explain},
 * the user's interests named by their nearest ESIM phrase and each recommendation labelled by its interest.
 */
final class RecommendCommand implements Command {
    @Override
    public String name() { return "recommend"; }

    @Override
    public String summary() { return "recommend items for a history of item ids with a saved model"; }

    @Override
    public List<Option> options() {
        return List.of(
                Option.required("model", "MODEL_DIR", "saved model directory (eimf train --out)"),
                Option.required("history", "ID,ID,...", "item ids as in the data files, oldest first"),
                Option.optional("n", "N", "how many items", "20"),
                Option.flag("keep-history", "may recommend items of the history too (default: excluded)"),
                Protocols.diversityOption(),
                Option.flag("explain", "name each interest by its nearest ESIM phrase and the history items driving it "
                        + "(needs the " + ModelFiles.SEMANTICS_FILE + " that 'train --eimf --out' writes)"),
                Option.optional("json", "FILE", "also write the recommendations as JSON", null));
    }

    @Override
    public int run(Args args) throws Exception {
        int n = args.getInt("n", 20);
        if (n < 1) throw new Args.UsageException("--n must be >= 1, got " + n);
        List<String> ids = parseIds(args.require("history"));
        Path dir = Path.of(args.require("model"));
        SavedModel model = ModelStore.load(dir);
        ItemCatalog catalog = model.catalog();
        List<String> unknown = new ArrayList<>();
        for (String id : ids) {
            if (catalog.internalId(id).isEmpty() && !unknown.contains(id)) unknown.add(id);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.size() + " unknown item id(s) not in the model's catalogue of "
                    + catalog.size() + " items: " + String.join(", ", unknown)
                    + " (ids as in the data files; items removed by filtering are unknown too)");
        }
        int[] history = model.recommender().toInternal(ids, "history");
        double diversity = Protocols.diversity(args);
        List<Recommendation> recs = diversity == 0
                ? model.recommender().recommend(history, n, !args.flag("keep-history"))
                : diverse(model, history, n, !args.flag("keep-history"), diversity);

        System.out.printf("model: %s d=%d K=%d, trained on %s (%d items); history of %d item(s)%n",
                EncoderNames.name(model.encoderConfig().type()), model.dim(), model.numInterests(),
                model.metadata().dataset().isEmpty() ? "?" : Terminal.safe(model.metadata().dataset()), catalog.size(),
                ids.size());
        List<InterestExplainer.Explained> explained = null;
        if (args.flag("explain")) {
            Optional<Semantics> semantics = ModelFiles.semantics(dir, model);
            if (semantics.isEmpty()) {
                System.err.println("eimf recommend: --explain: " + dir + " has no " + ModelFiles.SEMANTICS_FILE
                        + ", so its interests have no names; a model trained with 'eimf train --eimf --out DIR' has one. "
                        + "Recommending without names.");
            } else {
                explained = new InterestExplainer(model.toTrainedModel(), semantics.get()).explain(history);
                System.out.println("interests (each named by the nearest ESIM interest phrase, no LLM involved):");
                Explanations.interests(System.out, "  ", explained, catalog);
                System.out.println("recommendations:");
                Explanations.recommendations(System.out, "", recs, explained, Set.of());
            }
        }
        if (explained == null) printPlain(recs);
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", dir.toString());
            json.put("history", ids);
            json.put("n", n);
            json.put("diversity", diversity);
            // share of pairs in the list's top N whose categories differ, as the evaluator's diversity@N
            dev.eimf.data.ItemCategories categories = dev.eimf.data.ItemCategories.of(catalog);
            int[] ranked = recs.stream().mapToInt(Recommendation::itemId).toArray();
            for (int cut : new java.util.TreeSet<>(List.of(20, 50, n))) {
                if (cut <= ranked.length && cut > 1) {
                    json.put("diversity@" + cut, dev.eimf.eval.Metrics.diversity(ranked, cut, categories::id));
                }
            }
            if (explained != null) json.put("interests", Explanations.json(explained, catalog));
            List<Map<String, Object>> list = new ArrayList<>();
            int rank = 1;
            for (Recommendation r : recs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank", rank++);
                m.put("item_id", r.externalId());
                m.put("title", r.title());
                m.put("score", r.score());
                m.put("interest", r.interest());
                if (explained != null) m.put("interest_name", explained.get(r.interest()).label());
                list.add(m);
            }
            json.put("recommendations", list);
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }

    private static List<Recommendation> diverse(SavedModel model, int[] history, int n, boolean excludeHistory,
                                                double lambda) {
        int[] sorted = history.clone();
        java.util.Arrays.sort(sorted);
        java.util.function.IntPredicate excluded = excludeHistory ? id -> java.util.Arrays.binarySearch(sorted, id) >= 0 : null;
        ItemCategories categories = ItemCategories.of(model.catalog());
        List<Recommendation> out = new ArrayList<>();
        for (ScoredItem s : DiverseRanking.rank(model.itemIndex(), model.itemTable(), model.interests(history), excluded, n,
                categories::id, lambda)) {
            out.add(Recommendation.of(s, model.catalog().info(s.itemId())));
        }
        return out;
    }

    private static void printPlain(List<Recommendation> recs) {
        int idWidth = "item".length();
        for (Recommendation r : recs) idWidth = Math.max(idWidth, Terminal.safe(r.externalId()).length());
        System.out.printf("%4s  %-" + idWidth + "s  %9s  %8s  %s%n", "rank", "item", "score", "interest", "title");
        int rank = 1;
        for (Recommendation r : recs) {
            System.out.printf("%4d  %-" + idWidth + "s  %9.4f  %8d  %s%n", rank++, Terminal.safe(r.externalId()), r.score(),
                    r.interest(), Terminal.safe(r.label()));
        }
    }

    static List<String> parseIds(String v) {
        List<String> ids = new ArrayList<>();
        String[] parts = v.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String id = parts[i].trim();
            if (id.isEmpty()) throw new Args.UsageException("--history has an empty id at position " + (i + 1) + ": '" + v + "'");
            ids.add(id);
        }
        return ids;
    }
}
