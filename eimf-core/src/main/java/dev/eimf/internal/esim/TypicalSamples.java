package dev.eimf.internal.esim;

import dev.eimf.esim.SelectionStrategy;

import java.util.Arrays;
import java.util.List;

/**
 * The outcome of typical-sample selection, with what propagation needs later: every user's cluster and
 * distance to that cluster's centroid.
 *
 * <p>Clusters are numbered {@code 0..numClusters()-1}; with K-means they are the non-empty K-means clusters.
 * With {@link SelectionStrategy#RANDOM} every chosen user is its own cluster (centroid = its vector) and every
 * other user belongs to the nearest chosen user; with {@link SelectionStrategy#ALL} every user is its own
 * cluster at distance 0. Distances are Euclidean.
 *
 * <p>Arrays are copied in and out, so instances are immutable.
 *
 * @param strategy   the strategy that produced this selection
 * @param userIds    all users, in input order
 * @param chosen     the typical users, ordered by cluster, then by distance to the centroid
 * @param assignment per input user, its cluster
 * @param distance   per input user, Euclidean distance to its cluster's centroid
 * @param centroids  per cluster, its centroid
 */
public record TypicalSamples(SelectionStrategy strategy, List<String> userIds, List<TypicalUser> chosen,
                             int[] assignment, double[] distance, float[][] centroids) {

    /**
     * One chosen user.
     *
     * @param index    position of the user in the selector's input
     * @param userId   the user's id
     * @param cluster  its cluster
     * @param distance its Euclidean distance to the cluster centroid
     */
    public record TypicalUser(int index, String userId, int cluster, double distance) {}

    public TypicalSamples {
        userIds = List.copyOf(userIds);
        chosen = List.copyOf(chosen);
        if (assignment.length != userIds.size() || distance.length != userIds.size()) {
            throw new IllegalArgumentException("assignment and distance need one entry per user");
        }
        assignment = assignment.clone();
        distance = distance.clone();
        centroids = deepCopy(centroids);
    }

    /** Per input user, its cluster (a copy). */
    @Override
    public int[] assignment() { return assignment.clone(); }

    /** Per input user, its distance to its centroid (a copy). */
    @Override
    public double[] distance() { return distance.clone(); }

    /** Per cluster, its centroid (a copy). */
    @Override
    public float[][] centroids() { return deepCopy(centroids); }

    /** Number of clusters. */
    public int numClusters() { return centroids.length; }

    /** Cluster of the user at input position {@code index}. */
    public int clusterOf(int index) { return assignment[index]; }

    /** Distance of the user at input position {@code index} to its centroid. */
    public double distanceOf(int index) { return distance[index]; }

    /** Ids of the chosen users, in {@link #chosen()} order. */
    public List<String> chosenIds() {
        return chosen.stream().map(TypicalUser::userId).toList();
    }

    /** The chosen users of one cluster, nearest first. */
    public List<TypicalUser> chosenIn(int cluster) {
        return chosen.stream().filter(t -> t.cluster() == cluster).toList();
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypicalSamples t && strategy == t.strategy && userIds.equals(t.userIds)
                && chosen.equals(t.chosen) && Arrays.equals(assignment, t.assignment)
                && Arrays.equals(distance, t.distance) && Arrays.deepEquals(centroids, t.centroids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * userIds.hashCode() + chosen.hashCode()) + Arrays.hashCode(assignment);
    }

    @Override
    public String toString() {
        return "TypicalSamples[" + strategy.id() + ", users=" + userIds.size() + ", clusters=" + centroids.length
                + ", chosen=" + chosen.size() + "]";
    }
}
