package dev.eimf.cli;

import dev.eimf.eval.ComiRecProtocol;
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
