package dev.eimf.examples.app;

import dev.eimf.backbone.Backbone;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.BackboneFactory;
import dev.eimf.backbone.BackboneInput;
import dev.eimf.backbone.Parameter;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A backbone of the application's own, to show the extension point: the masked mean of the history's item
 * embeddings, then K linear heads, {@code v_k = W_k m + b_k}. Far simpler than the built-in encoders (it
 * sees no order), and enough to train, save, load and serve through the library like them.
 */
public final class PooledBackbone implements Backbone {
    /** The name it is registered under. */
    public static final String NAME = "pooled-heads";
    /** Builds one from a configuration. */
    public static final BackboneFactory FACTORY = PooledBackbone::new;

    private final BackboneConfig config;
    private final Parameter weights; // [K, d, d]
    private final Parameter bias;    // [K, d]

    private PooledBackbone(BackboneConfig config, RandomGenerator rng) {
        this.config = config;
        int k = config.numInterests();
        int d = config.dim();
        float[] w = new float[k * d * d];
        double scale = 1.0 / Math.sqrt(d);
        for (int h = 0; h < k; h++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    // identity plus noise: each head starts near the mean and drifts to its own interest
                    w[(h * d + i) * d + j] = (float) ((i == j ? 1.0 : 0.0) + rng.nextGaussian() * scale * 0.5);
                }
            }
        }
        this.weights = Parameter.of("heads.weight", w, k, d, d);
        this.bias = Parameter.zeros("heads.bias", k, d);
    }

    @Override
    public BackboneConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weights, bias);
    }

    @Override
    public Pass forward(BackboneInput in, boolean training, RandomGenerator rng) {
        int b = in.batchSize();
        int t = in.maxLen();
        int d = in.dim();
        int k = config.numInterests();
        float[] x = in.embeddings();
        float[] mask = in.mask();
        float[] mean = new float[b * d];
        float[] count = new float[b];
        for (int u = 0; u < b; u++) {
            for (int p = 0; p < t; p++) {
                float m = mask[u * t + p];
                if (m == 0) continue;
                count[u] += m;
                for (int j = 0; j < d; j++) mean[u * d + j] += m * x[(u * t + p) * d + j];
            }
            float c = Math.max(count[u], 1f);
            for (int j = 0; j < d; j++) mean[u * d + j] /= c;
        }
        float[] w = weights.value();
        float[] bb = bias.value();
        float[] v = new float[b * k * d];
        for (int u = 0; u < b; u++) {
            for (int h = 0; h < k; h++) {
                for (int i = 0; i < d; i++) {
                    double s = bb[h * d + i];
                    for (int j = 0; j < d; j++) s += w[(h * d + i) * d + j] * mean[u * d + j];
                    v[(u * k + h) * d + i] = (float) s;
                }
            }
        }
        return new Pass() {
            @Override
            public float[] interests() {
                return v;
            }

            @Override
            public float[] backward(float[] dv) {
                float[] gw = weights.grad();
                float[] gb = bias.grad();
                float[] dx = new float[x.length];
                for (int u = 0; u < b; u++) {
                    float[] dm = new float[d];
                    for (int h = 0; h < k; h++) {
                        for (int i = 0; i < d; i++) {
                            float g = dv[(u * k + h) * d + i];
                            gb[h * d + i] += g;
                            for (int j = 0; j < d; j++) {
                                gw[(h * d + i) * d + j] += g * mean[u * d + j];
                                dm[j] += g * w[(h * d + i) * d + j];
                            }
                        }
                    }
                    float c = Math.max(count[u], 1f);
                    for (int p = 0; p < t; p++) {
                        float m = mask[u * t + p];
                        if (m == 0) continue;
                        for (int j = 0; j < d; j++) dx[(u * t + p) * d + j] = m * dm[j] / c;
                    }
                }
                return dx;
            }
        };
    }
}
