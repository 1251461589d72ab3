package dev.eimf.examples;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.InteractionsBuilder;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.Split;
import dev.eimf.llm.MiniLmTextEncoder;
import dev.eimf.model.InterestModel;
import dev.eimf.model.RecommendRequest;
import dev.eimf.model.RecommendationList;
import dev.eimf.train.ExplicitInterestsConfig;
import dev.eimf.train.RunSettings;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The code the README shows, compiled with the build: each region between {@code README:name} markers
 * is a code block of the README, word for word ({@code ReadmeTest} checks it).
 */
public final class ReadmeExample {
    private ReadmeExample() {}

    /** Trains ComiRec-SA with explicit interests from an LLM of your own, and saves the model. */
    static TrainingResult train() {
        // README:train
        Dataset data = new Preprocessor(PreprocessConfig.builder().core(5).build())
                .process(DatasetLoaders.load(Path.of("ml-100k"), new LoadOptions(false)));
        Split split = ComiRecProtocol.defaults().split(data, 1);          // users 8:1:1, seed 1

        BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA)
                .dim(64).interests(4).maxLen(20).build();                  // K = 4, set once
        LlmClient llm = request -> new LlmClient.ChatResponse(yourModel(request.messages()), 0, 0);
        TrainerConfig config = TrainerConfig.builder(sa).maxSteps(3000).evalEvery(250).seed(1)
                .explicitInterests(ExplicitInterestsConfig.builder(
                        new LlmInterestExtractor(llm), new MiniLmTextEncoder()).build())
                .build();                                                  // without it: the backbone alone
        TrainingResult result = new Trainer(config, RunSettings.builder().workDir(Path.of("work")).build())
                .train(data, split, p -> System.err.println(p.stage() + " step " + p.step()));
        System.out.println(new Evaluator().evaluateTest(result.model(), split).values());
        result.model().save(Path.of("model"));
        // README:end
        return result;
    }

    /** Serves a saved model. */
    static RecommendationList serve(Set<String> alreadyBought) {
        // README:serve
        InterestModel model = InterestModel.load(Path.of("model"));   // thread-safe: share one instance
        RecommendationList top = model.recommend(RecommendRequest.builder(List.of("50", "172", "133", "new-sku"))
                .n(10).exclude(alreadyBought).build());                // unknown ids are skipped and counted
        top.items().forEach(r -> System.out.println(r.rank() + ". " + r.title() + " (interest " + r.interest() + ")"));
        // README:end
        return top;
    }

    /** Builds data from an application's own records. */
    static Dataset inMemory() {
        // README:data
        Dataset data = InteractionsBuilder.named("shop")
                .add("customer-1", "sku-9", 1_700_000_000L)           // user, item, timestamp[, rating]
                .add("customer-1", "sku-4", 1_700_003_600L)
                .item("sku-9", "Trail running shoes", List.of("Sports", "Running"))
                .preprocess(PreprocessConfig.builder().core(1).build());
        // README:end
        return data;
    }

    /** Stands for a call to your language model (any chat API). */
    static String yourModel(List<LlmClient.Message> messages) {
        return "{\"interests\":[]}";
    }
}
