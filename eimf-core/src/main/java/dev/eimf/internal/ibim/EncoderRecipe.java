package dev.eimf.internal.ibim;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.BackboneFactory;
import dev.eimf.backbone.Backbones;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How to build an encoder again: a built-in one from its {@link EncoderConfig}, or a user's
 * {@link dev.eimf.backbone.Backbone} from its registered factory. Models keep one, so that serving threads
 * and loaded models get encoders identical to the trained one.
 */
public sealed interface EncoderRecipe permits EncoderRecipe.BuiltIn, EncoderRecipe.Custom {

    /** The public description (name, d, K, T, options). */
    BackboneConfig backbone();

    /** The encoder's data type. */
    DataType dataType();

    /** A new encoder, initial weights from {@code rng}. */
    InterestEncoder create(RandomGenerator rng);

    /** A built-in encoder. */
    record BuiltIn(EncoderConfig config) implements EncoderRecipe {
        public BuiltIn {
            Objects.requireNonNull(config, "config");
        }

        @Override
        public BackboneConfig backbone() {
            Map<String, String> o = new TreeMap<>();
            if (config.type() == EncoderType.SA) {
                o.put("hidden", Integer.toString(config.hidden()));
            } else {
                o.put("routing_iterations", Integer.toString(config.routingIterations()));
                o.put("relu_projection", Boolean.toString(config.reluProjection()));
                if (config.type() == EncoderType.MIND) {
                    o.put("truncated_routing_logits", Boolean.toString(config.truncatedRoutingLogits()));
                }
            }
            if (config.dataType() == DataType.DOUBLE) {
                o.put("dtype", "float64");
            }
            return new BackboneConfig(name(config.type()), config.dim(), config.numInterests(), config.maxLen(), o);
        }

        @Override
        public DataType dataType() {
            return config.dataType();
        }

        @Override
        public InterestEncoder create(RandomGenerator rng) {
            return Encoders.create(config, rng);
        }
    }

    /** A user's backbone through its factory. */
    record Custom(BackboneConfig backbone, BackboneFactory factory) implements EncoderRecipe {
        public Custom {
            Objects.requireNonNull(backbone, "backbone");
            Objects.requireNonNull(factory, "factory");
        }

        @Override
        public DataType dataType() {
            return DataType.FLOAT;
        }

        @Override
        public InterestEncoder create(RandomGenerator rng) {
            return new BackboneAdapter(backbone, factory.create(backbone, rng));
        }
    }

    /**
     * The recipe for a configuration: the engine's encoder for a built-in name, else the registered factory.
     *
     * @throws IllegalArgumentException for a name that is neither, or options the built-in encoder rejects
     */
    static EncoderRecipe of(BackboneConfig b) {
        if (!b.isBuiltIn()) {
            BackboneFactory f = Backbones.lookup(b.name()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown backbone '" + b.name() + "': register it with Backbones.register first; known: "
                            + Backbones.names()));
            return new Custom(b, f);
        }
        EncoderType type = switch (b.name()) {
            case BackboneConfig.COMIREC_SA -> EncoderType.SA;
            case BackboneConfig.COMIREC_DR -> EncoderType.DR;
            default -> EncoderType.MIND;
        };
        for (String key : b.options().keySet()) {
            if (!java.util.Set.of("hidden", "routing_iterations", "relu_projection", "truncated_routing_logits", "dtype")
                    .contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "' for backbone " + b.name()
                        + "; it takes hidden, routing_iterations, relu_projection, truncated_routing_logits, dtype");
            }
        }
        EncoderConfig.Builder e = EncoderConfig.builder(type).dim(b.dim()).numInterests(b.numInterests()).maxLen(b.maxLen());
        try {
            if (b.options().containsKey("hidden")) e.hidden(Integer.parseInt(b.options().get("hidden")));
            if (b.options().containsKey("routing_iterations")) {
                e.routingIterations(Integer.parseInt(b.options().get("routing_iterations")));
            }
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("backbone option is not an integer: " + ex.getMessage());
        }
        if (b.options().containsKey("relu_projection")) e.reluProjection(bool(b, "relu_projection"));
        if (b.options().containsKey("truncated_routing_logits")) e.truncatedRoutingLogits(bool(b, "truncated_routing_logits"));
        String dtype = b.option("dtype", "float32");
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("backbone option dtype must be float32 or float64, got " + dtype);
        }
        e.dataType(dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT);
        return new BuiltIn(e.build());
    }

    /** The recipe that rebuilds {@code encoder}. */
    static EncoderRecipe of(InterestEncoder encoder) {
        if (encoder instanceof SelfAttentiveEncoder sa) return new BuiltIn(sa.config());
        if (encoder instanceof CapsuleEncoder caps) return new BuiltIn(caps.config());
        if (encoder instanceof BackboneAdapter a) {
            return of(a.backbone().config());
        }
        throw new IllegalArgumentException("cannot rebuild an encoder of class " + encoder.getClass().getName()
                + ": implement dev.eimf.backbone.Backbone and register it with Backbones.register");
    }

    /** The file and command-line name of a built-in type. */
    static String name(EncoderType type) {
        return switch (type) {
            case SA -> BackboneConfig.COMIREC_SA;
            case DR -> BackboneConfig.COMIREC_DR;
            case MIND -> BackboneConfig.MIND;
        };
    }

    private static boolean bool(BackboneConfig b, String key) {
        String v = b.options().get(key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("backbone option " + key + " must be true or false, got " + v);
        }
        return v.equals("true");
    }
}
