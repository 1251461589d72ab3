package dev.eimf.internal.pipeline;

import dev.eimf.internal.esim.EsimResult;
import dev.eimf.esim.ExplicitInterest;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.io.TensorData;
import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.mtl.AuxiliaryTasks;
import dev.eimf.internal.mtl.InterestNamer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The semantic side kept for serving: the learned projection g (inside {@link AuxiliaryTasks}) and the
 * distinct interest phrases of the ESIM store with their text vectors. {@link #naming()} labels
 * behavioural interests with the nearest phrase, LLM-free. Saved as an EIMF archive
 * ({@code kind = eimf-semantics}) beside the model.
 */
public final class Semantics {
    /** The archive's {@code kind}. */
    public static final String KIND = "eimf-semantics";

    private final AuxiliaryTasks tasks;
    private final List<String> labels;
    private final float[][] vectors;

    /**
     * @param tasks   the trained auxiliary module (g is used)
     * @param labels  phrase labels
     * @param vectors their text vectors (D each)
     */
    public Semantics(AuxiliaryTasks tasks, List<String> labels, float[][] vectors) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.labels = List.copyOf(labels);
        this.vectors = vectors.clone();
        if (labels.size() != vectors.length || labels.isEmpty()) {
            throw new IllegalArgumentException(labels.size() + " labels but " + vectors.length + " vectors");
        }
    }

    /** The distinct interest names of the successful extractions, with the mean vector per name. */
    public static Semantics of(AuxiliaryTasks tasks, EsimResult esim) {
        Map<String, double[]> sum = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (UserInterests u : esim.users()) {
            if (!u.ok()) {
                continue;
            }
            for (int j = 0; j < u.interests().size() && j < u.vectors().size(); j++) {
                ExplicitInterest e = u.interests().get(j);
                float[] v = u.vectors().get(j);
                double[] acc = sum.computeIfAbsent(e.name(), k -> new double[v.length]);
                for (int i = 0; i < v.length; i++) {
                    acc[i] += v[i];
                }
                count.merge(e.name(), 1, Integer::sum);
            }
        }
        if (sum.isEmpty()) {
            throw new IllegalStateException("ESIM produced no interests to name behavioural interests with");
        }
        List<String> labels = new ArrayList<>(sum.keySet());
        float[][] vectors = new float[labels.size()][];
        for (int p = 0; p < labels.size(); p++) {
            double[] acc = sum.get(labels.get(p));
            int c = count.get(labels.get(p));
            vectors[p] = new float[acc.length];
            for (int i = 0; i < acc.length; i++) {
                vectors[p][i] = (float) (acc[i] / c);
            }
        }
        return new Semantics(tasks, labels, vectors);
    }

    /**
     * A namer and the centre it expects interests to be shifted by.
     *
     * @param namer  nearest-phrase lookup over the projected phrases minus {@code centre}
     * @param centre the mean of the projected phrases
     */
    public record Naming(InterestNamer namer, float[] centre) {
    }

    /**
     * A namer over the phrases, projected once by the current g and centred on their mean: projected
     * phrases share a common direction, and without centring one phrase near that direction wins for
     * most interests. Subtract {@link Naming#centre()} from interests before naming them.
     */
    public Naming naming() {
        float[][] projected = tasks.project(vectors);
        float[] mean = mean(projected);
        for (float[] p : projected) {
            for (int i = 0; i < p.length; i++) {
                p[i] -= mean[i];
            }
        }
        return new Naming(new InterestNamer(projected, labels), mean);
    }

    private static float[] mean(float[][] rows) {
        float[] m = new float[rows[0].length];
        for (float[] r : rows) {
            for (int i = 0; i < m.length; i++) {
                m[i] += r[i] / rows.length;
            }
        }
        return m;
    }

    /** The phrase labels. */
    public List<String> labels() {
        return labels;
    }

    /** The auxiliary module. */
    public AuxiliaryTasks tasks() {
        return tasks;
    }

    /** Writes the archive (atomically). */
    public void save(Path file) throws IOException {
        ModelArchive.Builder b = ModelArchive.builder().config("kind", KIND)
                .config("interest_dim", tasks.interestDim()).config("semantic_dim", tasks.semanticDim())
                .config("layer_norm_eps", Double.toString(tasks.config().layerNormEps()))
                .config("head_hidden", tasks.config().headHiddenFor(tasks.interestDim()))
                .metadata("labels", new com.google.gson.Gson().toJson(labels));
        for (Param p : tasks.parameters()) {
            b.tensor(p.name(), p.value());
        }
        b.tensor("phrases", TensorData.ofMatrix(vectors));
        b.build().write(file);
    }

    /** Reads an archive written by {@link #save}. */
    public static Semantics load(Path file) throws IOException {
        ModelArchive a = ModelArchive.read(file);
        if (!KIND.equals(a.config().get("kind"))) {
            throw new ModelFormatException(file, "not an EIMF semantics file (kind = " + a.config().get("kind") + ")");
        }
        AuxTasksConfig cfg = AuxTasksConfig.builder().layerNormEps(a.configDouble("layer_norm_eps"))
                .headHidden(a.configInt("head_hidden")).build();
        AuxiliaryTasks tasks = new AuxiliaryTasks(cfg, a.configInt("interest_dim"), a.configInt("semantic_dim"), 0L);
        for (Param p : tasks.parameters()) {
            if (!a.tensors().containsKey(p.name())) {
                throw new ModelFormatException(file, "lacks tensor '" + p.name() + "'");
            }
            org.nd4j.linalg.api.ndarray.INDArray v = a.tensor(p.name()).toINDArray();
            if (!Arrays.equals(v.shape(), p.value().shape())) {
                throw new ModelFormatException(file, "tensor '" + p.name() + "' has shape " + Arrays.toString(v.shape()));
            }
            p.value().assign(v.castTo(p.value().dataType()));
        }
        List<String> labels = new com.google.gson.Gson().fromJson(a.metadata().get("labels"),
                new com.google.gson.reflect.TypeToken<List<String>>() { }.getType());
        return new Semantics(tasks, labels, a.tensor("phrases").toFloatMatrix());
    }
}
