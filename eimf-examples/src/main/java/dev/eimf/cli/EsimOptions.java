package dev.eimf.cli;

import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimStats;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.InterestExtractor;

import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.esim.SelectionStrategy;
import dev.eimf.internal.esim.StoreKey;
import dev.eimf.esim.TextEncoder;
import dev.eimf.internal.esim.TypicalSampleConfig;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.llm.MiniLmTextEncoder;
import dev.eimf.llm.OpenAiChatClient;
import dev.eimf.llm.OpenAiConfig;
import dev.eimf.llm.OpenAiEmbeddingClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ESIM options shared by {@code esim}, {@code train --eimf}, {@code quickstart} and {@code ablation}:
 * typical-sample selection, the interest extractor (offline metadata or an OpenAI-compatible LLM) and the
 * text encoder, with the clients they open.
 */
final class EsimOptions {
    private EsimOptions() {}

    /**
     * The options. The clustering seed and the number of explicit interests are left to each command, because
     * {@code --seed} and {@code --interests} already mean something else in the training commands.
     *
     * @param extractorDefault default of {@code --extractor}
     */
    static List<Command.Option> options(String extractorDefault) {
        return List.of(
                Command.Option.optional("strategy", "kmeans|random|all", "how typical users are chosen", "kmeans"),
                Command.Option.optional("clusters", "C", "K-means clusters", "50"),
                Command.Option.optional("per-cluster", "M", "users nearest each centroid", "4"),
                Command.Option.optional("extractor", "llm|metadata", "interest extractor (metadata = offline, no LLM)", extractorDefault),
                Command.Option.optional("domain", "WORD", "what the items are, for the prompt (e.g. movies)", "items"),
                Command.Option.optional("base-url", "URL", "OpenAI-compatible server for --extractor llm / --encoder openai", null),
                Command.Option.optional("llm-model", "NAME", "chat model for --extractor llm", null),
                Command.Option.optional("api-key-env", "VAR", "environment variable holding the API key", OpenAiConfig.API_KEY_ENV),
                Command.Option.optional("encoder", "minilm|openai|hash", "text encoder for the interests", "minilm"),
                Command.Option.optional("embedding-model", "NAME", "embedding model for --encoder openai", "text-embedding-3-small"),
                Command.Option.optional("concurrency", "N", "extractions in flight at once", "4"),
                Command.Option.optional("llm-deadline", "TIME", "most time one user's LLM extraction may take, "
                        + "retries included (e.g. 90s, 5m)", "180s"),
                Command.Option.optional("esim-deadline", "TIME", "most time all LLM extractions of a run may take; "
                        + "users not done by then fail and a rerun asks again", "60m"));
    }

    /** Default of {@code --llm-deadline}: a slow model answers in well under a minute; this allows retries too. */
    static final Duration LLM_DEADLINE = Duration.ofSeconds(180);
    /** Default of {@code --esim-deadline}. */
    static final Duration ESIM_DEADLINE = Duration.ofMinutes(60);
    /** How often a line says who is still being waited for. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** The parsed ESIM choices, checked for consistency; nothing is opened yet. */
    record Choice(String extractor, String encoder, TypicalSampleConfig sampling, int concurrency, Duration llmDeadline,
                  Duration esimDeadline) {
        boolean llm() {
            return extractor.equals("llm");
        }
    }

    /**
     * Parses and checks the options.
     *
     * @param extractorDefault default of {@code --extractor}
     * @param clusterSeed      seed of the clustering (or random selection)
     */
    static Choice parse(Args args, String extractorDefault, long clusterSeed) {
        String extractor = args.choice("extractor", extractorDefault, "llm", "metadata");
        String encoder = args.choice("encoder", "minilm", "minilm", "openai", "hash");
        String strategy = args.choice("strategy", "kmeans", "kmeans", "random", "all");
        int concurrency = args.getInt("concurrency", 4);
        if (concurrency < 1) throw new Args.UsageException("--concurrency must be >= 1, got " + concurrency);
        TypicalSampleConfig sampling;
        try {
            sampling = TypicalSampleConfig.builder().strategy(SelectionStrategy.parse(strategy))
                    .clusters(args.getInt("clusters", 50)).perCluster(args.getInt("per-cluster", 4))
                    .seed(clusterSeed).build();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new Args.UsageException(e.getMessage());
        }
        if (extractor.equals("llm")) {
            requireOption(args, "base-url", "--extractor llm");
            requireOption(args, "llm-model", "--extractor llm");
        }
        if (encoder.equals("openai")) requireOption(args, "base-url", "--encoder openai");
        return new Choice(extractor, encoder, sampling, concurrency, args.getDuration("llm-deadline", LLM_DEADLINE),
                args.getDuration("esim-deadline", ESIM_DEADLINE));
    }

    private static void requireOption(Args args, String name, String because) {
        if (args.get(name).isEmpty()) throw new Args.UsageException(because + " needs --" + name);
    }

