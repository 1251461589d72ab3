package dev.eimf.cli;

import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.mtl.Matching;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The multi-task options of the EIMF pipeline (docs/METHOD.md, section 5), shared by {@code train --eimf},
 * {@code quickstart} and {@code ablation}: loss weights, temperature, matching, propagation and warm-up.
 */
final class EimfOptions {
    private EimfOptions() {}

    static List<Command.Option> options() {
        AuxTasksConfig d = AuxTasksConfig.defaults();
        return List.of(
                Command.Option.optional("lambda-align", "X", "weight of the modality-alignment loss", String.valueOf(d.lambdaAlign())),
                Command.Option.optional("lambda-semantic", "X", "weight of the semantic-prediction loss", String.valueOf(d.lambdaSemantic())),
                Command.Option.optional("tau", "X", "InfoNCE temperature of the alignment loss", String.valueOf(d.tau())),
                Command.Option.optional("matching", "argmax|hungarian", "how behavioural interests meet semantic ones", "argmax"),
                Command.Option.optional("lambda-item", "X", "weight of item-side alignment (an item's embedding towards its text; 0 = off)",
                        String.valueOf(d.lambdaItem())),
                Command.Option.flag("center-targets", "semantic prediction predicts each phrase vector minus the phrases' mean"),
                Command.Option.flag("no-propagation", "only typical users get auxiliary losses (no cluster propagation)"),
                Command.Option.optional("propagation-temperature", "X", "temperature of the propagated weight exp(-dist/X)",
                        String.valueOf(d.propagationTemperature())),
                Command.Option.optional("warmup", "STEPS", "backbone-only steps before ESIM (0 = until the first validation)", "0"),
                Command.Option.optional("cluster-seed", "N", "seed of the typical-user selection", "the training seed"));
    }

    /**
     * Parsed multi-task settings.
     *
     * @param aux         the auxiliary tasks
     * @param propagate   whether non-typical users inherit their cluster's interests
     * @param warmupSteps backbone-only steps (0 = until the first validation)
     */
    record Parsed(AuxTasksConfig aux, boolean propagate, long warmupSteps) {
        /** The settings object of the JSON files. */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lambda_align", aux.lambdaAlign());
            m.put("lambda_semantic", aux.lambdaSemantic());
            m.put("tau", aux.tau());
            m.put("matching", aux.matching().name().toLowerCase(Locale.ROOT));
            m.put("center_targets", aux.centerTargets());
            m.put("lambda_item", aux.lambdaItem());
            m.put("propagation", propagate);
            m.put("propagation_temperature", aux.propagationTemperature());
            m.put("warmup", warmupSteps);
            return m;
        }
    }

    static Parsed parse(Args args) {
        String matching = args.choice("matching", "argmax", "argmax", "hungarian");
        long warmup = args.getLong("warmup", 0);
        if (warmup < 0) throw new Args.UsageException("--warmup must be >= 0, got " + warmup);
        AuxTasksConfig d = AuxTasksConfig.defaults();
        try {
            AuxTasksConfig aux = AuxTasksConfig.builder()
                    .lambdaAlign(args.getDouble("lambda-align", d.lambdaAlign()))
                    .lambdaSemantic(args.getDouble("lambda-semantic", d.lambdaSemantic()))
                    .tau(args.getDouble("tau", d.tau()))
                    .matching(Matching.valueOf(matching.toUpperCase(Locale.ROOT)))
                    .propagationTemperature(args.getDouble("propagation-temperature", d.propagationTemperature()))
                    .centerTargets(args.flag("center-targets"))
                    .lambdaItem(args.getDouble("lambda-item", d.lambdaItem()))
                    .build();
            return new Parsed(aux, !args.flag("no-propagation"), warmup);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    /** The seed of the typical-user selection: {@code --cluster-seed}, else the training seed. */
    static long clusterSeed(Args args, long trainingSeed) {
        return args.getLong("cluster-seed", trainingSeed);
    }
}
