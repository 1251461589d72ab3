package dev.eimf.internal.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Approximate maximum-inner-product retrieval over an HNSW graph (Lucene's
 * {@code org.apache.lucene.util.hnsw}), for catalogues too large to scan per query. Same contract as
 * {@link ExactItemIndex} except that an item of the true top n may be missed: measure the recall against
 * exact retrieval for your catalogue and settings ({@code AnnRecall} in {@code benchmarks}; figures in
 * {@code benchmarks/RESULTS.md}).
 *
 * <p>Max over K: each of the user's K interests queries the graph for its best {@code max(ef, n)}
 * candidates (excluded items filtered inside the graph search, so the exclusion costs no recall); the
 * union of the candidates is re-scored exactly, {@code score(i) = max_k <v_k, e_i>} in float, and the best
 * {@code n} are returned with ties broken by lower id, like {@link ExactItemIndex}.
 *
 * <p>Inner product: by default ({@link Similarity#MAXIMUM_INNER_PRODUCT}) the graph is built and searched
 * with Lucene's own inner-product similarity on the raw vectors (a non-metric graph, as in ip-NSW,
 * Morozov and Babenko, NeurIPS 2018). {@link Similarity#MIPS_TRANSFORM} instead builds it over the
 * standard MIPS-to-cosine reduction (Bachrach et al., RecSys 2014): with {@code M = max_i |e_i|} each item
 * becomes the unit vector {@code [e_i / M, sqrt(1 - |e_i|^2 / M^2)]} and each query {@code [v / |v|, 0]},
 * so the cosine is {@code <v, e_i> / (M |v|)}, increasing in the inner product. On clustered vectors with
 * spread norms the transform's queries lie far from every item and its recall@50 was far lower (0.37 to
 * 0.56 against 0.93 to 0.94 at 10^5 items, M 16; {@code benchmarks/RESULTS.md}), hence the default.
 *
 * <p>Reproducible: levels are drawn from {@link Builder#seed(long)} and items are inserted in id order,
 * so with one build thread the same table and seed give the same graph and the same results. With more
 * build threads the graph depends on thread timing. Queries are thread-safe.
 */
public final class HnswItemIndex implements ItemIndex {

    /** How inner products are mapped onto the graph's similarity. */
    public enum Similarity {
        /** Unit-vector augmentation (see the class comment), cosine graph. */
        MIPS_TRANSFORM,
        /** Lucene's {@code MAXIMUM_INNER_PRODUCT} on the raw vectors. The default. */
        MAXIMUM_INNER_PRODUCT
    }

    private final int dim;
    private final int numItems;
    private final float[][] items;       // [numItems][d], item id i at row i-1 (padding dropped)
    private final float[][] graphVecs;   // the vectors the graph is built on (== items without transform)
    private final int graphDim;
    private final VectorSimilarityFunction function;
    private final OnHeapHnswGraph graph;  // null when the catalogue is empty
    private final Similarity similarity;
    private final int m;
    private final int efConstruction;
    private final int ef;
    private final long seed;

    /** A view of {@code other} with another query beam width; shares the graph and the vectors. */
    private HnswItemIndex(HnswItemIndex other, int ef) {
        dim = other.dim;
        numItems = other.numItems;
        items = other.items;
        graphVecs = other.graphVecs;
        graphDim = other.graphDim;
        function = other.function;
        graph = other.graph;
        similarity = other.similarity;
        m = other.m;
        efConstruction = other.efConstruction;
        this.ef = ef;
        seed = other.seed;
    }

    private HnswItemIndex(Builder b) {
        dim = b.dim;
        numItems = b.rows.length - 1;
        similarity = b.similarity;
        m = b.m;
        efConstruction = b.efConstruction;
        ef = b.ef;
        seed = b.seed;
        items = new float[numItems][];
        for (int i = 0; i < numItems; i++) {
            items[i] = b.rows[i + 1].clone();
        }
        if (similarity == Similarity.MIPS_TRANSFORM) {
            graphDim = dim + 1;
            function = VectorSimilarityFunction.DOT_PRODUCT;
            graphVecs = augment(items, dim);
        } else {
            graphDim = dim;
            function = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            graphVecs = items;
        }
        graph = numItems == 0 ? null : buildGraph(b.threads);
    }

    /** Unit vectors {@code [e / M, sqrt(1 - |e|^2 / M^2)]}; a zero catalogue maps every item to the pole. */
    private static float[][] augment(float[][] items, int d) {
        double maxNorm2 = 0;
        for (float[] e : items) {
            maxNorm2 = Math.max(maxNorm2, norm2(e));
        }
        double inv = maxNorm2 > 0 ? 1.0 / Math.sqrt(maxNorm2) : 0.0;
        float[][] out = new float[items.length][d + 1];
        for (int i = 0; i < items.length; i++) {
            float[] e = items[i];
            float[] a = out[i];
            for (int j = 0; j < d; j++) {
                a[j] = (float) (e[j] * inv);
            }
            double rest = maxNorm2 > 0 ? 1.0 - norm2(e) / maxNorm2 : 1.0;
            a[d] = (float) Math.sqrt(Math.max(0.0, rest));
        }
        return out;
    }

    private static double norm2(float[] e) {
        double s = 0;
        for (float x : e) {
            s += (double) x * x;
        }
        return s;
    }

    private OnHeapHnswGraph buildGraph(int threads) {
        try {
            RandomVectorScorerSupplier scorers = DefaultFlatVectorScorer.INSTANCE
                    .getRandomVectorScorerSupplier(function, vectors());
            HnswGraphBuilder single = HnswGraphBuilder.create(scorers, m, efConstruction, seed, numItems);
            if (threads == 1) {
                return single.build(numItems);
            }
            // The concurrent builder fills the (still empty) graph the single-thread builder allocated:
            // Lucene exposes no other public way to size an OnHeapHnswGraph.
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "hnsw-build");
                t.setDaemon(true);
                return t;
            });
            try {
                HnswConcurrentMergeBuilder cb = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads,
                        scorers, m, efConstruction, single.getGraph(), null);
                return cb.build(numItems);
            } finally {
                pool.shutdownNow();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("building the HNSW graph (in memory)", e);
        }
    }

    private RandomAccessVectorValues.Floats vectors() {
        return RandomAccessVectorValues.fromFloats(Arrays.asList(graphVecs), graphDim);
    }

    /** An index with default options over an item table {@code [n+1, d]} (row 0 = padding). */
    public static HnswItemIndex of(float[][] table) {
        return builder(table).build();
    }

    /** Starts a builder over an item table {@code [n+1, d]}; the values are copied on {@link Builder#build()}. */
    public static Builder builder(float[][] table) {
        return new Builder(table);
    }

    /** Starts a builder over an item table {@code [n+1, d]} (float or double). */
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

    /** The inner-product mapping the graph was built with. */
    public Similarity similarity() {
        return similarity;
    }

    /** Maximum neighbours per node on the upper levels (level 0 keeps twice as many). */
    public int m() {
        return m;
    }

    /** Beam width while building. */
    public int efConstruction() {
        return efConstruction;
    }

    /** Beam width of each per-interest query (raised to n when n is larger). */
    public int ef() {
        return ef;
    }

    /**
     * The same index queried with another beam width: the graph is shared, not rebuilt, so recall and
     * latency can be traded at query time.
     *
     * @param ef beam width per interest, >= 1
     */
    public HnswItemIndex withEf(int ef) {
        if (ef < 1) {
            throw new IllegalArgumentException("ef must be >= 1, got " + ef);
        }
        return new HnswItemIndex(this, ef);
    }

    /** Seed of the level assignment. */
    public long seed() {
        return seed;
    }

    @Override
    public List<ScoredItem> topN(float[][] interests, int n, IntPredicate excluded) {
        int k = checkInterests(interests);
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        TopNHeap heap = new TopNHeap(Math.min(n, numItems));
        if (numItems == 0 || n == 0) {
            return heap.drainBestFirst();
        }
        int beam = Math.max(ef, n);
        Bits accept = excluded == null ? null : new Accept(excluded, numItems);
        int[] cand = new int[k * beam];
        int nc = 0;
        try {
            for (float[] v : interests) {
                float[] q = query(v);
                KnnCollector found = HnswGraphSearcher.search(
                        DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(function, vectors(), q),
                        beam, graph, accept, Integer.MAX_VALUE);
                for (ScoreDoc sd : found.topDocs().scoreDocs) {
                    cand[nc++] = sd.doc;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the HNSW graph (in memory)", e);
        }
        Arrays.sort(cand, 0, nc);
        int prev = -1;
        for (int c = 0; c < nc; c++) {
            int ord = cand[c];
            if (ord == prev) {
                continue;
            }
            prev = ord;
            float[] e = items[ord];
            float best = dot(interests[0], e);
            int arg = 0;
            for (int q = 1; q < k; q++) {
                float s = dot(interests[q], e);
                if (s > best) {
                    best = s;
                    arg = q;
                }
            }
            // excluded items never reach here (filtered in the search)
            heap.offer(ord + 1, best, arg, null);
        }
        return heap.drainBestFirst();
    }

    private float[] query(float[] v) {
        if (similarity == Similarity.MAXIMUM_INNER_PRODUCT) {
            return v;
        }
        float[] q = new float[graphDim];
        double norm = Math.sqrt(norm2(v));
        double inv = norm > 0 ? 1.0 / norm : 0.0;
        for (int j = 0; j < dim; j++) {
            q[j] = (float) (v[j] * inv);
        }
        return q;
    }

    private static float dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        int n = a.length;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private int checkInterests(float[][] v) {
        return IndexInputs.checkInterests(v, dim, -1, "interests");
    }

    /** Graph ordinal {@code o} is item id {@code o + 1}; accepted when not excluded. */
    private static final class Accept implements Bits {
        private final IntPredicate excluded;
        private final int length;

        Accept(IntPredicate excluded, int length) {
            this.excluded = excluded;
            this.length = length;
        }

        @Override
        public boolean get(int index) {
            return !excluded.test(index + 1);
        }

        @Override
        public int length() {
            return length;
        }
    }

    /** Options for {@link HnswItemIndex}; validated in {@link #build()}. */
    public static final class Builder {
        private final float[][] rows;
        private final int dim;
        private Similarity similarity = Similarity.MAXIMUM_INNER_PRODUCT;
        private int m = 32;
        private int efConstruction = 100;
        private int ef = 100;
        private long seed = 42;
        private int threads = 1;

        private Builder(float[][] table) {
            dim = IndexInputs.checkTable(table);
            rows = table;
        }

        /** Inner-product mapping (default {@link Similarity#MAXIMUM_INNER_PRODUCT}). */
        public Builder similarity(Similarity v) {
            similarity = v;
            return this;
        }

        /**
         * Neighbours per node on upper levels, 2..512 (default 32; level 0 keeps 2M). With inner
         * product, 16 left recall@50 at 0.93 on 10^5 clustered items whatever the beam; 32 reached 0.98.
         */
        public Builder m(int v) {
            m = v;
            return this;
        }

        /** Beam width while building, 1..3200 (default 100). */
        public Builder efConstruction(int v) {
            efConstruction = v;
            return this;
        }

        /** Beam width per interest at query time, >= 1 (default 100); at least n is used. */
        public Builder ef(int v) {
            ef = v;
            return this;
        }

        /** Seed of the level assignment (default 42). */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Build threads, >= 1 (default 1, the only reproducible setting). */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /** Validates the options, copies the table and builds the graph (seconds to minutes for 10^6 items). */
        public HnswItemIndex build() {
            if (similarity == null) {
                throw new IllegalArgumentException("similarity must not be null");
            }
            if (m < 2 || m > 512) {
                throw new IllegalArgumentException("m must be in 2..512, got " + m);
            }
            if (efConstruction < 1 || efConstruction > 3200) {
                throw new IllegalArgumentException("efConstruction must be in 1..3200, got " + efConstruction);
            }
            if (ef < 1) {
                throw new IllegalArgumentException("ef must be >= 1, got " + ef);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            return new HnswItemIndex(this);
        }
    }
}
