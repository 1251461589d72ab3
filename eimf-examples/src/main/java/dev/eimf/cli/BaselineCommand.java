package dev.eimf.cli;

import dev.eimf.eval.Evaluator;
import dev.eimf.eval.ItemKnn;
import dev.eimf.eval.ItemKnnConfig;
import dev.eimf.eval.ItemScorer;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.MostPopular;
import dev.eimf.eval.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code eimf baseline}: MostPopular or item-kNN on valid and test users. */
final class BaselineCommand implements Command {
    @Override
    public String name() { return "baseline"; }

    @Override
    public String summary() { return "evaluate a baseline (MostPopular or item co-occurrence kNN)"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("baseline", "pop|itemknn", "which baseline"));
        o.addAll(Protocols.options());
        o.add(Protocols.diversityOption());
        o.add(Option.optional("neighbours", "K", "neighbours per item for itemknn", "100"));
        o.add(Option.optional("json", "FILE", "also write the metrics as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        String which = args.choice("baseline", null, "pop", "itemknn");
        DataOptions.Loaded loaded = DataOptions.load(args, System.out);
        long seed = args.getLong("seed", 1);
        Split split = Protocols.protocol(args).split(loaded.dataset(), seed);
        long t0 = System.nanoTime();
        ItemScorer scorer = which.equals("pop")
                ? MostPopular.fit(split)
                : ItemKnn.fit(split, ItemKnnConfig.builder().neighbours(args.getInt("neighbours", 100)).build());
        Evaluator ev = Protocols.evaluator(args, Protocols.evalConfig(args), loaded.dataset().catalog());
        MetricsResult valid = ev.evaluateValid(scorer, split);
        MetricsResult test = ev.evaluateTest(scorer, split);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("baseline %s, protocol %s, seed %d: %d train / %d valid / %d test users, %d items (%.1f s)%n",
                which, split.protocol(), seed, split.train().length, split.valid().size(), split.test().size(),
                split.numItems(), secs);
        Tables.metrics(System.out, Tables.rows("valid", valid, "test", test));
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("baseline", which);
            json.put("protocol", split.protocol());
            json.put("seed", seed);
            json.put("diversity", Protocols.diversity(args));
            json.put("valid", Json.metrics(valid));
            json.put("test", Json.metrics(test));
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }
}
