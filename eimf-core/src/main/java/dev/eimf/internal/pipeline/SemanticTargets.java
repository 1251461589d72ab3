package dev.eimf.internal.pipeline;

import dev.eimf.internal.esim.TypicalSamples;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.mtl.SemanticBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Semantic targets for every training user, from the typical samples and their explicit interests
 * (docs/METHOD.md, section 4.8):
 * <ul>
 *   <li>a typical user with parsed interests gets them with weight 1;</li>
 *   <li>with propagation on, every other user of a cluster inherits the interests of its cluster's most
 *       central typical user with parsed interests ([ours]: one user's J interests rather than the union
 *       of the cluster's, which keeps J small and the auxiliary step cheap) with weight
 *       {@code exp(-dist/temperature)}, {@code dist} being its distance to the cluster centroid;</li>
 *   <li>everyone else gets none.</li>
 * </ul>
 * Every row carries its cluster as {@code source}, so users sharing a cluster's vectors are never each
 * other's InfoNCE negatives.
 */
public final class SemanticTargets {
    private final SemanticBatch.Row[] rows;
    private final int own;
    private final int propagated;
    private final float[] mean;

    private SemanticTargets(SemanticBatch.Row[] rows, int own, int propagated, float[] mean) {
        this.rows = rows;
        this.own = own;
        this.propagated = propagated;
        this.mean = mean;
    }

    /**
     * Builds the targets.
     *
     * @param samples     typical-sample selection over the training users (input order = training index)
     * @param interests   explicit interests by user id (typical users; failed ones are skipped)
     * @param config      auxiliary settings (propagation temperature)
     * @param propagate   whether non-typical users inherit their cluster's interests
     */
    public static SemanticTargets build(TypicalSamples samples, Map<String, UserInterests> interests,
                                        AuxTasksConfig config, boolean propagate) {
        int n = samples.userIds().size();
        SemanticBatch.Row[] rows = new SemanticBatch.Row[n];
        Arrays.fill(rows, SemanticBatch.Row.none());
        List<List<float[]>> byCluster = new ArrayList<>();
        for (int c = 0; c < samples.numClusters(); c++) {
            byCluster.add(new ArrayList<>());
        }
        int own = 0;
        boolean[] typical = new boolean[n];
        for (TypicalSamples.TypicalUser t : samples.chosen()) {
            typical[t.index()] = true;
            UserInterests ui = interests.get(t.userId());
            if (ui == null || !ui.ok() || ui.vectors().isEmpty()) {
                continue;
            }
            float[][] v = ui.vectors().toArray(float[][]::new);
            rows[t.index()] = new SemanticBatch.Row(v, 1.0, t.cluster());
            if (byCluster.get(t.cluster()).isEmpty()) {
                // chosen users come ordered by distance to their centroid: the first is the most central
                byCluster.get(t.cluster()).addAll(ui.vectors());
            }
            own++;
        }
        int propagated = 0;
        if (propagate) {
            float[][][] clusterVectors = new float[byCluster.size()][][];
            for (int c = 0; c < byCluster.size(); c++) {
                clusterVectors[c] = byCluster.get(c).isEmpty() ? null : byCluster.get(c).toArray(float[][]::new);
            }
            for (int i = 0; i < n; i++) {
                int c = samples.clusterOf(i);
                if (typical[i] || clusterVectors[c] == null) {
                    continue;
                }
                double w = config.propagationWeight(samples.distanceOf(i));
                if (w > 0) {
                    rows[i] = new SemanticBatch.Row(clusterVectors[c], w, c);
                    propagated++;
                }
            }
        }
        return new SemanticTargets(rows, own, propagated, meanOf(rows, typical));
    }

    /** The mean of the typical users' own semantic vectors, each vector once; null when there are none. */
    private static float[] meanOf(SemanticBatch.Row[] rows, boolean[] typical) {
        double[] sum = null;
        long count = 0;
        for (int i = 0; i < rows.length; i++) {
            if (!typical[i] || !rows[i].active()) {
                continue;
            }
            for (float[] v : rows[i].interests()) {
                if (sum == null) {
                    sum = new double[v.length];
                }
                for (int c = 0; c < v.length; c++) {
                    sum[c] += v[c];
                }
                count++;
            }
        }
        if (sum == null) {
            return null;
        }
        float[] out = new float[sum.length];
        for (int c = 0; c < sum.length; c++) {
            out[c] = (float) (sum[c] / count);
        }
        return out;
    }

    /** The mean of the typical users' own semantic vectors (each vector once), or empty when none has any. */
    public java.util.Optional<float[]> mean() {
        return java.util.Optional.ofNullable(mean).map(float[]::clone);
    }

    /**
     * The semantic-prediction loss {@code 1 - cos(c, t)} that the best input-independent prediction c reaches on
     * average over the typical users' own vectors t (c = the mean direction of the targets): a head that does no
     * better than this has learned nothing about the user. With {@code centred} the targets are {@code t - mean}
     * and c is their mean direction too.
     */
    public double constantPredictorLoss(boolean centred) {
        if (mean == null) {
            return Double.NaN;
        }
        java.util.List<double[]> ts = new java.util.ArrayList<>();
        double[] sum = new double[mean.length];
        for (SemanticBatch.Row r : rows) {
            if (r.active() && r.weight() == 1.0) {
                for (float[] v : r.interests()) {
                    double[] t = new double[v.length];
                    double n = 0;
                    for (int c = 0; c < v.length; c++) {
                        t[c] = v[c] - (centred ? mean[c] : 0);
                        n += t[c] * t[c];
                    }
                    n = Math.max(Math.sqrt(n), 1e-12);
                    for (int c = 0; c < v.length; c++) {
                        t[c] /= n;
                        sum[c] += t[c];
                    }
                    ts.add(t);
                }
            }
        }
        double ns = 0;
        for (double x : sum) {
            ns += x * x;
        }
        ns = Math.max(Math.sqrt(ns), 1e-12);
        double loss = 0;
        for (double[] t : ts) {
            double c = 0;
            for (int i = 0; i < t.length; i++) {
                c += t[i] * sum[i] / ns;
            }
            loss += 1 - c;
        }
        return ts.isEmpty() ? Double.NaN : loss / ts.size();
    }

    /** The row of training user {@code index}. */
    public SemanticBatch.Row row(int index) {
        return rows[index];
    }

    /** Number of training users. */
    public int size() {
        return rows.length;
    }

    /** Typical users with their own parsed interests. */
    public int ownCount() {
        return own;
    }

    /** Users that inherited their cluster's interests. */
    public int propagatedCount() {
        return propagated;
    }
}
