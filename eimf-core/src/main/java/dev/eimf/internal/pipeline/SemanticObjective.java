package dev.eimf.internal.pipeline;

import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.mtl.AuxiliaryTasks;
import dev.eimf.internal.mtl.SemanticBatch;
import dev.eimf.internal.train.AuxiliaryObjective;
import dev.eimf.internal.train.TableGradient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * EIMF's two auxiliary tasks as a trainer objective: looks up each batch row's semantic targets (own,
 * propagated, or none) by training-user index and runs {@link AuxiliaryTasks} on the batch. Rows without
 * targets get no auxiliary gradient.
 */
public final class SemanticObjective implements AuxiliaryObjective {
    private final AuxiliaryTasks tasks;
    private final SemanticTargets targets;
    private double lastAlign;
    private double lastSemantic;
    private int lastActive;
    /** Moving averages (about the last 100 steps) of the unweighted losses; NaN before the first batch. */
    private double avgAlign = Double.NaN;
    private double avgSemantic = Double.NaN;
    private double avgItem = Double.NaN;
    /** Text vectors by item id (null where an item has no text), for item-side alignment; null when it is off. */
    private float[][] itemText;
    private static final double AVG_RATE = 0.01;

    /**
     * @param tasks   the auxiliary module (its parameters are trained)
     * @param targets semantic targets per training user
     */
    public SemanticObjective(AuxiliaryTasks tasks, SemanticTargets targets) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /** The auxiliary module. */
    public AuxiliaryTasks tasks() {
        return tasks;
    }

    /** The semantic targets. */
    public SemanticTargets targets() {
        return targets;
    }

    @Override
    public List<Param> parameters() {
        return tasks.parameters();
    }

    @Override
    public double forwardBackward(INDArray interests, int[] users, INDArray dInterests) {
        List<SemanticBatch.Row> rows = new ArrayList<>(users.length);
        for (int u : users) {
            rows.add(targets.row(u));
        }
        AuxiliaryTasks.Result r = tasks.forwardBackward(interests, new SemanticBatch(rows), dInterests);
        lastAlign = r.alignLoss();
        lastSemantic = r.semanticLoss();
        lastActive = r.activeUsers();
        if (r.activeUsers() > 0) {
            avgAlign = Double.isNaN(avgAlign) ? lastAlign : avgAlign + AVG_RATE * (lastAlign - avgAlign);
            avgSemantic = Double.isNaN(avgSemantic) ? lastSemantic : avgSemantic + AVG_RATE * (lastSemantic - avgSemantic);
        }
        return r.loss();
    }

    /** Unweighted alignment loss of the latest batch. */
    public double lastAlignLoss() {
        return lastAlign;
    }

    /** Unweighted semantic-prediction loss of the latest batch. */
    public double lastSemanticLoss() {
        return lastSemantic;
    }

    /**
     * Turns on item-side alignment with these text vectors (index = item id, null for an item without text);
     * needs {@code AuxTasksConfig.lambdaItem() > 0}.
     */
    public void itemTexts(float[][] byItem) {
        if (!tasks.config().itemAlignEnabled()) {
            throw new IllegalStateException("item texts need AuxTasksConfig.lambdaItem > 0");
        }
        itemText = Objects.requireNonNull(byItem, "byItem");
    }

    @Override
    public double itemForwardBackward(INDArray table, int[] items, TableGradient tableGrad) {
        if (itemText == null) {
            return 0;
        }
        java.util.LinkedHashSet<Integer> distinct = new java.util.LinkedHashSet<>();
        for (int id : items) {
            if (id > 0 && id < itemText.length && itemText[id] != null) {
                distinct.add(id);
            }
        }
        int n = distinct.size();
        double[][] e = new double[n][];
        float[][] t = new float[n][];
        int[] ids = new int[n];
        int r = 0;
        for (int id : distinct) {
            ids[r] = id;
            e[r] = table.getRow(id).toDoubleVector();
            t[r] = itemText[id];
            r++;
        }
        double[][] dE = new double[n][tasks.interestDim()];
        double lambda = tasks.config().lambdaItem();
        double loss = tasks.alignItems(e, t, lambda, dE);
        for (int i = 0; i < n; i++) {
            tableGrad.add(ids[i], dE[i], 0, 1.0);
        }
        if (n > 1) {
            avgItem = Double.isNaN(avgItem) ? loss : avgItem + AVG_RATE * (loss - avgItem);
        }
        return lambda * loss;
    }

    /** Moving average (about the last 100 batches) of the unweighted item-alignment loss; NaN when off. */
    public double averageItemLoss() {
        return avgItem;
    }

    /** Moving average (about the last 100 batches with targets) of the unweighted alignment loss; NaN before any. */
    public double averageAlignLoss() {
        return avgAlign;
    }

    /** Moving average (about the last 100 batches with targets) of the unweighted semantic loss; NaN before any. */
    public double averageSemanticLoss() {
        return avgSemantic;
    }

    /** Batch rows that had semantic targets in the latest batch. */
    public int lastActiveUsers() {
        return lastActive;
    }
}
