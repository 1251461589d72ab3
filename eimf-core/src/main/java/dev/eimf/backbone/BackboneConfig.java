package dev.eimf.backbone;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which multi-interest encoder a model uses and its shape: the registered name, the embedding size d, the
 * number of interests K, the history length T, and encoder-specific options as strings (saved with the
 * model, so a loaded model is rebuilt exactly). K is set here and only here: interest extraction asks for
 * the same number.
 *
 * <p>The built-in names are {@value #COMIREC_SA}, {@value #COMIREC_DR} and {@value #MIND}; their options
 * are {@code hidden} (SA's attention width, default 4d), {@code routing_iterations} (DR and MIND, default
 * 3), {@code relu_projection} and {@code truncated_routing_logits} (MIND, {@code true}/{@code false}).
 * A user's encoder is named by {@link Backbones#register}.
 *
 * <pre>{@code
 * BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA).dim(64).interests(4).maxLen(20).build();
 * }</pre>
 *
 * @param name         the registered backbone name (lower case)
 * @param dim          embedding size d of items and interests
 * @param numInterests K, interests per user
 * @param maxLen       T, the most recent history items the encoder reads
 * @param options      encoder-specific settings, sorted by key
 */
public record BackboneConfig(String name, int dim, int numInterests, int maxLen, Map<String, String> options) {
    /** ComiRec's self-attentive encoder. */
    public static final String COMIREC_SA = "comirec-sa";
    /** ComiRec's dynamic-routing encoder. */
    public static final String COMIREC_DR = "comirec-dr";
    /** MIND's behaviour-to-interest routing encoder. */
    public static final String MIND = "mind";

    /** Validates and copies. */
    public BackboneConfig {
        Objects.requireNonNull(name, "name");
        name = name.toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new IllegalArgumentException("backbone name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (numInterests < 1) throw new IllegalArgumentException("numInterests must be >= 1, got " + numInterests);
        if (maxLen < 1) throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        Objects.requireNonNull(options, "options");
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey() == null || !e.getKey().matches("[a-z0-9_]+") || e.getValue() == null) {
                throw new IllegalArgumentException("option keys must be lower-case letters, digits or '_', with a value: "
                        + e.getKey() + "=" + e.getValue());
            }
        }
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** A builder for the named backbone with d 64, K 4, T 20 and no options. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(name).dim(dim).interests(numInterests).maxLen(maxLen);
        b.options.putAll(options);
        return b;
    }

    /** The option {@code key}, or {@code fallback} when unset. */
    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** Whether this names one of the built-in encoders. */
    public boolean isBuiltIn() {
        return name.equals(COMIREC_SA) || name.equals(COMIREC_DR) || name.equals(MIND);
    }

    /** Builder for {@link BackboneConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private int dim = 64;
        private int interests = 4;
        private int maxLen = 20;
        private final Map<String, String> options = new TreeMap<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Embedding size d (default 64). */
        public Builder dim(int v) { dim = v; return this; }

        /** K, interests per user (default 4). */
        public Builder interests(int v) { interests = v; return this; }

        /** T, history length read (default 20). */
        public Builder maxLen(int v) { maxLen = v; return this; }

        /** An encoder-specific option. */
        public Builder option(String key, String value) { options.put(key, value); return this; }

        /** Validates and builds. */
        public BackboneConfig build() {
            return new BackboneConfig(name, dim, interests, maxLen, options);
        }
    }
}
