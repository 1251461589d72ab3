package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.model.InterestModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eimf evaluate}: a saved model on the validation and test users of a dataset, split again with the
 * same protocol and seed as in training, so one trained model can be measured under several rankings
 * (for example each {@code --diversity}).
 */
final class EvaluateCommand implements Command {
    @Override
    public String name() { return "evaluate"; }

    @Override
    public String summary() { return "evaluate a saved model on a dataset's validation and test users"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("model", "MODEL_DIR", "saved model directory (eimf train --out)"));
        o.addAll(Protocols.options());
        o.add(Protocols.diversityOption());
        o.add(Option.optional("json", "FILE", "also write the metrics as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        Path dir = Path.of(args.require("model"));
        double diversity = Protocols.diversity(args);
        InterestModel model = InterestModel.load(dir);
        DataOptions.Loaded loaded = DataOptions.load(args, System.out);
        Dataset ds = loaded.dataset();
        // The model scores by internal id: the data must give the same ids, in the same order.
        if (ds.numItems() != model.catalog().size()) {
            throw new IllegalArgumentException("the model knows " + model.catalog().size() + " items but the data has "
                    + ds.numItems() + " after filtering: evaluate with the data and filtering the model was trained on");
        }
        for (int i = 1; i <= ds.numItems(); i++) {
            if (!ds.catalog().externalId(i).equals(model.catalog().externalId(i))) {
                throw new IllegalArgumentException("item " + i + " is '" + ds.catalog().externalId(i) + "' in the data but '"
                        + model.catalog().externalId(i) + "' in the model: not the data it was trained on");
            }
        }
        long seed = args.getLong("seed", 1);
        if (args.get("seed").isEmpty() && model.provenance().seed() >= 0) seed = model.provenance().seed();
        Split split = Protocols.protocol(args).split(ds, seed);
        Evaluator ev = Protocols.evaluator(args, Protocols.evalConfig(args), ds.catalog());
        long t0 = System.nanoTime();
        MetricsResult valid = ev.evaluateValid(model, split);
        MetricsResult test = ev.evaluateTest(model, split);
        System.out.printf("model %s (%s, K=%d) on %s, protocol %s, seed %d, diversity %s: %d valid / %d test users (%.1f s)%n",
                dir, model.backbone().name(), model.numInterests(), ds.name(), split.protocol(), seed, diversity,
                split.valid().size(), split.test().size(), (System.nanoTime() - t0) / 1e9);
        Tables.metrics(System.out, Tables.rows("valid", valid, "test", test));
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", dir.toString());
            json.put("dataset", ds.name());
            json.put("protocol", split.protocol());
            json.put("seed", seed);
            json.put("diversity", diversity);
            json.put("valid", Json.metrics(valid));
            json.put("test", Json.metrics(test));
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }
}
