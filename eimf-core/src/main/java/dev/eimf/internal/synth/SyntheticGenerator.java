package dev.eimf.internal.synth;

import dev.eimf.data.DatasetFormat;
import dev.eimf.data.Interaction;
import dev.eimf.data.ItemInfo;
import dev.eimf.data.LoadReport;
import dev.eimf.data.RawData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Generates a synthetic multi-interest dataset with known ground truth.
 *
 * <p>The catalogue: {@code items} items, each in one of {@code topics} planted topics ({@link Topic}), with
 * Zipf popularity (the item of popularity rank r weighs 1/r^s; ranks are shuffled over item ids). An item's
 * title and categories come from its topic: {@code "Jazz Item 123"}, {@code [Music, Jazz]}.
 *
 * <p>Each user mixes a few topics (between {@code minTopicsPerUser} and {@code maxTopicsPerUser}, picked in
 * proportion to their popularity mass) with Dirichlet weights, then draws each interaction from a topic chosen
 * by those weights, or, with probability {@code noise}, from the whole catalogue; within a topic items are drawn
 * by popularity. A user never repeats an item. Interactions of a user are in time order; ratings are 3 to 5 for
 * items of the user's topics and 1 to 3 otherwise.
 *
 * <p>Ids are numbers, users {@code 1..users} and items {@code 1..items}, so every format (MovieLens included)
 * can hold them. Every user is drawn from their own random generator, seeded from the config seed and the user
 * index, so users can be generated one at a time, in any order, and {@link #write} streams: its memory is the
 * catalogue's (about 28 bytes per item) whatever the number of interactions. The same config gives the same
 * bytes.
 *
 * <p>Not thread-safe; the generator is cheap to share once built if each thread uses its own.
 */
public final class SyntheticGenerator {
    private final SyntheticConfig config;
    private final Catalogue catalogue;
    private final Topic[] topics;

    /** Builds the catalogue for {@code config}; cost grows with the number of items, not users. */
    public SyntheticGenerator(SyntheticConfig config) {
        this.config = config;
        this.catalogue = new Catalogue(config);
        this.topics = new Topic[config.topics()];
        for (int t = 0; t < topics.length; t++) topics[t] = Topic.of(t);
    }

    /** Generates the whole dataset in memory; meant for small configs and tests. */
    public static SyntheticDataset generate(SyntheticConfig config) {
        return new SyntheticGenerator(config).generate();
    }

    /** The configuration. */
    public SyntheticConfig config() {
        return config;
    }

    /** External id of the user with 0-based index {@code user}. */
    public static String userId(int user) {
        return Integer.toString(user + 1);
    }

    /** External id of the item with 0-based index {@code item}. */
    public static String itemId(int item) {
        return Integer.toString(item + 1);
    }

    /** The topic with the given index. */
    public Topic topic(int index) {
        return topics[index];
    }

    /** The topic index of the item with 0-based index {@code item}. */
    public int itemTopic(int item) {
        return catalogue.topicOf(item);
    }

    /** The text of the item with 0-based index {@code item}, as every format stores it. */
    public ItemInfo item(int item) {
        Topic t = topics[catalogue.topicOf(item)];
        String id = itemId(item);
        return new ItemInfo(id, t.itemTitle(id), t.categories(), "", "");
    }

    /** The planted interests of the user with 0-based index {@code user}. */
    public UserProfile userProfile(int user) {
        UserDraw d = new UserDraw(config);
        draw(user, d);
        return profile(d);
    }

    /** The interactions of the user with 0-based index {@code user}, in time order. */
    public List<Interaction> userSequence(int user) {
        UserDraw d = new UserDraw(config);
        draw(user, d);
        List<Interaction> out = new ArrayList<>(d.length);
        addInteractions(d, out);
        return out;
    }

    /** Generates everything in memory: users in index order, each in time order, and every item's text. */
    public SyntheticDataset generate() {
        List<Interaction> interactions = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8,
                (long) Math.ceil(config.expectedInteractions() * 1.05)));
        Map<String, UserProfile> users = new HashMap<>();
        UserDraw d = new UserDraw(config);
        for (int u = 0; u < config.users(); u++) {
            draw(u, d);
            addInteractions(d, interactions);
            users.put(userId(u), profile(d));
        }
        Map<String, ItemInfo> items = new LinkedHashMap<>();
        Map<String, Integer> itemTopics = new HashMap<>();
        for (int i = 0; i < config.items(); i++) {
            ItemInfo info = item(i);
            items.put(info.externalId(), info);
            itemTopics.put(info.externalId(), catalogue.topicOf(i));
        }
        RawData data = new RawData(config.name(), interactions, items, LoadReport.empty());
        return new SyntheticDataset(data, new GroundTruth(List.of(topics), itemTopics, users));
    }

    /**
     * Writes the dataset into {@code dir} (created if needed; files of the same names are replaced), streaming
     * one user at a time:
     * <ul>
     *   <li>{@link DatasetFormat#CSV}: {@code interactions.csv} ({@code user,item,timestamp,rating}) and
     *       {@code items.csv} ({@code item,title,categories}, categories {@code |}-joined);</li>
     *   <li>{@link DatasetFormat#RECBOLE}: {@code NAME.inter} ({@code user_id:token, item_id:token,
     *       timestamp:float}) and {@code NAME.item} ({@code item_id:token, title:token, categories:token_seq}),
     *       TAB-separated, NAME being the config's name;</li>
     *   <li>{@link DatasetFormat#MOVIELENS}: the 1M layout, {@code ratings.dat}
     *       ({@code user::item::rating::timestamp}) and {@code movies.dat} ({@code id::title::Cat1|Cat2}).</li>
     * </ul>
     * Files are UTF-8 with LF line ends. The RecBole layout carries no rating.
     *
     * @return the files written and the counts
     */
    public WriteSummary write(Path dir, DatasetFormat format) throws IOException {
        Files.createDirectories(dir);
        long interactions = 0;
        try (FormatWriter w = FormatWriter.open(dir, format, config.name())) {
            for (int i = 0; i < config.items(); i++) {
                Topic t = topics[catalogue.topicOf(i)];
                String id = itemId(i);
                w.item(id, t.itemTitle(id), t.categories());
            }
            UserDraw d = new UserDraw(config);
            for (int u = 0; u < config.users(); u++) {
                draw(u, d);
                for (int k = 0; k < d.length; k++) {
                    w.interaction(u + 1, d.items[k] + 1, d.timestamps[k], d.ratings[k]);
                }
                interactions += d.length;
            }
            return new WriteSummary(format, w.files(), config.users(), config.items(), interactions);
        }
    }

    private void addInteractions(UserDraw d, List<Interaction> out) {
        String user = userId(d.user);
        for (int k = 0; k < d.length; k++) {
            out.add(new Interaction(user, itemId(d.items[k]), d.timestamps[k], d.ratings[k]));
        }
    }

    private static UserProfile profile(UserDraw d) {
        List<Integer> ts = new ArrayList<>(d.topicCount);
        List<Double> ws = new ArrayList<>(d.topicCount);
        for (int j = 0; j < d.topicCount; j++) {
            ts.add(d.topics[j]);
            ws.add(d.weights[j]);
        }
        return new UserProfile(userId(d.user), ts, ws);
    }

    /** Fills {@code d} with user {@code u}; depends only on the config and {@code u}. */
    private void draw(int u, UserDraw d) {
        d.clear();
        d.user = u;
        RandomGenerator rng = new SplittableRandom(mix(config.seed(), u));
        int k = config.minTopicsPerUser() + rng.nextInt(config.maxTopicsPerUser() - config.minTopicsPerUser() + 1);
        for (int j = 0; j < k; j++) d.topics[j] = distinctTopic(rng, d.topics, j);
        d.topicCount = k;
        double sum = 0;
        for (int j = 0; j < k; j++) {
            d.weights[j] = gamma(rng, config.topicConcentration());
            sum += d.weights[j];
        }
        for (int j = 0; j < k; j++) {
            // A tiny concentration can underflow every draw to zero; the limit of that Dirichlet is one topic.
            d.weights[j] = sum > 0 ? d.weights[j] / sum : (j == 0 ? 1.0 : 0.0);
        }

        double extra = config.meanSequenceLength() - config.minSequenceLength();
        long len = config.minSequenceLength() + (long) Math.floor(-extra * Math.log1p(-rng.nextDouble()) + 0.5);
        d.length = (int) Math.min(len, config.maxSequenceLength());

        long t = config.timestampStart() + config.timestampStep() * rng.nextLong(config.users());
        for (int p = 0; p < d.length; p++) {
            if (p > 0) t += config.timestampStep() * (1 + rng.nextInt(SyntheticConfig.MAX_GAP_STEPS));
            int item = drawItem(rng, d);
            d.items[p] = item;
            d.timestamps[p] = t;
            boolean onTopic = false;
            int topic = catalogue.topicOf(item);
            for (int j = 0; j < k; j++) onTopic |= d.topics[j] == topic;
            d.ratings[p] = onTopic ? 3 + rng.nextInt(3) : 1 + rng.nextInt(3);
        }
    }

    private int distinctTopic(RandomGenerator rng, int[] chosen, int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int t = catalogue.sampleTopicByMass(rng);
            if (!contains(chosen, count, t)) return t;
        }
        // Only when a few topics hold nearly all the mass: take the next free topic after a random one.
        int start = rng.nextInt(catalogue.topics());
        for (int i = 0; ; i++) {
            int t = (start + i) % catalogue.topics();
            if (!contains(chosen, count, t)) return t;
        }
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    private int drawItem(RandomGenerator rng, UserDraw d) {
        for (int attempt = 0; attempt < 32; attempt++) {
            int item;
            if (rng.nextDouble() < config.noise()) {
                item = catalogue.sampleGlobal(rng);
            } else {
                double x = rng.nextDouble();
                int j = 0;
                while (j < d.topicCount - 1 && x >= d.weights[j]) x -= d.weights[j++];
                item = catalogue.sampleTopic(d.topics[j], rng);
            }
            if (d.add(item)) return item;
        }
        // Popularity keeps offering seen items: take the most popular unseen item of the user's topics, trying
        // the topics from a random one, and only when they are all used up an unseen item of the catalogue,
        // which exists because sequences are no longer than the catalogue.
        int first = rng.nextInt(d.topicCount);
        for (int j = 0; j < d.topicCount; j++) {
            int t = d.topics[(first + j) % d.topicCount];
            for (int k = 0; k < catalogue.topicSize(t); k++) {
                int item = catalogue.topicItem(t, k);
                if (d.add(item)) return item;
            }
        }
        int start = rng.nextInt(catalogue.items());
        for (int i = 0; ; i++) {
            int item = (start + i) % catalogue.items();
            if (d.add(item)) return item;
        }
    }

    /** A Gamma(shape, 1) variate (Marsaglia and Tsang), the building block of Dirichlet weights. */
    static double gamma(RandomGenerator rng, double shape) {
        if (shape < 1) {
            return gamma(rng, shape + 1) * Math.pow(rng.nextDouble(), 1 / shape);
        }
        double dd = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * dd);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
            if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
        }
    }

    /** Seed of stream {@code stream} derived from {@code seed} (SplitMix64 finaliser), so streams are unrelated. */
    static long mix(long seed, long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
