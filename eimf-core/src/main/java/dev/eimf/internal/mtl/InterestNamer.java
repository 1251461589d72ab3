package dev.eimf.internal.mtl;

import java.util.ArrayList;
import java.util.List;

/**
 * Names behavioural interests at serving time, without an LLM: each interest gets the label of the phrase whose
 * projected semantic vector g(s) is nearest by cosine. Build it with {@link AuxiliaryTasks#namer(float[][], List)}
 * or from vectors already projected.
 */
public final class InterestNamer {
    private final float[][] phrases;
    private final double[] norms;
    private final List<String> labels;

    /**
     * Creates a namer over phrases already projected into the behavioural space.
     *
     * @param projectedPhrases N x d phrase vectors in the behavioural space (g(s)); not copied
     * @param labels           N labels in the same order
     */
    public InterestNamer(float[][] projectedPhrases, List<String> labels) {
        if (projectedPhrases == null || labels == null || projectedPhrases.length == 0) {
            throw new IllegalArgumentException("need at least one phrase and its label");
        }
        if (projectedPhrases.length != labels.size()) {
            throw new IllegalArgumentException(projectedPhrases.length + " phrase vectors but " + labels.size()
                    + " labels");
        }
        int d = projectedPhrases[0] == null ? 0 : projectedPhrases[0].length;
        norms = new double[projectedPhrases.length];
        for (int i = 0; i < projectedPhrases.length; i++) {
            if (projectedPhrases[i] == null || projectedPhrases[i].length != d || d == 0) {
                throw new IllegalArgumentException("phrase vector " + i + " is null, empty or not of dimension " + d);
            }
            if (labels.get(i) == null) {
                throw new IllegalArgumentException("label " + i + " is null");
            }
            double n2 = 0;
            for (float x : projectedPhrases[i]) {
                n2 += (double) x * x;
            }
            norms[i] = Math.sqrt(n2);
        }
        this.phrases = projectedPhrases;
        this.labels = List.copyOf(labels);
    }

    /** Dimension d of the vectors. */
    public int dim() {
        return phrases[0].length;
    }

    /**
     * A named interest.
     *
     * @param interest index k of the behavioural interest
     * @param phrase   index of the nearest phrase
     * @param label    its label
     * @param cosine   cosine similarity to it (0 for a zero vector on either side)
     */
    public record NamedInterest(int interest, int phrase, String label, double cosine) {
    }

    /**
     * The nearest phrase for each of K interests (ties: the lowest phrase index).
     *
     * @param interests K x d behavioural interest vectors
     */
    public List<NamedInterest> name(float[][] interests) {
        List<NamedInterest> out = new ArrayList<>(interests.length);
        for (int k = 0; k < interests.length; k++) {
            float[] v = interests[k];
            if (v == null || v.length != dim()) {
                throw new IllegalArgumentException("interest " + k + " has dimension "
                        + (v == null ? "null" : v.length) + ", expected " + dim());
            }
            double nv = 0;
            for (float x : v) {
                nv += (double) x * x;
            }
            nv = Math.sqrt(nv);
            int best = 0;
            double bestCos = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < phrases.length; p++) {
                double dot = 0;
                for (int i = 0; i < v.length; i++) {
                    dot += (double) v[i] * phrases[p][i];
                }
                double c = nv == 0 || norms[p] == 0 ? 0 : dot / (nv * norms[p]);
                if (c > bestCos) {
                    bestCos = c;
                    best = p;
                }
            }
            out.add(new NamedInterest(k, best, labels.get(best), bestCos));
        }
        return out;
    }
}
