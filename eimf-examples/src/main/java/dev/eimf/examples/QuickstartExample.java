package dev.eimf.examples;

import dev.eimf.data.DataPaths;
import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.llm.MiniLmTextEncoder;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.EimfResult;
import dev.eimf.internal.pipeline.InterestExplainer;
import dev.eimf.internal.pipeline.PipelineListener;
import dev.eimf.internal.serve.Recommendation;
import dev.eimf.internal.train.TrainerConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * EIMF from Java in one page: load MovieLens-100K, split it, train ComiRec-SA with EIMF (offline metadata
 * extractor, in-JVM MiniLM text encoder), evaluate on the test users, and explain one user's interests and
 * recommendations. The same code is in the README ("Use it from Java").
 *
 * <p>Run: {@code java -cp ... dev.eimf.examples.QuickstartExample [ML_100K_DIR [STEPS]]}; without a directory
 * it looks in {@code $EIMF_DATA/ml-100k}, then {@code ../shared/data/ml-100k}.
 */
public final class QuickstartExample {
    private QuickstartExample() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : DataPaths.dataset("ml-100k").orElseThrow(() ->
                new IllegalStateException("MovieLens-100K not found: pass its folder, or set EIMF_DATA "
                        + "(https://files.grouplens.org/datasets/movielens/ml-100k.zip)"));
        long steps = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        Path out = Path.of("example-out");

        // 1. Data: load, 5-core filter, ComiRec split (8:1:1 users, seed 1).
        Dataset data = new Preprocessor(PreprocessConfig.builder().core(5).build())
                .process(DatasetLoaders.load(dir, new LoadOptions(false)));
        Split split = ComiRecProtocol.defaults().split(data, 1);

        // 2. The backbone and its training settings.
        EncoderConfig sa = EncoderConfig.builder(EncoderType.SA).dim(64).numInterests(4).maxLen(20).build();
        TrainerConfig trainer = TrainerConfig.builder(rng -> Encoders.create(sa, rng))
                .maxSteps(steps).evalEvery((int) Math.max(1, Math.min(250, steps))).seed(1).build();

        // 3. EIMF: warm-up, ESIM on typical users (offline extractor, local text encoder), multi-task training.
        //    Any InterestExtractor (e.g. LlmInterestExtractor over an OpenAI-compatible server) or TextEncoder fits.
        EimfConfig config = EimfConfig.builder(trainer)
                .extractor(MetadataInterestExtractor.builder().interests(4).build())
                .textEncoder(new MiniLmTextEncoder())
                .storeDir(out.resolve("store"))   // extracted interests, reused by reruns
                .workDir(out.resolve("work"))     // checkpoints: a rerun resumes every stage
                .build();
        EimfResult result = new EimfPipeline(config).run(data, split, new PipelineListener() {
            @Override
            public void stage(String stage, String detail) {
                System.err.println(stage + ": " + detail);
            }
        });

        // 4. Evaluate on the test users (Recall, NDCG, HitRate @20 and @50).
        MetricsResult test = new Evaluator().evaluateTest(result.model(), split);
        System.out.println("test: " + test);

        // 5. Explain one test user: each interest named by its nearest ESIM phrase (no LLM at serving time),
        //    then the recommendations with the interest behind each.
        EvalCase user = split.test().get(0);
        InterestExplainer explainer = new InterestExplainer(result.model(), result.semantics().orElseThrow());
        List<InterestExplainer.Explained> interests = explainer.explain(user.history());
        for (InterestExplainer.Explained e : interests) {
            System.out.printf("interest %d: %s (cosine %.2f), driven by %s%n", e.interest(), e.label(), e.cosine(),
                    e.items().stream().map(i -> data.catalog().info(i).label()).toList());
        }
        SavedModel model = SavedModel.of(result.model(), data.catalog(), ModelMetadata.empty());
        for (Recommendation r : model.recommender().recommend(user.history(), 10)) {
            System.out.printf("  %-50s <- %s%n", r.label(), interests.get(r.interest()).label());
        }
    }
}
