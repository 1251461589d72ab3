package dev.eimf.internal.esim;

import dev.eimf.esim.SelectionStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

import org.apache.commons.math3.exception.ConvergenceException;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;

/**
 * Chooses the typical users whose histories are sent to the interest extractor (docs/METHOD.md, section 4.2).
 *
 * <p>Input: one behavioural vector per user (the caller passes the L2-normalised mean of the user's K
 * interests) and the users' ids. With {@link SelectionStrategy#KMEANS}, K-means++ (Apache Commons Math,
 * seeded {@link Well19937c}) groups the users into C clusters and the m users of each cluster nearest its
 * centroid are chosen. When there are fewer distinct vectors than C, C is lowered to that number, because
 * K-means++ cannot seed more distinct centres than there are distinct points; clusters that end up empty are
 * dropped. The result is a pure function of the inputs and the configuration's seed.
 */
public final class TypicalSampleSelector {
    private final TypicalSampleConfig config;

    /** A selector with the given settings. */
    public TypicalSampleSelector(TypicalSampleConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A selector with the defaults (K-means, C = 50, m = 4). */
    public TypicalSampleSelector() {
        this(TypicalSampleConfig.defaults());
    }

    /** The settings. */
    public TypicalSampleConfig config() {
        return config;
    }

    /**
     * Selects typical users.
     *
     * @param userIds one id per user, distinct
     * @param vectors one behavioural vector per user, all of the same length, finite
     * @throws IllegalArgumentException on empty input, mismatched lengths, duplicate ids or non-finite values
     */
    public TypicalSamples select(List<String> userIds, float[][] vectors) {
        validate(userIds, vectors);
        return switch (config.strategy()) {
            case KMEANS -> kmeans(userIds, vectors);
            case RANDOM -> random(userIds, vectors);
            case ALL -> all(userIds, vectors);
        };
    }

    private static void validate(List<String> userIds, float[][] vectors) {
        Objects.requireNonNull(userIds, "userIds");
        Objects.requireNonNull(vectors, "vectors");
        if (userIds.isEmpty()) throw new IllegalArgumentException("no users to select from");
        if (userIds.size() != vectors.length) {
            throw new IllegalArgumentException(userIds.size() + " user ids but " + vectors.length + " vectors");
        }
        Set<String> seen = new HashSet<>();
        int dim = -1;
        for (int u = 0; u < vectors.length; u++) {
            String id = Objects.requireNonNull(userIds.get(u), "user id at index " + u);
            if (!seen.add(id)) throw new IllegalArgumentException("duplicate user id '" + id + "' at index " + u);
            float[] v = Objects.requireNonNull(vectors[u], "vector of user '" + id + "'");
            if (dim < 0) dim = v.length;
            if (v.length != dim || dim == 0) {
                throw new IllegalArgumentException("vector of user '" + id + "' has length " + v.length + ", expected " + dim);
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("vector of user '" + id + "' has non-finite value at " + i);
                }
            }
        }
    }

