package dev.eimf.internal.esim;

import dev.eimf.esim.SelectionStrategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TypicalSampleSelectorTest {
    // Symmetric offsets, so each planted cluster's centroid is exactly its centre.
    private static final float[][] OFFSETS = {
        {0, 0}, {0.1f, 0}, {-0.1f, 0}, {0, 0.3f}, {0, -0.3f}, {0.5f, 0.5f}, {-0.5f, -0.5f}, {0.5f, -0.5f}, {-0.5f, 0.5f}};
    private static final float[][] CENTRES = {{0, 0}, {10, 0}, {0, 10}};

    private static List<String> ids = new ArrayList<>();

    /** Users "c<cluster>-<offset index>", interleaved so that input order does not follow clusters. */
    private static float[][] planted(List<String> outIds) {
        List<float[]> v = new ArrayList<>();
        for (int o = 0; o < OFFSETS.length; o++) {
            for (int c = 0; c < CENTRES.length; c++) {
                outIds.add("c" + c + "-" + o);
                v.add(new float[] {CENTRES[c][0] + OFFSETS[o][0], CENTRES[c][1] + OFFSETS[o][1]});
            }
        }
        return v.toArray(new float[0][]);
    }

    private static TypicalSampleSelector kmeans(int c, int m, long seed) {
        return new TypicalSampleSelector(TypicalSampleConfig.builder().clusters(c).perCluster(m).seed(seed).build());
    }

    @Test
    void kmeansFindsPlantedClustersAndTheNearestUsers() {
        List<String> users = new ArrayList<>();
        float[][] v = planted(users);
        TypicalSamples s = kmeans(3, 3, 7).select(users, v);
        assertEquals(3, s.numClusters());
        // Every planted cluster maps to exactly one K-means cluster.
        for (int c = 0; c < 3; c++) {
            Set<Integer> got = new HashSet<>();
            for (int u = 0; u < users.size(); u++) if (users.get(u).startsWith("c" + c + "-")) got.add(s.clusterOf(u));
            assertEquals(1, got.size(), "planted cluster " + c + " split: " + got);
        }
        // The three nearest to each centre are offsets 0, 1 and 2; the nearest comes first.
        Set<String> chosen = new HashSet<>(s.chosenIds());
        Set<String> expected = new HashSet<>();
        for (int c = 0; c < 3; c++) for (int o = 0; o < 3; o++) expected.add("c" + c + "-" + o);
        assertEquals(expected, chosen);
        for (int k = 0; k < 3; k++) {
            List<TypicalSamples.TypicalUser> in = s.chosenIn(k);
            assertEquals(3, in.size());
            assertTrue(in.get(0).userId().endsWith("-0"));
            assertEquals(0.0, in.get(0).distance(), 1e-6);
        }
        // Distances of every user are Euclidean distances to its centroid.
        float[][] cent = s.centroids();
        for (int u = 0; u < users.size(); u++) {
            float[] c = cent[s.clusterOf(u)];
            double d = Math.hypot(v[u][0] - c[0], v[u][1] - c[1]);
            assertEquals(d, s.distanceOf(u), 1e-5);
        }
    }

    @Test
    void kmeansIsDeterministicForASeed() {
        float[][] v = randomVectors(300, 8, 1);
        List<String> users = IntStream.range(0, 300).mapToObj(i -> "u" + i).toList();
        TypicalSamples a = kmeans(12, 4, 99).select(users, v);
        TypicalSamples b = kmeans(12, 4, 99).select(users, v);
        assertEquals(a, b);
        TypicalSamples other = kmeans(12, 4, 100).select(users, v);
        assertNotEquals(a.chosenIds(), other.chosenIds(), "random data, different seeds: different K-means++ seeding");
    }

    @Test
    void chosenUsersAreTheMNearestMembersOfEachCluster() {
        float[][] v = randomVectors(500, 6, 3);
        List<String> users = IntStream.range(0, 500).mapToObj(i -> "u" + i).toList();
        TypicalSamples s = kmeans(20, 4, 5).select(users, v);
        assertEquals(20, s.numClusters());
        assertEquals(80, s.chosen().size());
        assertEquals(80, new HashSet<>(s.chosenIds()).size());
        for (int c = 0; c < s.numClusters(); c++) {
            final int cc = c;
            List<Integer> members = IntStream.range(0, 500).filter(u -> s.clusterOf(u) == cc).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(s::distanceOf).thenComparing(u -> u)).toList();
            List<String> want = members.subList(0, Math.min(4, members.size())).stream().map(users::get).toList();
            List<String> got = s.chosenIn(c).stream().map(TypicalSamples.TypicalUser::userId).toList();
            assertEquals(want, got.subList(0, want.size()));
            // A cluster with fewer than m members is filled with the nearest other users: always m per cluster.
            assertEquals(4, got.size(), "cluster " + c);
            // Assignment is to the nearest centroid.
            float[][] cent = s.centroids();
            for (int u : members) {
                for (float[] other : cent) assertTrue(s.distanceOf(u) <= dist(v[u], other) + 1e-5);
            }
        }
    }

    @Test
    void moreClustersThanDistinctUsers() {
        float[][] v = {{1, 0}, {1, 0}, {0, 1}, {0, 1}, {0, 1}};
        List<String> users = List.of("a", "b", "c", "d", "e");
        TypicalSamples s = kmeans(50, 4, 1).select(users, v);
        assertEquals(2, s.numClusters());
        assertEquals(5, s.chosen().size());
        assertEquals(s.clusterOf(0), s.clusterOf(1));
        assertNotEquals(s.clusterOf(0), s.clusterOf(2));

        TypicalSamples few = kmeans(10, 1, 1).select(List.of("x", "y"), new float[][] {{0, 0}, {1, 1}});
        assertEquals(2, few.numClusters());
        assertEquals(Set.of("x", "y"), new HashSet<>(few.chosenIds()));
    }

    @Test
    void randomStrategyPicksCTimesMUsersDeterministically() {
        float[][] v = randomVectors(100, 4, 2);
        List<String> users = IntStream.range(0, 100).mapToObj(i -> "u" + i).toList();
        TypicalSampleConfig cfg = TypicalSampleConfig.builder().strategy(SelectionStrategy.RANDOM).clusters(3).perCluster(2).seed(11).build();
        TypicalSamples a = new TypicalSampleSelector(cfg).select(users, v);
        TypicalSamples b = new TypicalSampleSelector(cfg).select(users, v);
        assertEquals(a, b);
        assertEquals(6, new HashSet<>(a.chosenIds()).size());
        assertEquals(6, a.numClusters());
        TypicalSamples c = new TypicalSampleSelector(cfg.toBuilder().seed(12).build()).select(users, v);
        assertNotEquals(a.chosenIds(), c.chosenIds());
        // Chosen users are their own cluster centres; the others go to the nearest chosen user.
        for (TypicalSamples.TypicalUser t : a.chosen()) {
            assertEquals(t.cluster(), a.clusterOf(t.index()));
            assertEquals(0.0, a.distanceOf(t.index()));
        }
        float[][] cent = a.centroids();
        for (int u = 0; u < 100; u++) {
            for (float[] other : cent) assertTrue(a.distanceOf(u) <= dist(v[u], other) + 1e-6);
        }
        // Asking for more than there are gives everyone.
        TypicalSamples all = new TypicalSampleSelector(cfg.toBuilder().clusters(50).build()).select(users, v);
        assertEquals(100, all.chosen().size());
    }

    @Test
    void allStrategyPicksEveryone() {
        float[][] v = randomVectors(7, 3, 4);
        List<String> users = IntStream.range(0, 7).mapToObj(i -> "u" + i).toList();
        TypicalSamples s = new TypicalSampleSelector(TypicalSampleConfig.builder().strategy(SelectionStrategy.ALL).build()).select(users, v);
        assertEquals(users, s.chosenIds());
        assertEquals(7, s.numClusters());
        for (int u = 0; u < 7; u++) assertEquals(u, s.clusterOf(u));
    }

    @Test
    void badInputIsRejected() {
        TypicalSampleSelector sel = new TypicalSampleSelector();
        assertThrows(IllegalArgumentException.class, () -> sel.select(List.of("a"), new float[][] {{1}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> sel.select(List.of("a", "a"), new float[][] {{1}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> sel.select(List.of("a", "b"), new float[][] {{1}, {2, 3}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sel.select(List.of("a", "b"), new float[][] {{1}, {Float.NaN}}));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sel.select(List.of(), new float[0][]));
        assertThrows(IllegalArgumentException.class, () -> TypicalSampleConfig.builder().clusters(0).build());
        assertThrows(IllegalArgumentException.class, () -> TypicalSampleConfig.builder().perCluster(0).build());
        assertEquals(SelectionStrategy.RANDOM, SelectionStrategy.parse("Random"));
        assertThrows(IllegalArgumentException.class, () -> SelectionStrategy.parse("dbscan"));
    }

    static float[][] randomVectors(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] v = new float[n][d];
        for (float[] row : v) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                row[i] = (float) r.nextGaussian();
                norm += row[i] * row[i];
            }
            for (int i = 0; i < d; i++) row[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
        return Math.sqrt(s);
    }
}
