package dev.eimf.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.backbone.Backbone;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.BackboneFactory;
import dev.eimf.backbone.BackboneInput;
import dev.eimf.backbone.Backbones;
import dev.eimf.backbone.Parameter;
import dev.eimf.data.Dataset;
import dev.eimf.data.InteractionsBuilder;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Split;
import dev.eimf.model.InterestModel;
import dev.eimf.model.RecommendRequest;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Backbone} must do to train and serve like the built-in encoders. Extend it in your
 * tests and return your backbone's factory and a small configuration:
 *
 * <pre>{@code
 * class MyBackboneTest extends BackboneContract {
 *     protected BackboneFactory factory() { return MyBackbone::new; }
 *     protected BackboneConfig config() { return BackboneConfig.builder("my-backbone").dim(8).interests(2).maxLen(6).build(); }
 * }
 * }</pre>
 *
 * Checks: the factory builds what the configuration says with unique parameter names; the same generator
 * state gives the same weights; interests have shape [B, K, d], are finite and ignore padded positions;
 * inference is repeatable; the backward pass matches central finite differences for the input and every
 * parameter; and a model trained with it through {@link Trainer} saves, loads and recommends the same.
 */
public abstract class BackboneContract {

    /** The factory under test. */
    protected abstract BackboneFactory factory();

    /** A small configuration (a few dimensions, interests and positions keep the gradient check fast). */
    protected abstract BackboneConfig config();

    /**
     * Relative tolerance of the gradient check (float arithmetic, central differences with a step of 1e-2;
     * raise it for a backbone with many layers or with kinks such as ReLU or argmax routing, where a step
     * may cross the kink).
     */
    protected double gradientTolerance() {
        return 2e-2;
    }

    /** Absolute tolerance of the gradient check, for entries near zero. */
    protected double gradientAbsoluteTolerance() {
        return 1e-3;
    }

    private Backbone create(long seed) {
        return factory().create(config(), new SplittableRandom(seed));
    }

    @Test
    void buildsWhatItsConfigurationSays() {
        Backbone b = create(1);
        assertEquals(config(), b.config(), "the backbone's config() must equal the configuration it was built from");
        Set<String> names = new HashSet<>();
        for (Parameter p : b.parameters()) {
            assertTrue(names.add(p.name()), "two parameters are named '" + p.name() + "'");
            assertEquals(p.size(), p.grad().length, "parameter '" + p.name() + "': gradient size");
        }
    }

