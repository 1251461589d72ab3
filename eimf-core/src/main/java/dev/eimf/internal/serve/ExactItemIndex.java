package dev.eimf.internal.serve;

import dev.eimf.internal.tensor.Blas;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Exact maximum-inner-product retrieval over the whole catalogue: every item is scored against every
 * interest, {@code score(i) = max_k <v_k, e_i>}, and a bounded heap keeps the best {@code n}.
 *
 * <p>One user: by default a fused Java kernel over a transposed, blocked copy of the item table
 * ({@code [block][d][512]}, every slice its own array so that C2 vectorises the loops), four embedding
 * dimensions per pass; then a vectorised maximum over K and a threshold scan that touches the heap only
 * for items that can enter it. Catalogues of at least {@link Builder#parallelItems(int)} items split the
 * blocks across {@link Parallel} threads (each with its own heap, merged at the end: the result does not
 * depend on the split). Many users: per chunk of {@link Builder#chunkUsers(int)} users and tile of items,
 * one single-threaded CBLAS product {@code [U*K, d] x [d, tile]} into a cache-sized score block, then the
 * same maximum and scan; chunks of users run on {@link Parallel} threads. Figures:
 * {@code benchmarks/RESULTS.md}.
 *
 * <p>Immutable and thread-safe: every call uses its own scratch buffers.
 */
public final class ExactItemIndex implements ItemIndex {

    /** How single-user queries are computed. Both give the same ranking up to float rounding. */
    public enum Kernel {
        /** Blocked Java loops over the transposed item table (auto-vectorised by the JIT). */
        FUSED_JAVA,
        /** CBLAS products {@code [K, d] x [d, tile]} (OpenBLAS, as loaded by ND4J), as in the batch path. */
        ND4J
    }

    /** Items per block of the fused kernel: K accumulators, the maximum and four slices stay in L1. */
    private static final int BLOCK = 512;
    /** Items per score tile of the BLAS path. */
    private static final int TILE = 1024;

    private final int dim;
    private final int numItems;      // real items, ids 1..numItems
    private final float[][][] blocks; // [numItems/BLOCK][d][BLOCK], item BLOCK*b+i+1 at [b][.][i]
    private final Buf rows;          // float [numItems, d], item i at row i-1 (null when empty)
    private final Kernel kernel;
    private final int chunkUsers;
    private final int parallelItems;

    @SuppressWarnings("try") // the workspace scope is used only for its effect
    private ExactItemIndex(Builder b) {
        float[][] table = b.rows;
        dim = b.dim;
        numItems = table.length - 1;
        int nb = (numItems + BLOCK - 1) / BLOCK;
        blocks = new float[nb][dim][BLOCK];
        for (int i = 0; i < numItems; i++) {
            float[] r = table[i + 1];
            float[][] blk = blocks[i / BLOCK];
            int c = i % BLOCK;
            for (int j = 0; j < dim; j++) {
                blk[j][c] = r[j];
            }
        }
        if (numItems == 0) {
            rows = null;
        } else {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                Buf.F f = (Buf.F) Buf.zeros(DataType.FLOAT, numItems, dim);
                for (int i = 0; i < numItems; i++) {
                    f.set(i * dim, table[i + 1], 0, dim);
                }
                rows = f;
            }
        }
        kernel = b.kernel;
        chunkUsers = b.chunkUsers;
        parallelItems = b.parallelItems;
    }
    /** An index over an item table {@code [n+1, d]} (row 0 = padding) with default options. */
    public static ExactItemIndex of(float[][] table) {
        return builder(table).build();
    }

    /** An index over an item table {@code [n+1, d]} (row 0 = padding) with default options. */
    public static ExactItemIndex of(INDArray table) {
        return builder(table).build();
    }

    /** Starts a builder over an item table {@code [n+1, d]}; the values are copied. */
    public static Builder builder(float[][] table) {
        return new Builder(table);
    }

    /** Starts a builder over an item table {@code [n+1, d]} (float or double); the values are copied. */
    public static Builder builder(INDArray table) {
        return new Builder(IndexInputs.tableRows(table));
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int tableSize() {
        return numItems + 1;
    }

    /** The kernel single-user queries use. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public List<ScoredItem> topN(float[][] interests, int n, IntPredicate excluded) {
        int k = checkInterests(interests, -1, "interests");
        int cap = capacity(n);
        if (numItems == 0 || n == 0) {
            return new TopNHeap(cap).drainBestFirst();
        }
        if (kernel == Kernel.ND4J) {
            return blasBatch(new float[][][] {interests}, k, cap, new IntPredicate[] {excluded}).get(0);
        }
        int nb = blocks.length;
        int parts = numItems >= parallelItems ? Math.min(Parallel.threads(), nb) : 1;
        if (parts <= 1) {
            TopNHeap heap = new TopNHeap(cap);
            fusedScan(interests, k, 0, nb, heap, excluded);
            return heap.drainBestFirst();
        }
        TopNHeap[] heaps = new TopNHeap[parts];
        Parallel.forRange(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                TopNHeap h = new TopNHeap(cap);
                fusedScan(interests, k, (int) ((long) nb * p / parts), (int) ((long) nb * (p + 1) / parts), h, excluded);
                heaps[p] = h;
            }
        });
        for (int p = 1; p < parts; p++) {
            heaps[0].offerAll(heaps[p]);
        }
        return heaps[0].drainBestFirst();
    }

    @Override
    public List<List<ScoredItem>> topNBatch(float[][][] interests, int n, IntPredicate[] excluded) {
        ItemIndex.checkBatch(interests, excluded);
        int users = interests.length;
        if (users == 0) {
            return new ArrayList<>();
        }
        int k = checkInterests(interests[0], -1, "interests[0]");
        for (int u = 1; u < users; u++) {
            checkInterests(interests[u], k, "interests[" + u + "]");
        }
        int cap = capacity(n);
        if (numItems == 0 || n == 0) {
            List<List<ScoredItem>> out = new ArrayList<>(users);
            for (int u = 0; u < users; u++) {
                out.add(new ArrayList<>());
            }
            return out;
        }
        IntPredicate[] ex = excluded == null ? new IntPredicate[users] : excluded;
        return blasBatch(interests, k, cap, ex);
    }

    /**
     * The BLAS path: chunks of users in parallel; per chunk and tile of items one single-threaded product
     * into a per-thread score block, then max over K and a scan into each user's heap.
     */
    @SuppressWarnings("try")
    private List<List<ScoredItem>> blasBatch(float[][][] interests, int k, int cap, IntPredicate[] excluded) {
        int users = interests.length;
        int chunk = Math.min(chunkUsers, users);
        int chunks = (users + chunk - 1) / chunk;
        TopNHeap[] heaps = new TopNHeap[users];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Buf.F a = (Buf.F) Buf.zeros(DataType.FLOAT, (long) users * k, dim);
            for (int u = 0; u < users; u++) {
                for (int q = 0; q < k; q++) {
                    a.set((u * k + q) * dim, interests[u][q], 0, dim);
                }
            }
            Parallel.forRange(chunks, 1, (c0, c1) -> {
                int tile = Math.min(TILE, numItems);
                Buf.F c = (Buf.F) Buf.zeros(DataType.FLOAT, (long) chunk * k, tile);
                float[][] acc = new float[k][tile];
                float[] best = new float[tile];
                for (int ch = c0; ch < c1; ch++) {
                    int u0 = ch * chunk;
                    int cu = Math.min(chunk, users - u0);
                    for (int u = u0; u < u0 + cu; u++) {
                        heaps[u] = new TopNHeap(cap);
                    }
                    for (int i0 = 0; i0 < numItems; i0 += tile) {
                        int len = Math.min(tile, numItems - i0);
                        Blas.gemm(false, true, cu * k, len, dim, 1.0, a, u0 * k * dim, dim, rows, i0 * dim, dim,
                                0.0, c, 0, len);
                        for (int u = 0; u < cu; u++) {
                            for (int q = 0; q < k; q++) {
                                c.get((u * k + q) * len, acc[q], 0, len);
                            }
                            collect(acc, k, len, best, i0 + 1, heaps[u0 + u], excluded[u0 + u]);
                        }
                    }
                }
            });
        }
        List<List<ScoredItem>> out = new ArrayList<>(users);
        for (TopNHeap h : heaps) {
            out.add(h.drainBestFirst());
        }
        return out;
    }

    /**
     * Blocked scan over blocks {@code [b0, b1)}: K accumulator rows per block, built four embedding
     * dimensions per pass ({@code a += w0 s0 + w1 s1 + w2 s2 + w3 s3}: one load and store of the
     * accumulator per four multiply-adds), then {@link #collect}.
     */
    private void fusedScan(float[][] v, int k, int b0, int b1, TopNHeap heap, IntPredicate excluded) {
        float[][] acc = new float[k][BLOCK];
        float[] best = new float[BLOCK];
        int d = dim;
        for (int b = b0; b < b1; b++) {
            float[][] t = blocks[b];
            int len = Math.min(BLOCK, numItems - b * BLOCK);
            for (int q = 0; q < k; q++) {
                java.util.Arrays.fill(acc[q], 0, len, 0f);
            }
            int j = 0;
            for (; j + 3 < d; j += 4) {
                float[] s0 = t[j], s1 = t[j + 1], s2 = t[j + 2], s3 = t[j + 3];
                for (int q = 0; q < k; q++) {
                    float[] vq = v[q];
                    axpy4(acc[q], len, vq[j], s0, vq[j + 1], s1, vq[j + 2], s2, vq[j + 3], s3);
                }
            }
            for (; j < d; j++) {
                float[] s0 = t[j];
                for (int q = 0; q < k; q++) {
                    float w = v[q][j];
                    float[] a = acc[q];
                    for (int i = 0; i < len; i++) {
                        a[i] += w * s0[i];
                    }
                }
            }
            collect(acc, k, len, best, b * BLOCK + 1, heap, excluded);
        }
    }

    private static void axpy4(float[] a, int len, float w0, float[] s0, float w1, float[] s1, float w2, float[] s2,
                              float w3, float[] s3) {
        for (int i = 0; i < len; i++) {
            a[i] += w0 * s0[i] + w1 * s1[i] + w2 * s2[i] + w3 * s3[i];
        }
    }

    /**
     * Max over the K score rows {@code acc[q][i]}, {@code i < len} (item id {@code firstId + i}), into
     * the heap. The maximum is a branch-free vector loop; the scan compares with the heap's threshold
     * and looks for the attaining interest (the lowest index on ties) only for items that may enter.
     */
    private static void collect(float[][] acc, int k, int len, float[] best, int firstId, TopNHeap heap,
                                IntPredicate excluded) {
        System.arraycopy(acc[0], 0, best, 0, len);
        for (int q = 1; q < k; q++) {
            float[] a = acc[q];
            for (int i = 0; i < len; i++) {
                best[i] = Math.max(best[i], a[i]);
            }
        }
        float thr = heap.threshold();
        for (int i = 0; i < len; i++) {
            float s = best[i];
            if (s >= thr || s != s) {
                int id = firstId + i;
                if (!heap.rejects(id, s)) {
                    int arg = 0;
                    while (arg < k - 1 && acc[arg][i] != s) {
                        arg++;
                    }
                    heap.offer(id, s, arg, excluded);
                    thr = heap.threshold();
                }
            }
        }
    }

    private int capacity(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        return Math.min(n, numItems);
    }

    private int checkInterests(float[][] v, int expectK, String what) {
        return IndexInputs.checkInterests(v, dim, expectK, what);
    }

    /** Options for {@link ExactItemIndex}; validated in {@link #build()}. */
    public static final class Builder {
        private final float[][] rows;
        private final int dim;
        private Kernel kernel = Kernel.FUSED_JAVA;
        private int chunkUsers = 64;
        private int parallelItems = 65536;

        private Builder(float[][] table) {
            dim = IndexInputs.checkTable(table);
            rows = table;
        }

        /** Single-user kernel (default {@link Kernel#FUSED_JAVA}). */
        public Builder kernel(Kernel kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * Users per matrix product of the BLAS path (default 64); with K interests the per-thread score
         * block is {@code chunkUsers * K x 1024} floats (1 MB at the default and K = 4).
         */
        public Builder chunkUsers(int chunkUsers) {
            this.chunkUsers = chunkUsers;
            return this;
        }

        /**
         * Catalogues of at least this many items split a single-user fused scan across
         * {@link Parallel#threads()} threads (default 65,536: below that, on the reference machine, the
         * fork/join cost ate the gain; {@code Integer.MAX_VALUE} never splits).
         */
        public Builder parallelItems(int parallelItems) {
            this.parallelItems = parallelItems;
            return this;
        }

        /** Validates the options and copies the table. */
        public ExactItemIndex build() {
            if (kernel == null) throw new IllegalArgumentException("kernel must not be null");
            if (chunkUsers < 1) throw new IllegalArgumentException("chunkUsers must be >= 1, got " + chunkUsers);
            if (parallelItems < 1) {
                throw new IllegalArgumentException("parallelItems must be >= 1, got " + parallelItems);
            }
            return new ExactItemIndex(this);
        }
    }
}
