package dev.eimf.bench;

import dev.eimf.internal.serve.ExactItemIndex;
import dev.eimf.internal.serve.HnswItemIndex;
import dev.eimf.internal.serve.ItemIndex;
import dev.eimf.internal.serve.ScoredItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Recall@n of {@link HnswItemIndex} against {@link ExactItemIndex} and the single-user latency of both,
 * on a seeded clustered catalogue. Not a JMH benchmark: building the graph over 10^6 items takes minutes,
 * so it is built once and queried with several beam widths ({@link HnswItemIndex#withEf}). Latencies are
 * wall-clock per query after a warm-up pass over the same users, one query at a time on one thread.
 *
 * <p>Catalogue: {@code topics} Gaussian centres N(0, I_d); item = s (centre + 0.6 noise), s uniform in
 * [0.5, 2] (norms spread like trained embeddings, where popular items grow longer). Users: K interests,
 * each a random item plus 0.3 noise (users mix the catalogue's topics). Prints a Markdown table.
 *
 * <pre>
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.eimf.bench.AnnRecall \
 *     --items 1000000 --queries 200 --m 32 --efc 100 --ef 50,100,200 --threads 2
 * </pre>
 */
public final class AnnRecall {

    private AnnRecall() {
    }

    /** Runs the measurement; see the class comment for the options. */
    public static void main(String[] args) {
        int items = 1_000_000, queries = 200, dim = 64, k = 4, top = 50, topics = 1000;
        int m = 32, efc = 100, threads = 2;
        long seed = 42;
        int[] efs = {50, 100, 200};
        HnswItemIndex.Similarity sim = HnswItemIndex.Similarity.MAXIMUM_INNER_PRODUCT;
        for (int a = 0; a < args.length; a += 2) {
            String v = a + 1 < args.length ? args[a + 1] : null;
            if (v == null) {
                throw new IllegalArgumentException("option " + args[a] + " needs a value");
            }
            switch (args[a]) {
                case "--items" -> items = Integer.parseInt(v);
                case "--queries" -> queries = Integer.parseInt(v);
                case "--topics" -> topics = Integer.parseInt(v);
                case "--m" -> m = Integer.parseInt(v);
                case "--efc" -> efc = Integer.parseInt(v);
                case "--ef" -> efs = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--similarity" -> sim = HnswItemIndex.Similarity.valueOf(v);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] table = clustered(items, dim, topics, rng);
        float[][][] users = users(table, queries, k, rng);

        ExactItemIndex exact = ExactItemIndex.of(table);
        List<Set<Integer>> truth = new ArrayList<>();
        for (float[][] u : users) {
            Set<Integer> s = new HashSet<>();
            for (ScoredItem it : exact.topN(u, top)) {
                s.add(it.itemId());
            }
            truth.add(s);
        }
        double[] exactMs = latencies(exact, users, top);

        long t0 = System.nanoTime();
        HnswItemIndex ann = HnswItemIndex.builder(table).similarity(sim).m(m).efConstruction(efc).seed(seed)
                .threads(threads).build();
        double buildS = (System.nanoTime() - t0) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        double heapMb = (rt.totalMemory() - rt.freeMemory()) / 1e6;

        System.out.printf(Locale.ROOT, "Catalogue: %,d clustered items (%d topics), d %d; %d users x K %d; top %d.%n",
                items, topics, dim, queries, k, top);
        System.out.printf(Locale.ROOT, "HNSW (%s, M %d, efConstruction %d, seed %d): built in %.1f s on %d thread(s);"
                + " heap after build %.0f MB.%n%n", sim, m, efc, seed, buildS, threads, heapMb);
        System.out.println("| index | ef | recall@" + top + " | p50 ms | p90 ms | mean ms |");
        System.out.println("|---|---|---|---|---|---|");
        row("exact (ExactItemIndex, fused Java)", "-", 1.0, exactMs);
        for (int ef : efs) {
            HnswItemIndex idx = ann.withEf(ef);
            long hit = 0, total = 0;
            for (int u = 0; u < users.length; u++) {
                Set<Integer> s = truth.get(u);
                for (ScoredItem it : idx.topN(users[u], top)) {
                    if (s.contains(it.itemId())) {
                        hit++;
                    }
                }
                total += s.size();
            }
            row("HNSW", Integer.toString(ef), (double) hit / total, latencies(idx, users, top));
        }
    }

    private static void row(String name, String ef, double recall, double[] ms) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.3f | %.3f | %.3f |%n", name, ef, recall,
                pct(ms, 0.5), pct(ms, 0.9), Arrays.stream(ms).average().orElse(Double.NaN));
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** Per-query milliseconds (sorted), after one warm-up pass. */
    private static double[] latencies(ItemIndex index, float[][][] users, int top) {
        long sink = 0;
        for (float[][] u : users) {
            sink += index.topN(u, top).size();
        }
        double[] ms = new double[users.length];
        for (int u = 0; u < users.length; u++) {
            long t = System.nanoTime();
            sink += index.topN(users[u], top).size();
            ms[u] = (System.nanoTime() - t) / 1e6;
        }
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(ms);
        return ms;
    }

    /** Clustered catalogue, row 0 padding (see the class comment). */
    static float[][] clustered(int n, int d, int topics, SplittableRandom r) {
        float[][] centres = new float[topics][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[][] t = new float[n + 1][d];
        for (int i = 1; i <= n; i++) {
            float[] c = centres[r.nextInt(topics)];
            double s = 0.5 + 1.5 * r.nextDouble();
            for (int j = 0; j < d; j++) {
                t[i][j] = (float) (s * (c[j] + 0.6 * r.nextGaussian()));
            }
        }
        return t;
    }

    /** K interests per user, each a random item plus noise. */
    static float[][][] users(float[][] table, int users, int k, SplittableRandom r) {
        int d = table[0].length;
        float[][][] out = new float[users][k][d];
        for (float[][] u : out) {
            for (float[] v : u) {
                float[] e = table[1 + r.nextInt(table.length - 1)];
                for (int j = 0; j < d; j++) {
                    v[j] = (float) (e[j] + 0.3 * r.nextGaussian());
                }
            }
        }
        return out;
    }
}
