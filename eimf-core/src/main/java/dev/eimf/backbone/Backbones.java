package dev.eimf.backbone;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names under which backbones of your own are known, so that a model naming one trains, saves and
 * loads like the built-in {@value BackboneConfig#COMIREC_SA}, {@value BackboneConfig#COMIREC_DR} and
 * {@value BackboneConfig#MIND}. The registry is JVM-wide (a model file names its backbone, and loading
 * must find it); register once at start-up, before training or loading. Thread-safe.
 */
public final class Backbones {
    private static final Map<String, BackboneFactory> REGISTRY = new ConcurrentHashMap<>();

    private Backbones() {
    }

    /**
     * Registers {@code factory} under {@code name}; registering the same factory again is a no-op.
     *
     * @throws IllegalArgumentException when the name is a built-in one or taken by another factory
     */
    public static void register(String name, BackboneFactory factory) {
        Objects.requireNonNull(factory, "factory");
        String key = BackboneConfig.builder(name).build().name();
        if (BackboneConfig.builder(key).build().isBuiltIn()) {
            throw new IllegalArgumentException("'" + key + "' is a built-in backbone name");
        }
        BackboneFactory old = REGISTRY.putIfAbsent(key, factory);
        if (old != null && old != factory) {
            throw new IllegalArgumentException("a different backbone is already registered as '" + key + "'");
        }
    }

    /** Removes a registration (models naming it then no longer load); returns whether there was one. */
    public static boolean unregister(String name) {
        return REGISTRY.remove(BackboneConfig.builder(name).build().name()) != null;
    }

    /** The factory registered under {@code name}, if any (built-in names are not in the registry). */
    public static Optional<BackboneFactory> lookup(String name) {
        return Optional.ofNullable(REGISTRY.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Every usable name: the built-in ones and the registered ones, sorted. */
    public static Set<String> names() {
        Set<String> out = new TreeSet<>(REGISTRY.keySet());
        out.add(BackboneConfig.COMIREC_SA);
        out.add(BackboneConfig.COMIREC_DR);
        out.add(BackboneConfig.MIND);
        return out;
    }
}
