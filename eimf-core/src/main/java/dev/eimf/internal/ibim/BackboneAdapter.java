package dev.eimf.internal.ibim;

import dev.eimf.backbone.Backbone;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.BackboneInput;
import dev.eimf.backbone.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a user's {@link Backbone} (float arrays) as an engine encoder (ND4J arrays). The engine's optimiser
 * updates the {@link Param} arrays; they are copied into the backbone's parameters before each forward
 * pass, and the backbone's gradients are added into the engine's after each backward pass. The copies cost
 * a few passes over the parameters per step, which is small next to the batch's own work.
 */
public final class BackboneAdapter implements InterestEncoder {
    private final BackboneConfig config;
    private final Backbone backbone;
    private final List<Parameter> userParams;
    private final List<Param> params;

    BackboneAdapter(BackboneConfig config, Backbone backbone) {
        this.config = Objects.requireNonNull(config, "config");
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        if (!config.equals(backbone.config())) {
            throw new IllegalArgumentException("the factory for '" + config.name() + "' built a backbone configured as "
                    + backbone.config() + ", expected " + config);
        }
        this.userParams = List.copyOf(backbone.parameters());
        List<Param> ps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Parameter p : userParams) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("backbone '" + config.name() + "' has two parameters named '" + p.name() + "'");
            }
            long[] shape = Arrays.stream(p.shape()).asLongStream().toArray();
            INDArray v = Nd4j.createFromArray(p.value().clone()).reshape(shape).castTo(DataType.FLOAT).dup('c');
            ps.add(new Param(p.name(), v, Nd4j.zeros(DataType.FLOAT, shape)));
        }
        this.params = List.copyOf(ps);
    }

    /** The user's backbone. */
    public Backbone backbone() {
        return backbone;
    }

    @Override
    public int dim() {
        return config.dim();
    }

    @Override
    public int numInterests() {
        return config.numInterests();
    }

    @Override
    public int maxLen() {
        return config.maxLen();
    }

    @Override
    public List<Param> parameters() {
        return params;
    }

    @Override
    public Pass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng) {
        int b = (int) x.size(0);
        int t = (int) x.size(1);
        int d = (int) x.size(2);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = userParams.get(i);
            float[] v = params.get(i).value().dup('c').data().asFloat();
            System.arraycopy(v, 0, p.value(), 0, v.length);
            Arrays.fill(p.grad(), 0f);
        }
        float[] xs = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] ms = mask.castTo(DataType.FLOAT).dup('c').data().asFloat();
        Backbone.Pass pass = backbone.forward(new BackboneInput(b, t, d, xs, ms), training, rng);
        float[] v = pass.interests();
        int k = config.numInterests();
        if (v == null || v.length != b * k * d) {
            throw new IllegalStateException("backbone '" + config.name() + "' returned " + (v == null ? "no" : v.length)
                    + " interest values, expected [" + b + ", " + k + ", " + d + "]");
        }
        INDArray interests = Nd4j.createFromArray(v.clone()).reshape(b, k, d);
        return new Pass() {
            @Override
            public INDArray interests() {
                return interests;
            }

            @Override
            public INDArray backward(INDArray dInterests) {
                float[] dv = dInterests.castTo(DataType.FLOAT).dup('c').data().asFloat();
                float[] dx = pass.backward(dv);
                if (dx == null || dx.length != xs.length) {
                    throw new IllegalStateException("backbone '" + config.name() + "' returned a gradient of "
                            + (dx == null ? "no" : dx.length) + " values, expected [" + b + ", " + t + ", " + d + "]");
                }
                for (int i = 0; i < params.size(); i++) {
                    Param p = params.get(i);
                    p.grad().addi(Nd4j.createFromArray(userParams.get(i).grad().clone()).reshape(p.grad().shape()));
                }
                return Nd4j.createFromArray(dx).reshape(b, t, d).castTo(x.dataType());
            }
        };
    }
}
