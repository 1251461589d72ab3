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

    private SemanticTargets(SemanticBatch.Row[] rows, int own, int propagated) {
        this.rows = rows;
        this.own = own;
        this.propagated = propagated;
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
        return new SemanticTargets(rows, own, propagated);
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
