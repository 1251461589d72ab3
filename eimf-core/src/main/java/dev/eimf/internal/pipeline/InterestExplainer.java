package dev.eimf.internal.pipeline;

import dev.eimf.internal.mtl.InterestNamer;
import dev.eimf.internal.train.TrainedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Names a user's K behavioural interests at serving time without an LLM: each interest gets the nearest
 * stored semantic interest phrase (through g) and the history items that drive it (the items whose
 * embeddings score highest with that interest among the K).
 */
public final class InterestExplainer {
    private final TrainedModel model;
    private final InterestNamer namer;
    private final float[] centre;

    /**
     * One explained interest.
     *
     * @param interest index k
     * @param label    nearest phrase
     * @param cosine   cosine between the interest and the projected phrase, both centred on the phrases' mean
     * @param items    internal ids of the history items assigned to this interest, strongest first (at most 5)
     */
    public record Explained(int interest, String label, double cosine, List<Integer> items) {
    }

    /**
     * @param model     the trained model
     * @param semantics g and the phrases
     */
    public InterestExplainer(TrainedModel model, Semantics semantics) {
        this.model = Objects.requireNonNull(model, "model");
        Semantics.Naming naming = semantics.naming();
        this.namer = naming.namer();
        this.centre = naming.centre();
    }

    /** Explains the interests of one history (internal ids, oldest first). */
    public List<Explained> explain(int[] history) {
        INDArray v = model.interests(new int[][] {history});
        int k = (int) v.size(1);
        int d = (int) v.size(2);
        float[][] interests = new float[k][];
        for (int j = 0; j < k; j++) {
            interests[j] = v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .toFloatVector();
        }
        float[][] centred = new float[k][d];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < d; c++) {
                centred[j][c] = interests[j][c] - centre[c];
            }
        }
        List<InterestNamer.NamedInterest> names = namer.name(centred);
        int t = model.encoder().maxLen();
        int from = Math.max(0, history.length - t);
        List<List<double[]>> assigned = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            assigned.add(new ArrayList<>());
        }
        INDArray table = model.itemTable();
        for (int i = from; i < history.length; i++) {
            float[] e = table.getRow(history[i]).toFloatVector();
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (double) e[c] * interests[j][c];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            assigned.get(best).add(new double[] {history[i], bestScore});
        }
        List<Explained> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            List<double[]> items = assigned.get(j);
            items.sort(Comparator.comparingDouble((double[] x) -> -x[1]));
            List<Integer> ids = new ArrayList<>();
            for (int q = 0; q < Math.min(5, items.size()); q++) {
                ids.add((int) items.get(q)[0]);
            }
            InterestNamer.NamedInterest n = names.get(j);
            out.add(new Explained(j, n.label(), n.cosine(), ids));
        }
        return out;
    }
}
