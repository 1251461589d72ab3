package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.internal.esim.EsimStats;
import dev.eimf.esim.ExplicitInterest;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.esim.TextEncoder;
import dev.eimf.internal.esim.TypicalSampleConfig;
import dev.eimf.internal.esim.TypicalSampleSelector;
import dev.eimf.internal.esim.TypicalSamples;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.LeaveOneOutProtocol;
import dev.eimf.eval.Split;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eimf esim}: picks typical users by clustering a saved model's interests, extracts their explicit
 * interests (LLM or offline metadata extractor), encodes them, and keeps everything in the interest store.
 */
final class EsimCommand implements Command {
    /** Users whose interests are computed in one batch. */
    /** Typical users listed on the terminal; the JSON lists all. */
    private static final int SHOWN = 10;

    @Override
    public String name() { return "esim"; }

    @Override
    public String summary() { return "explicit interests of typical users (clustering, LLM or metadata, text encoder, store)"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("model", "MODEL_DIR", "saved model directory (eimf train --out) trained on this data"));
        o.addAll(EsimOptions.options("metadata"));
        o.add(Option.optional("seed", "N", "seed of the clustering", "42"));
        o.add(Option.optional("interests", "J", "explicit interests per user", "the model's K"));
        o.add(Option.required("store", "DIR", "interest store directory (reused by reruns)"));
        o.add(Option.optional("json", "FILE", "also write the counts and the users as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        EsimOptions.Choice choice = EsimOptions.parse(args, "metadata", args.getLong("seed", 42));
        TypicalSampleConfig sampling = choice.sampling();

        SavedModel model = ModelStore.load(Path.of(args.require("model")));
        int interests = args.getInt("interests", model.numInterests());
        if (interests < 1) throw new Args.UsageException("--interests must be >= 1, got " + interests);
        Dataset ds = DataOptions.load(args, System.out).dataset();
        checkSameItems(model.catalog(), ds.catalog());

        Users users = users(model, ds);
        System.out.printf("esim on %s with %s: %d %s users; strategy %s, C=%d, m=%d%n", Terminal.safe(ds.name()),
                Terminal.safe(args.require("model")),
                users.ids.size(), users.source, sampling.strategy().id(), sampling.clusters(), sampling.perCluster());
        float[][] behaviour = dev.eimf.internal.pipeline.EimfPipeline.behaviourVectors(model::interestsArray, users.sequences);
        TypicalSamples samples = new TypicalSampleSelector(sampling).select(users.ids, behaviour);
        List<UserHistory> histories = new ArrayList<>();
        for (TypicalSamples.TypicalUser t : samples.chosen()) {
            histories.add(UserHistory.of(t.userId(), users.sequences[t.index()], ds.catalog()));
        }

        try (InterestStore store = InterestStore.open(Path.of(args.require("store")));
             EsimOptions.Services services = EsimOptions.open(args, choice, interests)) {
            store.recovery().ifPresent(r -> System.out.println("store: recovered from a torn last line: "
                    + Terminal.safe(r.message())));
            EsimRunner runner = EsimRunner.builder().extractor(services.extractor).encoder(services.encoder).store(store)
                    .concurrency(choice.concurrency()).build();
            EsimResult result = runner.run(histories);
            report(args, choice, services.encoder, store, samples, result);
            int failed = result.stats().failed();
            if (failed > 0) {
                System.err.printf("eimf esim: %d of %d typical users failed (reasons above%s); a rerun asks again for them%n",
                        failed, result.stats().typicalUsers(), args.get("json").isPresent() ? " and in the JSON" : "");
                return 1;
            }
            return 0;
        }
    }

    private void report(Args args, EsimOptions.Choice choice, TextEncoder encoder, InterestStore store,
                        TypicalSamples samples, EsimResult result) throws java.io.IOException {
        EsimStats s = result.stats();
        // With the offline extractor no LLM is called; count its fresh extractions instead (issue #4).
        int calls = EsimOptions.calls(choice, result);
        System.out.printf("typical users: %d in %d clusters%n", s.typicalUsers(), samples.numClusters());
        int shown = 0;
        for (int i = 0; i < result.users().size() && shown < SHOWN; i++, shown++) {
            UserInterests u = result.users().get(i);
            TypicalSamples.TypicalUser t = samples.chosen().get(i);
            System.out.printf("  user %-8s cluster %3d  %-6s %s%n", Terminal.safe(u.userId()), t.cluster(),
                    u.ok() ? (u.cached() ? "cached" : "new") : "FAILED",
                    Terminal.safe(u.ok() ? names(u.interests()) : u.reason()));
        }
        if (result.users().size() > shown) System.out.printf("  ... and %d more%n", result.users().size() - shown);
        System.out.println(EsimOptions.statsLine(choice, s, calls));
        System.out.println("store: " + store.file() + " (" + store.size() + " entries)");
        if (args.get("json").isPresent()) {
            Map<String, Object> json = EsimOptions.statsJson(choice, result);
            json.put("prompt_tokens", s.promptTokens());
            json.put("completion_tokens", s.completionTokens());
            json.put("extractor", choice.extractor());
            json.put("encoder", encoder.name());
            json.put("clusters", samples.numClusters());
            json.put("store", store.file().toString());
            List<Map<String, Object>> list = new ArrayList<>();
            for (int i = 0; i < result.users().size(); i++) {
                UserInterests u = result.users().get(i);
                TypicalSamples.TypicalUser t = samples.chosen().get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("user_id", u.userId());
                m.put("cluster", t.cluster());
                m.put("distance", t.distance());
                m.put("status", u.status().name().toLowerCase(Locale.ROOT));
                m.put("cached", u.cached());
                List<String> ns = new ArrayList<>();
                for (ExplicitInterest e : u.interests()) ns.add(e.name());
                m.put("interests", ns);
                if (!u.ok()) m.put("reason", u.reason());
                list.add(m);
            }
            json.put("users", list);
            Json.write(Path.of(args.require("json")), json);
        }
    }

    private static String names(List<ExplicitInterest> interests) {
        List<String> ns = new ArrayList<>();
        for (ExplicitInterest e : interests) ns.add(e.name());
        String s = String.join("; ", ns);
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }

    /** The model must have been trained on this very item set: same ids in the same internal order. */
    private static void checkSameItems(ItemCatalog model, ItemCatalog data) {
        if (model.size() != data.size()) {
            throw new IllegalArgumentException("the model knows " + model.size() + " items but the data has " + data.size()
                    + " after filtering; pass the --data, --kcore and --min-rating used for training");
        }
        for (int i = 1; i <= model.size(); i++) {
            if (!model.externalId(i).equals(data.externalId(i))) {
                throw new IllegalArgumentException("item " + i + " is '" + model.externalId(i) + "' in the model but '"
                        + data.externalId(i) + "' in the data; pass the --data and filters used for training");
            }
        }
    }

    /** Users to cluster, with the sequences their prompts show. */
    private record Users(String source, List<String> ids, int[][] sequences) {}

    /**
     * The training users of the model's split (docs/METHOD.md, section 4.2), rebuilt from the protocol and seed the
     * model records; every user with a full sequence when the model records no protocol.
     */
    private static Users users(SavedModel model, Dataset ds) {
        String protocol = model.metadata().protocol();
        List<String> ids = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        String source;
        if (protocol.equals(ComiRecProtocol.NAME) || protocol.equals(LeaveOneOutProtocol.NAME)) {
            Split split = (protocol.equals(LeaveOneOutProtocol.NAME) ? new LeaveOneOutProtocol() : ComiRecProtocol.defaults())
                    .split(ds, model.training().seed());
            for (int i = 0; i < split.train().length; i++) {
                if (split.train()[i].length == 0) continue;
                ids.add(ds.userId(split.trainUsers()[i]));
                seqs.add(split.train()[i]);
            }
            source = "training (" + protocol + " split, seed " + model.training().seed() + ")";
        } else {
            for (int u = 0; u < ds.numUsers(); u++) {
                if (ds.sequence(u).length == 0) continue;
                ids.add(ds.userId(u));
                seqs.add(ds.sequence(u));
            }
            source = "all";
        }
        if (ids.isEmpty()) throw new IllegalArgumentException("no users with a history in " + ds.name());
        return new Users(source, ids, seqs.toArray(int[][]::new));
    }
}
