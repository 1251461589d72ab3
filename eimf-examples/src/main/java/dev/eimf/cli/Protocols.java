package dev.eimf.cli;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemCategories;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.LeaveOneOutProtocol;
import dev.eimf.eval.NdcgVariant;
import dev.eimf.eval.Protocol;
import java.util.List;

/** Protocol and metric options shared by the evaluating commands. */
final class Protocols {
    private Protocols() {}

    static List<Command.Option> options() {
        return List.of(
                Command.Option.optional("protocol", "comirec|loo", "evaluation protocol", "comirec"),
                Command.Option.optional("seed", "N", "seed of every random choice", "1"),
                Command.Option.optional("ndcg", "standard|comirec", "NDCG variant", "standard"),
                Command.Option.flag("keep-history", "rank history items too (default: excluded)"));
    }

    /** {@code --diversity LAMBDA}, for the commands that rank for evaluation or serving. */
    static Command.Option diversityOption() {
        return Command.Option.optional("diversity", "LAMBDA", "controllable diversity at ranking (ComiRec): pick N items "
                + "greedily by score + LAMBDA per picked item of another category; 0 ranks by score alone", "0");
    }

    /** The value of {@code --diversity}, checked. */
    static double diversity(Args args) {
        double v = args.getDouble("diversity", 0);
        if (!(v >= 0) || Double.isInfinite(v)) throw new Args.UsageException("--diversity must be >= 0, got " + v);
        return v;
    }

    /**
     * The evaluator of the final metrics: the config with {@code --diversity}, and the items' categories so
     * that Diversity@N is reported. Training's validation keeps the plain ranking, so the weights kept do not
     * depend on lambda.
     */
    static Evaluator evaluator(Args args, EvalConfig plain, ItemCatalog catalog) {
        EvalConfig c = EvalConfig.builder().cutoffs(plain.cutoffs()).ndcgVariant(plain.ndcgVariant())
                .excludeHistory(plain.excludeHistory()).batchSize(plain.batchSize()).diversity(diversity(args)).build();
        return new Evaluator(c, ItemCategories.of(catalog));
    }

    static String name(Args args) {
        return args.choice("protocol", "comirec", "comirec", "loo");
    }

    static Protocol protocol(Args args) {
        return name(args).equals("comirec") ? ComiRecProtocol.defaults() : new LeaveOneOutProtocol();
    }

    static EvalConfig evalConfig(Args args) {
        String v = args.choice("ndcg", "standard", "standard", "comirec");
        return EvalConfig.builder()
                .cutoffs(name(args).equals("loo") ? new int[] {10, 20, 50} : new int[] {20, 50})
                .ndcgVariant(v.equals("standard") ? NdcgVariant.STANDARD : NdcgVariant.COMIREC)
                .excludeHistory(!args.flag("keep-history"))
                .build();
    }
}
