package dev.eimf.internal.train;

import dev.eimf.eval.ItemScorer;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.tensor.Blas;
import dev.eimf.internal.tensor.Buf;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained multi-interest model: the item table, the encoder with its weights, and the training
 * configuration. Scores items exactly by {@code score(i) = max_k <v_k, e_i>} over all items, batched
 * as one gemm per chunk of users ({@code [B*K, d] x E^T}).
 *
 * <p>Not thread-safe (the encoder may reuse buffers); use one instance per thread.
 */
public final class TrainedModel implements ItemScorer {
    /** Largest score block [B*K, n+1] computed at once, in elements (64 MiB of floats). */
    private static final long MAX_BLOCK = 16L << 20;

    private final INDArray table;
    private final InterestEncoder encoder;
    private final TrainerConfig config;
    private final long inferenceSeed;

    /**
     * @param table   item table [n+1, d] (row 0 padding, zero); held, not copied
     * @param encoder the trained encoder
     * @param config  the configuration it was trained with
     */
    public TrainedModel(INDArray table, InterestEncoder encoder, TrainerConfig config) {
        this.table = Objects.requireNonNull(table, "table");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.config = Objects.requireNonNull(config, "config");
        if (table.rank() != 2 || table.size(1) != encoder.dim()) {
            throw new IllegalArgumentException("table must be [n+1, " + encoder.dim() + "], got "
                    + java.util.Arrays.toString(table.shape()));
        }
        this.inferenceSeed = config.seed() ^ 0x5DEECE66DL;
    }

    /** The item table [n+1, d] (live; row 0 is padding). */
    public INDArray itemTable() {
        return table;
    }

    /** The encoder. */
    public InterestEncoder encoder() {
        return encoder;
    }

    /** The training configuration. */
    public TrainerConfig config() {
        return config;
    }

    /** Number of real items. */
    public int numItems() {
        return (int) table.size(0) - 1;
    }

    /**
     * The interests of some histories (inference mode).
     *
     * @param histories item ids, oldest first; only the last T are used
     * @return interests [B, K, d], a fresh array
     */
    public INDArray interests(int[][] histories) {
        HistoryBatch hb = HistoryBatch.of(histories, encoder.maxLen());
        INDArray x = hb.gather(table, null);
        // Inference draws no randomness for SA/DR; MIND's routing logits get a fixed stream so the same
        // history always scores the same.
        InterestEncoder.Pass pass = encoder.forward(x, hb.maskArray(table.dataType()), false,
                new SplittableRandom(inferenceSeed));
        INDArray v = pass.interests().dup('c');
        return v;
    }

    @Override
    public void score(int[] history, float[] out) {
        scoreBatch(new int[][] {history}, new float[][] {out});
    }

    @Override
    public void scoreBatch(int[][] histories, float[][] out) {
        int rowsTotal = (int) table.size(0);
        int k = encoder.numInterests();
        blocks(histories, (from, b, s) -> {
            for (int i = 0; i < b; i++) {
                float[] row = out[from + i];
                checkRow(row, rowsTotal);
                int base = i * k * rowsTotal;
                System.arraycopy(s, base, row, 0, rowsTotal);
                for (int j = 1; j < k; j++) {
                    int off = base + j * rowsTotal;
                    for (int item = 0; item < rowsTotal; item++) {
                        row[item] = Math.max(row[item], s[off + item]);
                    }
                }
            }
        });
    }

    @Override
    public int numInterests() {
        return encoder.numInterests();
    }

    @Override
    public void scoreInterestsBatch(int[][] histories, float[][][] out) {
        int rowsTotal = (int) table.size(0);
        int k = encoder.numInterests();
        blocks(histories, (from, b, s) -> {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < k; j++) {
                    float[] row = out[from + i][j];
                    checkRow(row, rowsTotal);
                    System.arraycopy(s, (i * k + j) * rowsTotal, row, 0, rowsTotal);
                }
            }
        });
    }

    private static void checkRow(float[] row, int rowsTotal) {
        if (row.length != rowsTotal) {
            throw new IllegalArgumentException("score row has length " + row.length + ", expected " + rowsTotal);
        }
    }

    /** Receives the scores of histories {@code from .. from+b}: {@code [b*K, n+1]} row-major. */
    private interface Block {
        void accept(int from, int b, float[] scores);
    }

    private void blocks(int[][] histories, Block sink) {
        int rowsTotal = (int) table.size(0);
        int k = encoder.numInterests();
        int d = encoder.dim();
        int chunk = (int) Math.max(1, Math.min(histories.length, MAX_BLOCK / ((long) k * rowsTotal)));
        for (int from = 0; from < histories.length; from += chunk) {
            int to = Math.min(histories.length, from + chunk);
            int[][] part = java.util.Arrays.copyOfRange(histories, from, to);
            int b = to - from;
            INDArray v = interests(part).reshape((long) b * k, d);
            INDArray scores = Nd4j.create(v.dataType(), (long) b * k, rowsTotal); // [B*K, n+1]
            Blas.pgemm(false, true, b * k, rowsTotal, d, 1.0, Buf.of(v), 0, d, Buf.of(table), 0, d, 0.0,
                    Buf.of(scores), 0, rowsTotal);
            // a bulk copy: DataBuffer.asFloat goes element by element through a bounds-checked indexer,
            // which cost more than the product itself (1.5 s per validation of Amazon Beauty)
            float[] s = new float[b * k * rowsTotal];
            Buf sb = Buf.of(scores);
            if (sb instanceof Buf.F f) {
                f.get(0, s, 0, s.length);
            } else {
                double[] tmp = new double[s.length];
                sb.get(0, tmp, 0, s.length);
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) tmp[i];
                }
            }
            sink.accept(from, b, s);
        }
    }
}
