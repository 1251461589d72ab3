package dev.eimf.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The benchmark mains' command lines: {@code --name value} options and bare flags, checked against a known list. */
public final class BenchArgs {
    private BenchArgs() {}

    /**
     * Reads {@code args} into option name to value ({@code "true"} for a flag).
     *
     * @param args  the command line
     * @param flags options that take no value
     * @param known every option name
     * @throws IllegalArgumentException for a stray word, a missing value or an unknown option
     */
    public static Map<String, String> parse(String[] args, Set<String> flags, List<String> known) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("expected an option, got '" + a + "'");
            String key = a.substring(2);
            if (flags.contains(key)) {
                m.put(key, "true");
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                m.put(key, args[++i]);
            }
        }
        for (String k : m.keySet()) {
            if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + "; known: " + known);
        }
        return m;
    }

    /** The integer value of {@code --key} (underscores allowed, as in 1_000_000), or {@code def} when absent. */
    public static int integer(Map<String, String> m, String key, int def) {
        String v = m.get(key);
        try {
            return v == null ? def : Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " wants an integer, got '" + v + "'");
        }
    }
}