    /**
     * The extractor named by {@code --extractor}; an HTTP client it opens is added to {@code closeLater}.
     *
     * @param interests J, explicit interests per user
     */
    private static InterestExtractor extractor(Args args, Choice choice, int interests, List<AutoCloseable> closeLater) {
        if (!choice.llm()) {
            return MetadataInterestExtractor.builder().interests(interests).build();
        }
        // One attempt never outlives the user's deadline, so a request given up on does not hold a connection slot.
        OpenAiConfig config = openAi(args, args.require("llm-model"));
        if (config.callTimeout().compareTo(choice.llmDeadline()) > 0) {
            config = config.toBuilder().callTimeout(choice.llmDeadline()).build();
        }
        OpenAiChatClient client = new OpenAiChatClient(config);
        closeLater.add(client);
        PromptBuilder prompts = PromptBuilder.builder().interests(interests).domain(args.get("domain", "items")).build();
        DeadlineExtractor x = new DeadlineExtractor(new LlmInterestExtractor(client, prompts, false, 1),
                choice.llmDeadline(), choice.esimDeadline(), HEARTBEAT, System.err);
        closeLater.add(x);
        return x;
    }

    /** The text encoder named by {@code --encoder}; an HTTP client it opens is added to {@code closeLater}. */
    private static TextEncoder encoder(Args args, Choice choice, List<AutoCloseable> closeLater) {
        return switch (choice.encoder()) {
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
        okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(args.require("base-url").trim());
        boolean urlCredentials = parsed != null && !(parsed.username().isEmpty() && parsed.password().isEmpty());
        // Credentials in --base-url authenticate on their own; a key left in the environment is not added to them.
        if (urlCredentials && args.get("api-key-env").isEmpty()) key = null;
        // No SLF4J backend is on the CLI's class path, so retry warnings are shown through the client's listener.
        OpenAiConfig.Builder b = OpenAiConfig.builder().baseUrl(args.require("base-url")).model(model)
                .retryListener(w -> System.err.println("eimf: " + Terminal.safe(w)));
        if (key == null || key.isBlank()) b.noApiKey(); else b.apiKey(key);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    /**
     * Extractions actually made in this run: chat requests for the LLM extractor; for the offline extractor,
     * which calls no LLM, the distinct fresh (not cached) extractions.
     */
    static int calls(Choice choice, EsimResult result) {
        if (choice.llm()) return result.stats().llmCalls();
        Set<StoreKey> keys = new HashSet<>();
        for (UserInterests u : result.users()) if (!u.cached()) keys.add(u.key());
        return keys.size();
    }

    /** The counts every command reports: typical_users, llm_calls, cached, failed, tokens, seconds. */
    static Map<String, Object> statsJson(Choice choice, EsimResult result) {
        EsimStats s = result.stats();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("typical_users", s.typicalUsers());
        json.put("llm_calls", calls(choice, result));
        json.put("cached", s.cached());
        json.put("failed", s.failed());
        json.put("tokens", s.tokens());
        json.put("seconds", s.seconds());
        return json;
    }

    /** The selection and extraction settings, for the JSON files and the work-directory guard. */
    static Map<String, Object> settingsJson(Args args, Choice choice) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("extractor", choice.extractor());
        if (choice.llm()) {
            m.put("llm_model", args.require("llm-model"));
            m.put("domain", args.get("domain", "items"));
        }
        m.put("encoder", choice.encoder().equals("openai") ? "openai:" + args.get("embedding-model", "text-embedding-3-small")
                : choice.encoder());
        m.put("strategy", choice.sampling().strategy().id());
        m.put("clusters", choice.sampling().clusters());
        m.put("per_cluster", choice.sampling().perCluster());
        m.put("cluster_seed", choice.sampling().seed());
        return m;
    }

    /** One line for the terminal. */
    static String statsLine(Choice choice, EsimStats s, int calls) {
        return String.format(Locale.ROOT, "%s calls: %d, cached: %d, failed: %d, tokens: %d (prompt %d, completion %d), %.1f s",
                choice.llm() ? "llm" : "extraction", calls, s.cached(), s.failed(), s.tokens(), s.promptTokens(),
                s.completionTokens(), s.seconds());
    }

    /** The extractor and text encoder of one command, with the HTTP clients they hold. */
    static final class Services implements AutoCloseable {
        private final List<AutoCloseable> closeLater;
        final InterestExtractor extractor;
        final TextEncoder encoder;

        private Services(InterestExtractor extractor, TextEncoder encoder, List<AutoCloseable> closeLater) {
            this.extractor = extractor;
            this.encoder = encoder;
            this.closeLater = closeLater;
        }

        /** Closes the clients, last opened first. */
        @Override
        public void close() throws IOException {
            IOException first = null;
            for (int i = closeLater.size() - 1; i >= 0; i--) {
                try {
                    closeLater.get(i).close();
                } catch (Exception e) {
                    IOException io = e instanceof IOException x ? x : new IOException("closing " + closeLater.get(i), e);
                    if (first == null) first = io; else first.addSuppressed(io);
                }
            }
            if (first != null) throw first;
        }
    }

    /**
     * Opens the extractor and the encoder the options name.
     *
     * @param interests J, explicit interests per user
     */
    static Services open(Args args, Choice choice, int interests) throws IOException {
        List<AutoCloseable> closeLater = new ArrayList<>();
        try {
            InterestExtractor x = extractor(args, choice, interests, closeLater);
            TextEncoder e = encoder(args, choice, closeLater);
            return new Services(x, e, closeLater);
        } catch (RuntimeException e) {
            new Services(null, null, closeLater).close();
            throw e;
        }
    }
}
