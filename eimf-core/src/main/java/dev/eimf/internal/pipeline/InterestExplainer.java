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
    private final dev.eimf.internal.serve.UserInterests model;
    private final java.util.function.IntFunction<float[]> itemRow;
    private final int maxLen;
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
        this(history -> toRows(model.interests(new int[][] {history})), id -> model.itemTable().getRow(id).toFloatVector(),
                model.encoder().maxLen(), semantics);
    }

    /**
     * @param model     history to interests (thread-safe if this explainer is shared)
     * @param itemRow   an item's embedding by internal id
     * @param maxLen    T, the history length the model reads
     * @param semantics g and the phrases
     */
    public InterestExplainer(dev.eimf.internal.serve.UserInterests model, java.util.function.IntFunction<float[]> itemRow,
                             int maxLen, Semantics semantics) {
        this.model = Objects.requireNonNull(model, "model");
        this.itemRow = Objects.requireNonNull(itemRow, "itemRow");
        this.maxLen = maxLen;
        Semantics.Naming naming = semantics.naming();
        this.namer = naming.namer();
        this.centre = naming.centre();
    }

    /** Explains the interests of one history (internal ids, oldest first). */
    public List<Explained> explain(int[] history) {
        float[][] interests = model.interests(history);
        int k = interests.length;
        int d = interests[0].length;
        float[][] centred = new float[k][d];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < d; c++) {
                centred[j][c] = interests[j][c] - centre[c];
            }
        }
        List<InterestNamer.NamedInterest> names = namer.name(centred);
        int t = maxLen;
        int from = Math.max(0, history.length - t);
        List<List<double[]>> assigned = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            assigned.add(new ArrayList<>());
        }
        for (int i = from; i < history.length; i++) {
            float[] e = itemRow.apply(history[i]);
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

    private static float[][] toRows(INDArray v) {
        int k = (int) v.size(1);
        float[][] rows = new float[k][];
        for (int j = 0; j < k; j++) {
            rows[j] = v.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .toFloatVector();
        }
        return rows;
    }
}
