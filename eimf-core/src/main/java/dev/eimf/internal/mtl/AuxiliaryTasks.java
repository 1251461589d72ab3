package dev.eimf.internal.mtl;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import dev.eimf.internal.ibim.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two auxiliary tasks of EIMF (docs/METHOD.md, sections 5.1 to 5.5) as one module that a trainer adds to its loss:
 * <ul>
 *   <li>a projection g: R^D -> R^d (linear + layer norm) of the semantic interest vectors s;</li>
 *   <li>matching {@code pi(k)} of each behavioural interest v_k to one of the user's semantic interests by
 *       {@code cos(v_k, g(s_j))} ({@link Matching}), with no gradient through the choice;</li>
 *   <li><b>modality alignment</b>: InfoNCE with temperature tau, anchor v_k, positive g(s_pi(k)), negatives the
 *       projected semantic interests of the other eligible users of the batch ({@link NegativeSet}); the
 *       user's own unmatched interests are neither positives nor negatives; cosine similarity / tau;</li>
 *   <li><b>semantic prediction</b>: a 2-layer MLP head h: R^d -> R^D and the loss {@code 1 - cos(h(v_k), s_pi(k))}
 *       (or {@code s_pi(k) - mean} with {@link AuxTasksConfig#centerTargets()}).</li>
 * </ul>
 * Both losses are weighted means over the (user, interest) pairs of the users that have semantics and a positive
 * weight ({@link SemanticBatch.Row#active()}): {@code sum_b w_b sum_k l_bk / (K sum_b w_b)}. Weights are relative
 * within a batch: a batch of users who all have weight 0.3 counts as much as one whose users all have weight 1.
 * When an anchor has no negative (a single eligible user, or all others share its source), its InfoNCE loss is 0
 * and it still counts in the mean. The text vectors s are constants; gradients flow into V, g and h.
 *
 * <p>Parameters, with stable names: {@code mtl.g.W} [D, d], {@code mtl.g.b} [1, d], {@code mtl.g.gain} [1, d],
 * {@code mtl.g.bias} [1, d], {@code mtl.h.W1} [d, H], {@code mtl.h.b1} [1, H], {@code mtl.h.W2} [H, D],
 * {@code mtl.h.b2} [1, D]. All are listed whatever the configuration (g also names interests at serving time);
 * a disabled task leaves its parameters' gradients untouched. Initialisation: Glorot uniform weights, zero biases,
 * layer-norm gain 1. Not thread-safe: one instance per training thread.
 *
 * <pre>{@code
 * AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), 64, 384, seed);
 * optimiserParams.addAll(aux.parameters());
 * // each step, after the encoder's forward pass produced V [B, K, d] and dV is the buffer for its gradient:
 * AuxiliaryTasks.Result r = aux.forwardBackward(V, semantics, dV);
 * double loss = recLoss + r.loss();
 * }</pre>
 */
public final class AuxiliaryTasks {
    /** Guards the norm in cosine similarities against division by zero. */
    private static final double MIN_NORM = 1e-12;

    private final AuxTasksConfig config;
    private final int interestDim;
    private final int semanticDim;
    private final DataType dt;
    private final Projection g;
    private final SemanticHead h;
    private final List<Param> params;
    /** The mean subtracted from semantic-prediction targets, or null (see {@link AuxTasksConfig#centerTargets()}). */
    private double[] targetMean;

    /**
     * Creates the module with weights drawn from {@code seed}.
     *
     * @param config      the configuration
     * @param interestDim d, the size of a behavioural interest vector
     * @param semanticDim D, the size of a semantic (text-encoder) vector
     * @param seed        seed of the initialisation
     */
    public AuxiliaryTasks(AuxTasksConfig config, int interestDim, int semanticDim, long seed) {
        this(config, interestDim, semanticDim, new SplittableRandom(seed));
    }

    /**
     * Creates the module with weights drawn from {@code rng}, in the order g.W, h.W1, h.W2.
     *
     * @param config      the configuration
     * @param interestDim d, the size of a behavioural interest vector
     * @param semanticDim D, the size of a semantic (text-encoder) vector
     * @param rng         source of the initial weights
     */
    public AuxiliaryTasks(AuxTasksConfig config, int interestDim, int semanticDim, RandomGenerator rng) {
        if (config == null || rng == null) {
            throw new IllegalArgumentException("config and rng must not be null");
        }
        if (interestDim < 1 || semanticDim < 1) {
            throw new IllegalArgumentException("interestDim and semanticDim must be >= 1, got " + interestDim
                    + " and " + semanticDim);
        }
        this.config = config;
        this.interestDim = interestDim;
        this.semanticDim = semanticDim;
        this.dt = config.dataType();
        int hidden = config.headHiddenFor(interestDim);
        int d = interestDim;
        int bigD = semanticDim;
        Param gW = param("mtl.g.W", Mats.of(glorot(rng, bigD, d), dt));
        Param gB = param("mtl.g.b", Nd4j.zeros(dt, 1, d));
        Param gGain = param("mtl.g.gain", Nd4j.ones(dt, 1, d));
        Param gBias = param("mtl.g.bias", Nd4j.zeros(dt, 1, d));
        Param hW1 = param("mtl.h.W1", Mats.of(glorot(rng, d, hidden), dt));
        Param hB1 = param("mtl.h.b1", Nd4j.zeros(dt, 1, hidden));
        Param hW2 = param("mtl.h.W2", Mats.of(glorot(rng, hidden, bigD), dt));
        Param hB2 = param("mtl.h.b2", Nd4j.zeros(dt, 1, bigD));
        this.g = new Projection(gW, gB, gGain, gBias, config.layerNormEps());
        this.h = new SemanticHead(hW1, hB1, hW2, hB2);
        this.params = List.of(gW, gB, gGain, gBias, hW1, hB1, hW2, hB2);
    }

    private static Param param(String name, INDArray value) {
        return new Param(name, value, Nd4j.zeros(value.dataType(), value.shape()));
    }

    private static double[][] glorot(RandomGenerator rng, int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double[][] w = new double[fanIn][fanOut];
        for (double[] row : w) {
            for (int j = 0; j < fanOut; j++) {
                row[j] = (2 * rng.nextDouble() - 1) * limit;
            }
        }
        return w;
    }

    /** The configuration. */
    public AuxTasksConfig config() {
        return config;
    }

    /** d, the behavioural interest size. */
    public int interestDim() {
        return interestDim;
    }

    /** D, the semantic vector size. */
    public int semanticDim() {
        return semanticDim;
    }

    /** The trainable parameters of g and h, in a stable order (see the class comment). */
    public List<Param> parameters() {
        return params;
    }

    /**
     * Sets the mean that semantic prediction subtracts from its targets when {@link AuxTasksConfig#centerTargets()}
     * is on; without that setting the call is refused, so a caller cannot centre by accident.
     *
     * @param mean a D-dimensional mean of the semantic vectors
     */
    public void centreTargets(float[] mean) {
        if (!config.centerTargets()) {
            throw new IllegalStateException("centreTargets needs AuxTasksConfig.centerTargets(true)");
        }
        if (mean == null || mean.length != semanticDim) {
            throw new IllegalArgumentException("mean must have length D = " + semanticDim);
        }
        double[] m = new double[semanticDim];
        for (int i = 0; i < semanticDim; i++) {
            m[i] = mean[i];
        }
        targetMean = m;
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGradients() {
        for (Param p : params) {
            dev.eimf.internal.tensor.Buf.of(p.grad()).zero();
        }
    }

    /**
     * The outcome of one batch.
     *
     * @param loss              {@code lambdaAlign * alignLoss + lambdaSemantic * semanticLoss} over enabled tasks
     * @param alignLoss         the unweighted modality-alignment loss (0 when disabled or no user is eligible)
     * @param semanticLoss      the unweighted semantic-prediction loss (0 when disabled or no user is eligible)
     * @param activeUsers       batch rows that took part (semantics and weight > 0)
     * @param pairs             (user, interest) pairs that took part: activeUsers * K
     * @param matchingFallbacks active users for whom HUNGARIAN fell back to ARGMAX because J &lt; K
     * @param matching          per batch row, {@code pi} (length K), or null for a row that did not take part
     */
    public record Result(double loss, double alignLoss, double semanticLoss, int activeUsers, int pairs,
                         int matchingFallbacks, int[][] matching) {
    }

    /**
     * Computes the losses and ADDS their lambda-weighted gradients into {@code dV} and into the parameters'
     * gradient buffers. Rows without semantics get nothing.
     *
     * @param v         behavioural interests [B, K, d]
     * @param semantics one row per batch row
     * @param dV        gradient buffer [B, K, d] to add into
     * @return the losses and matchings
     */
    public Result forwardBackward(INDArray v, SemanticBatch semantics, INDArray dV) {
        if (dV == null) {
            throw new IllegalArgumentException("dV must not be null; use evaluate() for losses alone");
        }
        return run(v, semantics, dV);
    }

    /** Computes the losses alone: no gradient is touched. */
    public Result evaluate(INDArray v, SemanticBatch semantics) {
        return run(v, semantics, null);
    }

    private Result run(INDArray v, SemanticBatch sem, INDArray dV) {
        if (v == null || sem == null) {
            throw new IllegalArgumentException("v and semantics must not be null");
        }
        if (v.rank() != 3 || v.size(2) != interestDim) {
            throw new IllegalArgumentException("v must be [B, K, " + interestDim + "], got "
                    + Arrays.toString(v.shape()));
        }
        int batch = (int) v.size(0);
        int numK = (int) v.size(1);
        if (sem.size() != batch) {
            throw new IllegalArgumentException("semantics has " + sem.size() + " rows, v has " + batch);
        }
        if (dV != null && !Arrays.equals(dV.shape(), v.shape())) {
            throw new IllegalArgumentException("dV shape " + Arrays.toString(dV.shape()) + " differs from v shape "
                    + Arrays.toString(v.shape()));
        }
        int[] users = new int[batch];
        int nAct = 0;
        int total = 0;
        for (int b = 0; b < batch; b++) {
            SemanticBatch.Row row = sem.row(b);
            if (!row.active()) {
                continue;
            }
            int dim = row.interests()[0].length;
            if (dim != semanticDim) {
                throw new IllegalArgumentException("semantics row " + b + " has dimension " + dim
                        + ", expected D = " + semanticDim);
            }
            users[nAct++] = b;
            total += row.interests().length;
        }
        int[][] matching = new int[batch][];
        if (nAct == 0 || !(config.alignEnabled() || config.semanticEnabled())) {
            return new Result(0, 0, 0, 0, 0, 0, matching);
        }
        if (config.semanticEnabled() && config.centerTargets() && targetMean == null) {
            throw new IllegalStateException("centerTargets is on but no mean was set (centreTargets)");
        }

        // Gather the eligible users' interests (rows a*K + k) and semantics (rows off[a] + j).
        double[] vFlat = Mats.flat(v);
        int d = interestDim;
        double[][] vAct = new double[nAct * numK][d];
        int[] off = new int[nAct];
        int[] numJ = new int[nAct];
        int[] source = new int[nAct];
        double[] weight = new double[nAct];
        double[][] sAll = new double[total][];
        int m = 0;
        for (int a = 0; a < nAct; a++) {
            int b = users[a];
            SemanticBatch.Row row = sem.row(b);
            for (int k = 0; k < numK; k++) {
                System.arraycopy(vFlat, (b * numK + k) * d, vAct[a * numK + k], 0, d);
            }
            off[a] = m;
            numJ[a] = row.interests().length;
            source[a] = row.source();
            weight[a] = row.weight();
            for (float[] s : row.interests()) {
                double[] sd = new double[semanticDim];
                for (int i = 0; i < semanticDim; i++) {
                    sd[i] = s[i];
                }
                sAll[m++] = sd;
            }
        }

        Projection.Pass gPass = g.forward(Mats.of(sAll, dt));
        double[][] gs = gPass.out();

        int fallbacks = 0;
        int[][] pi = new int[nAct][];
        for (int a = 0; a < nAct; a++) {
            double[][] cos = new double[numK][numJ[a]];
            for (int k = 0; k < numK; k++) {
                for (int j = 0; j < numJ[a]; j++) {
                    cos[k][j] = Mats.cos(vAct[a * numK + k], gs[off[a] + j]);
                }
            }
            pi[a] = InterestMatching.match(cos, config.matching());
            if (config.matching() == Matching.HUNGARIAN && !InterestMatching.hungarianApplies(numK, numJ[a])) {
                fallbacks++;
            }
            matching[users[a]] = pi[a].clone();
        }

        double weightSum = 0;
        for (int a = 0; a < nAct; a++) {
            weightSum += weight[a] * numK;
        }
        double[] coef = new double[nAct];
        for (int a = 0; a < nAct; a++) {
            coef[a] = weight[a] / weightSum;
        }

        Batch bt = new Batch(nAct, numK, vAct, sAll, gs, off, numJ, source, coef, pi);
        double[][] dVAct = new double[nAct * numK][d];
        boolean anyGrad = false;
        double alignLoss = 0;
        if (config.alignEnabled()) {
            double scale = dV == null ? 0 : config.lambdaAlign();
            double[][] dG = scale > 0 ? new double[total][d] : null;
            alignLoss = align(bt, scale, dVAct, dG);
            if (dG != null) {
                gPass.backward(dG);
                anyGrad = true;
            }
        }
        double semLoss = 0;
        if (config.semanticEnabled()) {
            double scale = dV == null ? 0 : config.lambdaSemantic();
            semLoss = predict(bt, scale, dVAct);
            anyGrad |= scale > 0;
        }
        if (anyGrad) {
            double[] flat = new double[batch * numK * d];
            for (int a = 0; a < nAct; a++) {
                for (int k = 0; k < numK; k++) {
                    System.arraycopy(dVAct[a * numK + k], 0, flat, (users[a] * numK + k) * d, d);
                }
            }
            Mats.addInto(dV, flat);
        }
        double loss = (config.alignEnabled() ? config.lambdaAlign() * alignLoss : 0)
                + (config.semanticEnabled() ? config.lambdaSemantic() * semLoss : 0);
        return new Result(loss, alignLoss, semLoss, nAct, nAct * numK, fallbacks, matching);
    }

    /** The gathered eligible users of one batch: interests rows a*K+k, semantics rows off[a]+j. */
    private record Batch(int nAct, int numK, double[][] v, double[][] s, double[][] gs, int[] off, int[] numJ,
                         int[] source, double[] coef, int[][] pi) {
    }

    /**
     * InfoNCE over the eligible anchors. When scale > 0, adds scale * dL/dv into dV and scale * dL/dg(s) into dG.
     */
    private double align(Batch bt, double scale, double[][] dV, double[][] dG) {
        int numK = bt.numK();
        int nAct = bt.nAct();
        double tau = config.tau();
        double[] normA = new double[bt.v().length];
        double[][] anchors = normalise(bt.v(), normA);
        double[] normG = new double[bt.gs().length];
        double[][] cands = normalise(bt.gs(), normG);
        INDArray anchorsArr = Mats.of(anchors, dt);
        INDArray candsArr = Mats.of(cands, dt);
        double[][] cos = Mats.toDouble(Mats.mm(anchorsArr, false, candsArr, true));

        int[][] negatives = new int[nAct][];
        for (int a = 0; a < nAct; a++) {
            negatives[a] = negativesOf(bt, a);
        }

        boolean backward = scale > 0;
        double[][] dCos = backward ? new double[cos.length][cos[0].length] : null;
        double loss = 0;
        double[] expNeg = new double[bt.gs().length];
        for (int a = 0; a < nAct; a++) {
            int[] neg = negatives[a];
            for (int k = 0; k < numK; k++) {
                int p = a * numK + k;
                int pos = bt.off()[a] + bt.pi()[a][k];
                double lPos = cos[p][pos] / tau;
                double max = lPos;
                for (int c : neg) {
                    max = Math.max(max, cos[p][c] / tau);
                }
                double ePos = Math.exp(lPos - max);
                double z = ePos;
                for (int i = 0; i < neg.length; i++) {
                    expNeg[i] = Math.exp(cos[p][neg[i]] / tau - max);
                    z += expNeg[i];
                }
                loss += bt.coef()[a] * (Math.log(z) + max - lPos);
                if (backward) {
                    // d(-log softmax_pos)/d logit_c = softmax_c - [c = pos]; d logit / d cos = 1 / tau.
                    double gScale = scale * bt.coef()[a] / tau;
                    dCos[p][pos] += gScale * (ePos / z - 1);
                    for (int i = 0; i < neg.length; i++) {
                        dCos[p][neg[i]] += gScale * expNeg[i] / z;
                    }
                }
            }
        }
        if (backward) {
            INDArray dCosArr = Mats.of(dCos, dt);
            double[][] dAnchors = Mats.toDouble(Mats.mm(dCosArr, false, candsArr, false));
            double[][] dCands = Mats.toDouble(Mats.mm(dCosArr, true, anchorsArr, false));
            addNormaliseBackward(anchors, normA, dAnchors, dV);
            addNormaliseBackward(cands, normG, dCands, dG);
        }
        return loss;
    }

    /** Column indices (rows of the stacked semantics) that are negatives for eligible user a. */
    private int[] negativesOf(Batch bt, int a) {
        int[] buf = new int[bt.s().length];
        int n = 0;
        for (int o = 0; o < bt.nAct(); o++) {
            if (o == a || (config.excludeSameSource() && bt.source()[a] != SemanticBatch.Row.NO_SOURCE
                    && bt.source()[a] == bt.source()[o])) {
                continue;
            }
            if (config.negatives() == NegativeSet.ALL) {
                for (int j = 0; j < bt.numJ()[o]; j++) {
                    buf[n++] = bt.off()[o] + j;
                }
            } else {
                boolean[] seen = new boolean[bt.numJ()[o]];
                for (int j : bt.pi()[o]) {
                    seen[j] = true;
                }
                for (int j = 0; j < seen.length; j++) {
                    if (seen[j]) {
                        buf[n++] = bt.off()[o] + j;
                    }
                }
            }
        }
        return Arrays.copyOf(buf, n);
    }

    /**
     * Semantic prediction {@code 1 - cos(h(v), s_pi)}. When scale > 0, adds h's parameter gradients and
     * scale * dL/dv into dV.
     */
    private double predict(Batch bt, double scale, double[][] dV) {
        int numK = bt.numK();
        SemanticHead.Pass hPass = h.forward(Mats.of(bt.v(), dt));
        double[][] y = Mats.toDouble(hPass.out());
        boolean backward = scale > 0;
        double[][] dY = backward ? new double[y.length][semanticDim] : null;
        double loss = 0;
        for (int a = 0; a < bt.nAct(); a++) {
            for (int k = 0; k < numK; k++) {
                int p = a * numK + k;
                double[] t = target(bt.s()[bt.off()[a] + bt.pi()[a][k]]);
                double[] yp = y[p];
                double ny = Math.max(Mats.norm(yp), MIN_NORM);
                double nt = Math.max(Mats.norm(t), MIN_NORM);
                double c = Mats.dot(yp, t) / (ny * nt);
                loss += bt.coef()[a] * (1 - c);
                if (backward) {
                    double gScale = -scale * bt.coef()[a];
                    for (int i = 0; i < semanticDim; i++) {
                        dY[p][i] = gScale * (t[i] / (ny * nt) - c * yp[i] / (ny * ny));
                    }
                }
            }
        }
        if (backward) {
            double[][] dX = Mats.toDouble(hPass.backward(Mats.of(dY, dt)));
            for (int p = 0; p < dX.length; p++) {
                for (int i = 0; i < interestDim; i++) {
                    dV[p][i] += dX[p][i];
                }
            }
        }
        return loss;
    }

    /**
     * Item-side alignment (docs/METHOD.md, section 5.3): InfoNCE with temperature tau between each item's embedding
     * {@code e_i} (anchor) and {@code g(t_i)} of its own text (positive), the other rows' {@code g(t_j)} as
     * negatives, cosine similarity; the mean over the rows. When {@code scale > 0}, adds {@code scale * dL/de} into
     * {@code dE} and {@code scale * dL/dtheta_g} into g's gradients. Fewer than two rows give 0.
     *
     * @param e     item embeddings [N][d] (distinct items)
     * @param t     their text vectors [N][D]
     * @param scale weight of the loss's gradient (0 = loss only)
     * @param dE    [N][d] buffer to add into, or null when scale is 0
     * @return the unweighted loss
     */
    public double alignItems(double[][] e, float[][] t, double scale, double[][] dE) {
        int n = e.length;
        if (t.length != n) {
            throw new IllegalArgumentException("e has " + n + " rows, t has " + t.length);
        }
        if (n < 2) {
            return 0;
        }
        double[][] sd = new double[n][semanticDim];
        for (int r = 0; r < n; r++) {
            if (t[r].length != semanticDim || e[r].length != interestDim) {
                throw new IllegalArgumentException("row " + r + ": e has " + e[r].length + " and t " + t[r].length
                        + " columns, expected " + interestDim + " and " + semanticDim);
            }
            for (int i = 0; i < semanticDim; i++) {
                sd[r][i] = t[r][i];
            }
        }
        Projection.Pass gPass = g.forward(Mats.of(sd, dt));
        double[] normA = new double[n];
        double[][] anchors = normalise(e, normA);
        double[] normG = new double[n];
        double[][] cands = normalise(gPass.out(), normG);
        INDArray anchorsArr = Mats.of(anchors, dt);
        INDArray candsArr = Mats.of(cands, dt);
        double[][] cos = Mats.toDouble(Mats.mm(anchorsArr, false, candsArr, true));
        double tau = config.tau();
        boolean backward = scale > 0;
        double[][] dCos = backward ? new double[n][n] : null;
        double loss = 0;
        double[] ex = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, cos[i][j] / tau);
            }
            double z = 0;
            for (int j = 0; j < n; j++) {
                ex[j] = Math.exp(cos[i][j] / tau - max);
                z += ex[j];
            }
            loss += (Math.log(z) + max - cos[i][i] / tau) / n;
            if (backward) {
                double gScale = scale / (n * tau);
                for (int j = 0; j < n; j++) {
                    dCos[i][j] = gScale * (ex[j] / z - (i == j ? 1 : 0));
                }
            }
        }
        if (backward) {
            INDArray dCosArr = Mats.of(dCos, dt);
            double[][] dAnchors = Mats.toDouble(Mats.mm(dCosArr, false, candsArr, false));
            double[][] dCands = Mats.toDouble(Mats.mm(dCosArr, true, anchorsArr, false));
            addNormaliseBackward(anchors, normA, dAnchors, dE);
            double[][] dG = new double[n][interestDim];
            addNormaliseBackward(cands, normG, dCands, dG);
            gPass.backward(dG);
        }
        return loss;
    }

    private double[] target(double[] s) {
        if (targetMean == null) {
            return s;
        }
        double[] t = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            t[i] = s[i] - targetMean[i];
        }
        return t;
    }

    private static double[][] normalise(double[][] x, double[] norms) {
        double[][] out = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            double n = Math.max(Mats.norm(x[r]), MIN_NORM);
            norms[r] = n;
            out[r] = new double[x[r].length];
            for (int i = 0; i < x[r].length; i++) {
                out[r][i] = x[r][i] / n;
            }
        }
        return out;
    }

    /** For xhat = x / |x|: dx = (dxhat - xhat (xhat . dxhat)) / |x|, added into {@code into}. */
    private static void addNormaliseBackward(double[][] xhat, double[] norms, double[][] dxhat, double[][] into) {
        for (int r = 0; r < xhat.length; r++) {
            double proj = Mats.dot(xhat[r], dxhat[r]);
            for (int i = 0; i < xhat[r].length; i++) {
                into[r][i] += (dxhat[r][i] - xhat[r][i] * proj) / norms[r];
            }
        }
    }

    /**
     * g(s) for serving: projects semantic vectors (e.g. the interest phrases in the ESIM store) into the
     * behavioural space, to name interests by cosine (see {@link #namer(float[][], List)}).
     *
     * @param s N x D semantic vectors
     * @return N x d projected vectors
     */
    public float[][] project(float[][] s) {
        if (s == null || s.length == 0) {
            throw new IllegalArgumentException("s must hold at least one vector");
        }
        double[][] sd = new double[s.length][];
        for (int r = 0; r < s.length; r++) {
            if (s[r] == null || s[r].length != semanticDim) {
                throw new IllegalArgumentException("s[" + r + "] has dimension "
                        + (s[r] == null ? "null" : s[r].length) + ", expected D = " + semanticDim);
            }
            sd[r] = new double[semanticDim];
            for (int i = 0; i < semanticDim; i++) {
                sd[r][i] = s[r][i];
            }
        }
        double[][] y = g.forward(Mats.of(sd, dt)).out();
        float[][] out = new float[y.length][interestDim];
        for (int r = 0; r < y.length; r++) {
            for (int i = 0; i < interestDim; i++) {
                out[r][i] = (float) y[r][i];
            }
        }
        return out;
    }

    /**
     * An {@link InterestNamer} over phrases: projects their semantic vectors with g now (later training does not
     * change it).
     *
     * @param phraseVectors N x D semantic vectors of the phrases
     * @param labels        N labels, in the same order
     */
    public InterestNamer namer(float[][] phraseVectors, List<String> labels) {
        return new InterestNamer(project(phraseVectors), labels);
    }
}
