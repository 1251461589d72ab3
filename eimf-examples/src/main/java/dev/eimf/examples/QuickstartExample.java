package dev.eimf.examples;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.DataPaths;
import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.Split;
import dev.eimf.llm.MiniLmTextEncoder;
import dev.eimf.model.InterestExplanation;
import dev.eimf.model.InterestModel;
import dev.eimf.model.Recommendation;
import dev.eimf.model.RecommendRequest;
import dev.eimf.train.ExplicitInterestsConfig;
import dev.eimf.train.RunSettings;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;

/**
 * EIMF-Java from Java in one page: load MovieLens-100K, split it, train ComiRec-SA with explicit interests
 * (offline metadata extractor, in-JVM MiniLM text encoder), evaluate on the test users, save, load, and
 * serve one user with named interests. The README's "Use it from Java" shows this file.
 *
 * <p>Run: {@code java -cp ... dev.eimf.examples.QuickstartExample [ML_100K_DIR [STEPS]]}; without a directory
 * it looks in {@code $EIMF_DATA/ml-100k}, then {@code ../shared/data/ml-100k}.
 */
public final class QuickstartExample {
    private QuickstartExample() {}

    /** Trains, evaluates, saves, loads and serves; see the class comment for the arguments. */
    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : DataPaths.dataset("ml-100k").orElseThrow(() ->
                new IllegalStateException("MovieLens-100K not found: pass its folder, or set EIMF_DATA "
                        + "(https://files.grouplens.org/datasets/movielens/ml-100k.zip)"));
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        Path out = Path.of("example-out");

        // 1. Data: load, 5-core filter, ComiRec split (8:1:1 users, seed 1).
        Dataset data = new Preprocessor(PreprocessConfig.builder().core(5).build())
                .process(DatasetLoaders.load(dir, new LoadOptions(false)));
        Split split = ComiRecProtocol.defaults().split(data, 1);

        // 2. The model: ComiRec-SA with K = 4 interests (set once, here), plus the explicit-interest stages.
        //    Any InterestExtractor (an LLM through LlmInterestExtractor) or TextEncoder fits.
        BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA).dim(64).interests(4).maxLen(20).build();
        TrainerConfig config = TrainerConfig.builder(sa)
                .maxSteps(steps).evalEvery((int) Math.min(250, steps)).seed(1)
                .explicitInterests(ExplicitInterestsConfig.builder(
                        MetadataInterestExtractor.builder().build(), new MiniLmTextEncoder()).build())
                .build();

        // 3. Train; the work directory makes a rerun resume (or extend) instead of starting over.
        RunSettings settings = RunSettings.builder().workDir(out.resolve("work")).build();
        TrainingResult result = new Trainer(config, settings).train(data, split, progress ->
                System.err.printf("%s step %d/%d loss %.3f%n", progress.stage(), progress.step(),
                        progress.maxSteps(), progress.loss()));
        System.out.println("test " + new Evaluator().evaluateTest(result.model(), split).values()
                + " (" + result.report().stopReason() + " at step " + result.report().steps() + ")");

        // 4. Save, load (in the serving application), and serve: thread-safe, no LLM involved.
        result.model().save(out.resolve("model"));
        InterestModel model = InterestModel.load(out.resolve("model"));
        List<String> history = List.of("50", "172", "181", "1", "121", "117");   // MovieLens item ids
        for (InterestExplanation e : model.explain(history)) {
            System.out.println("interest " + e.interest() + ": " + e.label() + " <- " + e.items());
        }
        List<Recommendation> top = model.recommend(RecommendRequest.builder(history).n(10)
                .exclude(List.of("100")).build()).items();
        for (Recommendation r : top) {
            System.out.println(r.rank() + ". " + r.title() + " (interest " + r.interest() + ")");
        }
    }
}