    private TypicalSamples kmeans(List<String> userIds, float[][] vectors) {
        int n = vectors.length;
        List<IndexedPoint> points = new ArrayList<>(n);
        Set<DistinctKey> distinct = new HashSet<>();
        for (int u = 0; u < n; u++) {
            points.add(new IndexedPoint(u, toDouble(vectors[u])));
            distinct.add(new DistinctKey(vectors[u]));
        }
        int k = Math.min(config.clusters(), distinct.size());
        KMeansPlusPlusClusterer<IndexedPoint> clusterer = new KMeansPlusPlusClusterer<>(k, config.maxIterations(),
                new EuclideanDistance(), new Well19937c(config.seed()),
                KMeansPlusPlusClusterer.EmptyClusterStrategy.LARGEST_VARIANCE);
        List<CentroidCluster<IndexedPoint>> clusters;
        try {
            clusters = clusterer.cluster(points);
        } catch (ConvergenceException e) {
            throw new IllegalStateException("K-means with C=" + k + " could not refill an empty cluster; lower C", e);
        }

        int[] assignment = new int[n];
        double[] distance = new double[n];
        Arrays.fill(assignment, -1);
        List<float[]> centroids = new ArrayList<>();
        List<List<TypicalSamples.TypicalUser>> perCluster = new ArrayList<>();
        boolean[] taken = new boolean[n];
        for (CentroidCluster<IndexedPoint> cluster : clusters) {
            if (cluster.getPoints().isEmpty()) continue;
            int c = centroids.size();
            double[] centre = cluster.getCenter().getPoint();
            centroids.add(toFloat(centre));
            List<IndexedPoint> members = new ArrayList<>(cluster.getPoints());
            for (IndexedPoint p : members) {
                assignment[p.index] = c;
                distance[p.index] = euclidean(p.point, centre);
            }
            members.sort(Comparator.<IndexedPoint>comparingDouble(p -> distance[p.index]).thenComparingInt(p -> p.index));
            List<TypicalSamples.TypicalUser> mine = new ArrayList<>();
            for (int i = 0; i < Math.min(config.perCluster(), members.size()); i++) {
                IndexedPoint p = members.get(i);
                mine.add(new TypicalSamples.TypicalUser(p.index, userIds.get(p.index), c, distance[p.index]));
                taken[p.index] = true;
            }
            perCluster.add(mine);
        }
        // A cluster with fewer than m members takes the users nearest its centroid from outside, so that
        // there are always C*m typical users (the m users nearest each centroid, docs/METHOD.md, section 4.2).
        for (int c = 0; c < perCluster.size(); c++) {
            List<TypicalSamples.TypicalUser> mine = perCluster.get(c);
            if (mine.size() >= config.perCluster()) continue;
            double[] centre = toDouble(centroids.get(c));
            Integer[] order = new Integer[n];
            double[] dist = new double[n];
            for (int u = 0; u < n; u++) {
                order[u] = u;
                dist[u] = euclidean(points.get(u).point, centre);
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(u -> dist[u]).thenComparingInt(u -> u));
            for (int i = 0; i < n && mine.size() < config.perCluster(); i++) {
                int u = order[i];
                if (!taken[u]) {
                    taken[u] = true;
                    mine.add(new TypicalSamples.TypicalUser(u, userIds.get(u), c, dist[u]));
                }
            }
        }
        List<TypicalSamples.TypicalUser> chosen = new ArrayList<>();
        perCluster.forEach(chosen::addAll);
        for (int u = 0; u < n; u++) {
            if (assignment[u] < 0) throw new IllegalStateException("K-means left user " + userIds.get(u) + " unassigned");
        }
        return new TypicalSamples(SelectionStrategy.KMEANS, userIds, chosen, assignment, distance,
                centroids.toArray(new float[0][]));
    }

    private TypicalSamples random(List<String> userIds, float[][] vectors) {
        int n = vectors.length;
        int count = Math.min(config.targetCount(), n);
        // Partial Fisher-Yates: the first `count` slots become a uniform sample without replacement.
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] picked = Arrays.copyOf(order, count);
        Arrays.sort(picked); // cluster numbers follow input order, independent of draw order
        float[][] centroids = new float[count][];
        double[][] centres = new double[count][];
        for (int c = 0; c < count; c++) {
            centroids[c] = vectors[picked[c]].clone();
            centres[c] = toDouble(vectors[picked[c]]);
        }
        int[] assignment = new int[n];
        double[] distance = new double[n];
        for (int u = 0; u < n; u++) {
            double[] p = toDouble(vectors[u]);
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < count; c++) {
                double d = euclidean(p, centres[c]);
                if (d < bestD) { bestD = d; best = c; }
            }
            assignment[u] = best;
            distance[u] = bestD;
        }
        List<TypicalSamples.TypicalUser> chosen = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int u = picked[c];
            // A chosen user is the centre of its own cluster, even when a duplicate vector came first.
            assignment[u] = c;
            distance[u] = 0.0;
            chosen.add(new TypicalSamples.TypicalUser(u, userIds.get(u), c, 0.0));
        }
        return new TypicalSamples(SelectionStrategy.RANDOM, userIds, chosen, assignment, distance, centroids);
    }

    private static TypicalSamples all(List<String> userIds, float[][] vectors) {
        int n = vectors.length;
        int[] assignment = new int[n];
        List<TypicalSamples.TypicalUser> chosen = new ArrayList<>(n);
        float[][] centroids = new float[n][];
        for (int u = 0; u < n; u++) {
            assignment[u] = u;
            centroids[u] = vectors[u].clone();
            chosen.add(new TypicalSamples.TypicalUser(u, userIds.get(u), u, 0.0));
        }
        return new TypicalSamples(SelectionStrategy.ALL, userIds, chosen, assignment, new double[n], centroids);
    }

    private static double euclidean(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** A point that remembers which user it came from; identity equality keeps duplicates apart. */
    private static final class IndexedPoint implements Clusterable {
        final int index;
        final double[] point;

        IndexedPoint(int index, double[] point) {
            this.index = index;
            this.point = point;
        }

        @Override
        public double[] getPoint() {
            return point;
        }
    }

    private static final class DistinctKey {
        private final float[] v;
        private final int hash;

        DistinctKey(float[] v) {
            this.v = v;
            this.hash = Arrays.hashCode(v);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DistinctKey d && Arrays.equals(v, d.v);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
