package dev.eimf.examples.app;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.Backbones;
import dev.eimf.data.Dataset;
import dev.eimf.data.InteractionsBuilder;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.Split;
import dev.eimf.model.InterestExplanation;
import dev.eimf.model.InterestModel;
import dev.eimf.model.RecommendRequest;
import dev.eimf.model.RecommendationList;
import dev.eimf.train.ExplicitInterestsConfig;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small shop application built on the exported API only: it fills a dataset from its own records (here
 * generated), trains a backbone, trains again with explicit interests from its own LLM client and text
 * encoder, saves and loads the model, and serves recommendations with an exclusion set and unknown items.
 * {@code ShopAppTest} runs each step; {@link #main} runs them in order and prints what a user sees.
 */
public final class ShopApp {
    /** The shop's departments; every item belongs to one. */
    public static final List<String> DEPARTMENTS = List.of("Running", "Camping", "Cycling", "Swimming", "Climbing", "Yoga");
    private static final Pattern LINE = Pattern.compile("^(\\d+)\\. (.*)$", Pattern.MULTILINE);
    private static final Pattern COUNT = Pattern.compile("exactly (\\d+) explicit interests");

    private ShopApp() {
    }

    /**
     * The shop's purchase log as an application would read it from its database: each customer buys from
     * two departments in turn; 20 items per department, with titles and categories.
     */
    public static Dataset shopData(int customers, long seed) {
        InteractionsBuilder b = InteractionsBuilder.named("shop");
        for (int d = 0; d < DEPARTMENTS.size(); d++) {
            for (int i = 0; i < 20; i++) {
                String dept = DEPARTMENTS.get(d);
                b.item(itemId(d, i), dept + " gear no. " + i, List.of("Sports", dept));
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int c = 0; c < customers; c++) {
            int first = r.nextInt(DEPARTMENTS.size());
            int second = (first + 1 + r.nextInt(DEPARTMENTS.size() - 1)) % DEPARTMENTS.size();
            int n = 12 + r.nextInt(10);
            for (int k = 0; k < n; k++) {
                int dept = k % 3 == 2 ? second : first;
                b.add("customer-" + c, itemId(dept, r.nextInt(20)), 1_700_000_000L + k * 3600L);
            }
        }
        return b.preprocess(PreprocessConfig.builder().core(3).build());
    }

    /** The item id of department {@code d}'s item {@code i}. */
    public static String itemId(int d, int i) {
        return "sku-" + DEPARTMENTS.get(d).toLowerCase(Locale.ROOT) + "-" + i;
    }

    /** A small backbone: d 16, K 2, the last 10 purchases. */
    public static BackboneConfig backbone(String name) {
        return BackboneConfig.builder(name).dim(16).interests(2).maxLen(10).build();
    }

    /** Training settings sized for the shop: a validation every 50 steps. */
    public static TrainerConfig.Builder training(BackboneConfig backbone, long maxSteps) {
        return TrainerConfig.builder(backbone).batchSize(32).learningRate(5e-3).maxSteps(maxSteps).evalEvery(50)
                .patience(20).seed(7);
    }

    /**
     * The shop's own language model, as a lambda: it reads the prompt's numbered purchases and names the
     * departments that occur most, with the purchases as evidence. A real application calls its LLM here.
     */
    public static LlmClient departmentLlm() {
        return request -> {
            String prompt = request.messages().get(request.messages().size() - 1).content();
            Matcher count = COUNT.matcher(prompt);
            int j = count.find() ? Integer.parseInt(count.group(1)) : 2;
            Map<String, List<Integer>> evidence = new LinkedHashMap<>();
            Matcher line = LINE.matcher(prompt);
            while (line.find()) {
                for (String dept : DEPARTMENTS) {
                    if (line.group(2).contains(dept)) {
                        evidence.computeIfAbsent(dept, x -> new ArrayList<>()).add(Integer.parseInt(line.group(1)));
                    }
                }
            }
            List<Map.Entry<String, List<Integer>>> ranked = new ArrayList<>(evidence.entrySet());
            ranked.sort((a, b) -> b.getValue().size() - a.getValue().size());
            StringBuilder json = new StringBuilder("{\"interests\":[");
            for (int i = 0; i < Math.min(j, ranked.size()); i++) {
                if (i > 0) json.append(',');
                json.append("{\"name\":\"").append(ranked.get(i).getKey()).append(" enthusiast\",\"description\":\"buys ")
                        .append(ranked.get(i).getKey().toLowerCase(Locale.ROOT)).append(" gear\",\"evidence\":")
                        .append(ranked.get(i).getValue()).append('}');
            }
            return new LlmClient.ChatResponse(json.append("]}").toString(), 100, 40);
        };
    }

    /** The explicit-interest stages with the shop's LLM and text encoder: 6 clusters of 3 typical customers. */
    public static ExplicitInterestsConfig explicitInterests() {
        return ExplicitInterestsConfig.builder(new LlmInterestExtractor(departmentLlm()), new WordTextEncoder(32))
                .clusters(6).perCluster(3).warmupSteps(100).build();
    }

    /** Trains, saves, loads, and shows one customer's recommendations and named interests. */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "shop-out");
        Backbones.register(PooledBackbone.NAME, PooledBackbone.FACTORY);
        Dataset data = shopData(400, 1);
        Split split = ComiRecProtocol.defaults().split(data, 1);

        TrainingResult plain = new Trainer(training(backbone(BackboneConfig.COMIREC_SA), 400).build()).train(data, split);
        TrainingResult eimf = new Trainer(training(backbone(BackboneConfig.COMIREC_SA), 400)
                .explicitInterests(explicitInterests()).build()).train(data, split);
        TrainingResult pooled = new Trainer(training(backbone(PooledBackbone.NAME), 400).build()).train(data, split);
        Evaluator evaluator = new Evaluator();
        System.out.printf(Locale.ROOT, "test recall@50: backbone %.3f, with explicit interests %.3f, own backbone %.3f%n",
                evaluator.evaluateTest(plain.model(), split).get("recall@50"),
                evaluator.evaluateTest(eimf.model(), split).get("recall@50"),
                evaluator.evaluateTest(pooled.model(), split).get("recall@50"));

        eimf.model().save(out.resolve("model"));
        InterestModel model = InterestModel.load(out.resolve("model"));
        List<String> history = List.of(itemId(0, 1), itemId(0, 2), "sku-new-arrival", itemId(3, 4));
        RecommendationList top = model.recommend(RecommendRequest.builder(history).n(5)
                .exclude(List.of(itemId(0, 3))).build());
        System.out.println("skipped unknown items: " + top.unknownItems());
        top.items().forEach(r -> System.out.println(r.rank() + ". " + r.label() + " (interest " + r.interest() + ")"));
        for (InterestExplanation e : model.explain(history)) {
            System.out.println("interest " + e.interest() + ": " + e.label() + " <- " + e.items());
        }
    }
}
