package dev.eimf.internal.pipeline;

import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.mtl.AuxiliaryTasks;
import dev.eimf.internal.mtl.SemanticBatch;
import dev.eimf.internal.train.AuxiliaryObjective;
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

    /** Batch rows that had semantic targets in the latest batch. */
    public int lastActiveUsers() {
        return lastActive;
    }
}
