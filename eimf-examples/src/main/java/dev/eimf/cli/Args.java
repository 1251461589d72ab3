package dev.eimf.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parsed {@code --name value} options and {@code --flag}s, checked against a command's options. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    /** Thrown for a usage error; the message is shown with a hint to use --help. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Args parse(String[] argv, int from, List<Command.Option> options) {
        Map<String, Command.Option> byName = new HashMap<>();
        for (Command.Option o : options) byName.put(o.name(), o);
        Args a = new Args();
        for (int i = from; i < argv.length; i++) {
            String tok = argv[i];
            if (!tok.startsWith("--")) throw new UsageException("unexpected argument '" + tok + "'");
            String name = tok.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Command.Option o = byName.get(name);
            if (o == null) throw new UsageException("unknown option --" + name);
            if (o.value() == null) {
                if (inline != null) throw new UsageException("--" + name + " takes no value");
                a.flags.add(name);
            } else {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= argv.length) throw new UsageException("--" + name + " needs a value " + o.value());
                    v = argv[++i];
                }
                a.values.put(name, v);
            }
        }
        for (Command.Option o : options) {
            if (o.required() && !a.values.containsKey(o.name())) {
                throw new UsageException("missing required option --" + o.name() + " " + o.value());
            }
        }
        return a;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) throw new UsageException("missing option --" + name);
        return v;
    }

    Optional<Path> path(String name) {
        return get(name).map(Path::of);
    }

    long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    int getInt(String name, int fallback) {
        long v = getLong(name, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new UsageException("--" + name + " out of range: " + v);
        return (int) v;
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    /**
     * A duration written as a number and a unit: {@code 500ms}, {@code 120s}, {@code 30m}, {@code 2h}; a bare
     * number is seconds. Must be positive.
     */
    java.time.Duration getDuration(String name, java.time.Duration fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?").matcher(v.trim());
        if (!m.matches()) {
            throw new UsageException("--" + name + " expects a duration such as 90s, 5m or 1h, got '" + v + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = n * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1000;
        };
        if (!(ms >= 1) || ms > 1e12) throw new UsageException("--" + name + " must be at least 1ms and finite, got '" + v + "'");
        return java.time.Duration.ofMillis((long) ms);
    }

    /** Value of a choice option, checked against the allowed values. */
    String choice(String name, String fallback, String... allowed) {
        String v = get(name, fallback);
        for (String a : allowed) if (a.equals(v)) return v;
        throw new UsageException("--" + name + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }
}
