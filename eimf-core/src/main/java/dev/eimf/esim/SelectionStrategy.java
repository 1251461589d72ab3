package dev.eimf.esim;

import dev.eimf.internal.esim.TypicalSampleSelector;

import java.util.Locale;

/** How {@link TypicalSampleSelector} chooses the users whose histories are sent to the extractor. */
public enum SelectionStrategy {
    /** K-means++ on the users' behavioural vectors, then the m users nearest each centroid (the method's default). */
    KMEANS,
    /** C*m users drawn uniformly without replacement (seeded): the ablation without clustering. */
    RANDOM,
    /** Every user: one extractor call per user, the upper bound on cost. */
    ALL;

    /** Parses {@code kmeans}, {@code random} or {@code all} (case-insensitive). */
    public static SelectionStrategy parse(String text) {
        for (SelectionStrategy s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) return s;
        }
        throw new IllegalArgumentException("unknown selection strategy '" + text + "' (expected kmeans, random or all)");
    }

    /** The lower-case name used in configuration files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