    @Test
    void sameSeedSameWeights() {
        List<Parameter> a = create(7).parameters();
        List<Parameter> b = create(7).parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), "parameter '" + a.get(i).name() + "'");
        }
    }

    @Test
    void interestsHaveTheirShapeAreFiniteAndIgnorePadding() {
        Backbone b = create(2);
        BackboneInput in = input(3, new SplittableRandom(3));
        float[] v = b.forward(in, false, new SplittableRandom(4)).interests();
        BackboneConfig c = config();
        assertEquals(in.batchSize() * c.numInterests() * c.dim(), v.length, "interests must be [B, K, d]");
        for (float x : v) assertTrue(Float.isFinite(x), "an interest value is not finite");
        float[] noisy = in.embeddings().clone();
        SplittableRandom r = new SplittableRandom(5);
        for (int p = 0; p < in.mask().length; p++) {
            if (in.mask()[p] == 0) {
                for (int j = 0; j < c.dim(); j++) noisy[p * c.dim() + j] = (float) r.nextGaussian();
            }
        }
        float[] again = b.forward(new BackboneInput(in.batchSize(), in.maxLen(), in.dim(), noisy, in.mask()), false,
                new SplittableRandom(4)).interests();
        assertArrayEquals(v, again, 1e-5f, "padded positions changed the interests");
    }

    @Test
    void inferenceIsRepeatable() {
        Backbone b = create(2);
        BackboneInput in = input(2, new SplittableRandom(8));
        assertArrayEquals(b.forward(in, false, new SplittableRandom(9)).interests(),
                b.forward(in, false, new SplittableRandom(9)).interests(), "same input and generator, other interests");
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Backbone b = create(3);
        BackboneInput in = input(2, new SplittableRandom(10));
        int n = b.forward(in, true, new SplittableRandom(11)).interests().length;
        float[] w = new float[n];
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < n; i++) w[i] = (float) r.nextGaussian();
        for (Parameter p : b.parameters()) java.util.Arrays.fill(p.grad(), 0f);
        float[] dx = b.forward(in, true, new SplittableRandom(11)).backward(w.clone());
        assertEquals(in.embeddings().length, dx.length, "the input gradient must be [B, T, d]");
        List<String> bad = new java.util.ArrayList<>();
        double[] dot = new double[3]; // sum a*n, sum a*a, sum n*n over every checked entry
        float[] x = in.embeddings();
        for (int idx : sample(x.length, in.mask(), in.dim(), r)) {
            double num = numeric(b, in, w, x, idx);
            compare(bad, dot, "input[" + idx + "]", dx[idx], num);
        }
        for (Parameter p : b.parameters()) {
            float[] grad = p.grad().clone();
            for (int s = 0; s < Math.min(6, p.size()); s++) {
                int idx = r.nextInt(p.size());
                double num = numeric(b, in, w, p.value(), idx);
                compare(bad, dot, p.name() + "[" + idx + "]", grad[idx], num);
            }
        }
        assertTrue(bad.isEmpty(), "gradients differ from central finite differences: " + bad);
        // Entry by entry the tolerances forgive small values; together the gradients must point the same way.
        if (dot[2] > 1e-8) {
            double cosine = dot[0] / Math.sqrt(dot[1] * dot[2] + 1e-30);
            assertTrue(cosine > 0.99, "the backward pass's gradients are not aligned with the numeric ones (cosine "
                    + cosine + ")");
        }
    }

    @Test
    void trainsSavesAndLoadsThroughTheTrainer(@TempDir Path dir) {
        String name = config().name();
        BackboneFactory factory = factory();
        boolean registeredHere = Backbones.lookup(name).isEmpty();
        if (registeredHere) {
            Backbones.register(name, factory);
        } else {
            assertTrue(Backbones.lookup(name).get() == factory, "another factory is registered as '" + name
                    + "': the save-and-load check would test that one; unregister it or return the registered factory");
        }
        try {
            Dataset data = tinyData();
            Split split = ComiRecProtocol.defaults().split(data, 1);
            TrainerConfig cfg = TrainerConfig.builder(config()).batchSize(16).maxSteps(30).evalEvery(10).patience(5)
                    .seed(1).build();
            InterestModel model = new Trainer(cfg).train(data, split).model();
            Path saved = dir.resolve("model");
            model.save(saved);
            assertTrue(Files.exists(saved));
            InterestModel loaded = InterestModel.load(saved);
            List<String> history = List.of(data.catalog().externalId(1), data.catalog().externalId(2));
            assertEquals(model.recommend(RecommendRequest.of(history, 5)), loaded.recommend(RecommendRequest.of(history, 5)),
                    "a loaded model recommends what the trained one did");
            assertFalse(loaded.recommend(history, 5).isEmpty());
        } finally {
            if (registeredHere) Backbones.unregister(name);
        }
    }

    private BackboneInput input(int batch, SplittableRandom r) {
        BackboneConfig c = config();
        int t = c.maxLen();
        int d = c.dim();
        float[] x = new float[batch * t * d];
        float[] mask = new float[batch * t];
        for (int u = 0; u < batch; u++) {
            int len = 1 + (u * 7 + 3) % t; // different lengths, left-aligned
            for (int p = 0; p < len; p++) mask[u * t + p] = 1;
        }
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.5);
        return new BackboneInput(batch, t, d, x, mask);
    }

    private static int[] sample(int size, float[] mask, int d, SplittableRandom r) {
        int[] out = new int[8];
        for (int s = 0; s < out.length; s++) {
            int idx;
            do {
                idx = r.nextInt(size);
            } while (mask[idx / d] == 0);
            out[s] = idx;
        }
        return out;
    }

    private static double numeric(Backbone b, BackboneInput in, float[] w, float[] target, int idx) {
        float keep = target[idx];
        double h = Math.max(1e-2, Math.abs(keep) * 1e-2);
        target[idx] = (float) (keep + h);
        double up = loss(b, in, w);
        target[idx] = (float) (keep - h);
        double down = loss(b, in, w);
        target[idx] = keep;
        return (up - down) / (2 * h);
    }

    private static double loss(Backbone b, BackboneInput in, float[] w) {
        float[] v = b.forward(in, true, new SplittableRandom(11)).interests();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += (double) w[i] * v[i];
        return s;
    }

    private void compare(List<String> bad, double[] dot, String what, double analytic, double numeric) {
        dot[0] += analytic * numeric;
        dot[1] += analytic * analytic;
        dot[2] += numeric * numeric;
        double tol = gradientTolerance() * Math.max(Math.abs(analytic), Math.abs(numeric)) + gradientAbsoluteTolerance();
        if (Math.abs(analytic - numeric) > tol) {
            bad.add(what + ": backward " + analytic + ", numeric " + numeric);
        }
    }

    /** Forty users with two tastes each over sixty items: enough for a split and a few training steps. */
    private static Dataset tinyData() {
        InteractionsBuilder b = InteractionsBuilder.named("contract");
        SplittableRandom r = new SplittableRandom(42);
        for (int u = 0; u < 40; u++) {
            int a = r.nextInt(6);
            int c = r.nextInt(6);
            for (int s = 0; s < 14; s++) {
                int topic = s % 2 == 0 ? a : c;
                b.add("u" + u, "i" + (topic * 10 + r.nextInt(10)), s);
            }
        }
        return b.preprocess(PreprocessConfig.builder().core(2).build());
    }
}
