package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.data.ItemCatalog;
import dev.eimf.esim.EsimResult;
import dev.eimf.esim.EsimRunner;
import dev.eimf.esim.EsimStats;
import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.InterestParser;
import dev.eimf.esim.InterestStore;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.esim.SelectionStrategy;
import dev.eimf.esim.StoreKey;
import dev.eimf.esim.TextEncoder;
import dev.eimf.esim.TypicalSampleConfig;
import dev.eimf.esim.TypicalSampleSelector;
import dev.eimf.esim.TypicalSamples;
import dev.eimf.esim.UserHistory;
import dev.eimf.esim.UserInterests;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.LeaveOneOutProtocol;
import dev.eimf.eval.Split;
import dev.eimf.llm.MiniLmTextEncoder;
import dev.eimf.llm.OpenAiChatClient;
import dev.eimf.llm.OpenAiConfig;
import dev.eimf.llm.OpenAiEmbeddingClient;
import dev.eimf.model.ModelStore;
import dev.eimf.model.SavedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eimf esim}: picks typical users by clustering a saved model's interests, extracts their explicit
 * interests (LLM or offline metadata extractor), encodes them, and keeps everything in the interest store.
 */
final class EsimCommand implements Command {
    /** Users whose interests are computed in one batch. */
    private static final int CHUNK = 1024;
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
        o.add(Option.optional("strategy", "kmeans|random|all", "how typical users are chosen", "kmeans"));
        o.add(Option.optional("clusters", "C", "K-means clusters", "50"));
        o.add(Option.optional("per-cluster", "M", "users nearest each centroid", "4"));
        o.add(Option.optional("seed", "N", "seed of the clustering", "42"));
        o.add(Option.optional("extractor", "llm|metadata", "interest extractor (metadata = offline, no LLM)", "metadata"));
        o.add(Option.optional("interests", "J", "explicit interests per user", "the model's K"));
        o.add(Option.optional("domain", "WORD", "what the items are, for the prompt (e.g. movies)", "items"));
        o.add(Option.optional("base-url", "URL", "OpenAI-compatible server for --extractor llm / --encoder openai", null));
        o.add(Option.optional("llm-model", "NAME", "chat model for --extractor llm", null));
        o.add(Option.optional("api-key-env", "VAR", "environment variable holding the API key", OpenAiConfig.API_KEY_ENV));
        o.add(Option.optional("encoder", "minilm|openai|hash", "text encoder for the interests", "minilm"));
        o.add(Option.optional("embedding-model", "NAME", "embedding model for --encoder openai", "text-embedding-3-small"));
        o.add(Option.optional("concurrency", "N", "extractions in flight at once", "4"));
        o.add(Option.required("store", "DIR", "interest store directory (reused by reruns)"));
        o.add(Option.optional("json", "FILE", "also write the counts and the users as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        String extractorName = args.choice("extractor", "metadata", "llm", "metadata");
        String encoderName = args.choice("encoder", "minilm", "minilm", "openai", "hash");
        String strategy = args.choice("strategy", "kmeans", "kmeans", "random", "all");
        int concurrency = args.getInt("concurrency", 4);
        if (concurrency < 1) throw new Args.UsageException("--concurrency must be >= 1, got " + concurrency);
        TypicalSampleConfig sampling;
        try {
            sampling = TypicalSampleConfig.builder().strategy(SelectionStrategy.valueOf(strategy.toUpperCase(Locale.ROOT)))
                    .clusters(args.getInt("clusters", 50)).perCluster(args.getInt("per-cluster", 4))
                    .seed(args.getLong("seed", 42)).build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (extractorName.equals("llm")) {
            requireOption(args, "base-url", "--extractor llm");
            requireOption(args, "llm-model", "--extractor llm");
        }
        if (encoderName.equals("openai")) requireOption(args, "base-url", "--encoder openai");

        SavedModel model = ModelStore.load(Path.of(args.require("model")));
        int interests = args.getInt("interests", model.numInterests());
        if (interests < 1) throw new Args.UsageException("--interests must be >= 1, got " + interests);
        Dataset ds = DataOptions.load(args, System.out).dataset();
        checkSameItems(model.catalog(), ds.catalog());

        Users users = users(model, ds);
        System.out.printf("esim on %s with %s: %d %s users; strategy %s, C=%d, m=%d%n", ds.name(), args.require("model"),
                users.ids.size(), users.source, strategy, sampling.clusters(), sampling.perCluster());
        float[][] behaviour = behaviourVectors(model, users.sequences);
        TypicalSamples samples = new TypicalSampleSelector(sampling).select(users.ids, behaviour);
        List<UserHistory> histories = new ArrayList<>();
        for (TypicalSamples.TypicalUser t : samples.chosen()) {
            histories.add(UserHistory.of(t.userId(), users.sequences[t.index()], ds.catalog()));
        }

        List<AutoCloseable> closeLater = new ArrayList<>();
        try (InterestStore store = InterestStore.open(Path.of(args.require("store")))) {
            store.recovery().ifPresent(r -> System.out.println("store: recovered from a torn last line: " + r.message()));
            InterestExtractor extractor = extractor(args, extractorName, interests, closeLater);
            TextEncoder encoder = encoder(args, encoderName, closeLater);
            EsimRunner runner = EsimRunner.builder().extractor(extractor).encoder(encoder).store(store)
                    .concurrency(concurrency).build();
            EsimResult result = runner.run(histories);
            report(args, extractorName, encoder, store, samples, result);
            return 0;
        } finally {
            for (AutoCloseable c : closeLater) c.close();
        }
    }

    private void report(Args args, String extractorName, TextEncoder encoder, InterestStore store,
                        TypicalSamples samples, EsimResult result) throws java.io.IOException {
        EsimStats s = result.stats();
        // With the offline extractor no LLM is called; count its fresh extractions instead (issue #4).
        int calls = extractorName.equals("llm") ? s.llmCalls() : freshExtractions(result);
        System.out.printf("typical users: %d in %d clusters%n", s.typicalUsers(), samples.numClusters());
        int shown = 0;
        for (int i = 0; i < result.users().size() && shown < SHOWN; i++, shown++) {
            UserInterests u = result.users().get(i);
            TypicalSamples.TypicalUser t = samples.chosen().get(i);
            System.out.printf("  user %-8s cluster %3d  %-6s %s%n", u.userId(), t.cluster(),
                    u.ok() ? (u.cached() ? "cached" : "new") : "FAILED",
                    u.ok() ? names(u.interests()) : u.reason());
        }
        if (result.users().size() > shown) System.out.printf("  ... and %d more%n", result.users().size() - shown);
        System.out.printf("%s calls: %d, cached: %d, failed: %d, tokens: %d (prompt %d, completion %d), %.1f s%n",
                extractorName.equals("llm") ? "llm" : "extraction", calls, s.cached(), s.failed(), s.tokens(),
                s.promptTokens(), s.completionTokens(), s.seconds());
        System.out.println("store: " + store.file() + " (" + store.size() + " entries)");
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("typical_users", s.typicalUsers());
            json.put("llm_calls", calls);
            json.put("cached", s.cached());
            json.put("failed", s.failed());
            json.put("tokens", s.tokens());
            json.put("seconds", s.seconds());
            json.put("prompt_tokens", s.promptTokens());
            json.put("completion_tokens", s.completionTokens());
            json.put("extractor", extractorName);
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

    private static int freshExtractions(EsimResult result) {
        Set<StoreKey> keys = new HashSet<>();
        for (UserInterests u : result.users()) if (!u.cached()) keys.add(u.key());
        return keys.size();
    }

    private static String names(List<ExplicitInterest> interests) {
        List<String> ns = new ArrayList<>();
        for (ExplicitInterest e : interests) ns.add(e.name());
        String s = String.join("; ", ns);
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }

    private static void requireOption(Args args, String name, String because) {
        if (args.get(name).isEmpty()) throw new Args.UsageException(because + " needs --" + name);
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
     * The training users of the model's split (method spec §3.2), rebuilt from the protocol and seed the
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

    /** Each user's L2-normalised mean of its K interests (method spec §3.2). */
    static float[][] behaviourVectors(SavedModel model, int[][] sequences) {
        float[][] out = new float[sequences.length][];
        for (int from = 0; from < sequences.length; from += CHUNK) {
            int to = Math.min(sequences.length, from + CHUNK);
            float[][][] v = model.interestsBatch(Arrays.copyOfRange(sequences, from, to));
            for (int u = from; u < to; u++) {
                float[][] k = v[u - from];
                float[] mean = new float[k[0].length];
                for (float[] row : k) for (int j = 0; j < mean.length; j++) mean[j] += row[j] / k.length;
                double norm = 0;
                for (float x : mean) norm += (double) x * x;
                norm = Math.sqrt(norm);
                if (norm > 0) for (int j = 0; j < mean.length; j++) mean[j] = (float) (mean[j] / norm);
                out[u] = mean;
            }
        }
        return out;
    }

    private static InterestExtractor extractor(Args args, String name, int interests, List<AutoCloseable> closeLater) {
        if (name.equals("metadata")) {
            return MetadataInterestExtractor.builder().interests(interests).build();
        }
        OpenAiChatClient client = new OpenAiChatClient(openAi(args, args.require("llm-model")));
        closeLater.add(client);
        PromptBuilder prompts = PromptBuilder.builder().interests(interests).domain(args.get("domain", "items")).build();
        return new LlmInterestExtractor(client, prompts, new InterestParser(), 1);
    }

    private static TextEncoder encoder(Args args, String name, List<AutoCloseable> closeLater) {
        return switch (name) {
            case "hash" -> new HashingTextEncoder();
            case "minilm" -> new MiniLmTextEncoder();
            default -> {
                OpenAiEmbeddingClient c = OpenAiEmbeddingClient.builder(openAi(args, args.get("embedding-model",
                        "text-embedding-3-small"))).build();
                closeLater.add(c);
                yield c;
            }
        };
    }

    /** Server settings; the key comes from the named environment variable, never from the command line. */
    private static OpenAiConfig openAi(Args args, String model) {
        String var = args.get("api-key-env", OpenAiConfig.API_KEY_ENV);
        String key = System.getenv(var);
        if (args.get("api-key-env").isPresent() && (key == null || key.isBlank())) {
            throw new Args.UsageException("--api-key-env " + var + ": that environment variable is not set");
        }
        OpenAiConfig.Builder b = OpenAiConfig.builder().baseUrl(args.require("base-url")).model(model);
        if (key == null || key.isBlank()) b.noApiKey(); else b.apiKey(key);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }
}
