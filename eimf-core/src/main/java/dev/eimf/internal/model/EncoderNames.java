package dev.eimf.internal.model;

import dev.eimf.internal.ibim.EncoderType;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of the built-in backbones as they appear in model files and on the command line:
 * {@code comirec-sa}, {@code comirec-dr} and {@code mind}.
 */
public final class EncoderNames {
    private EncoderNames() {
    }

    /** The name of a backbone. */
    public static String name(EncoderType type) {
        return switch (type) {
            case SA -> "comirec-sa";
            case DR -> "comirec-dr";
            case MIND -> "mind";
        };
    }

    /** The backbone of a name (case-insensitive), or empty for an unknown name. */
    public static Optional<EncoderType> parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (EncoderType t : EncoderType.values()) {
            if (name(t).equals(n)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** All names, for messages: {@code comirec-sa|comirec-dr|mind}. */
    public static String choices() {
        StringBuilder sb = new StringBuilder();
        for (EncoderType t : EncoderType.values()) {
            if (sb.length() > 0) sb.append('|');
            sb.append(name(t));
        }
        return sb.toString();
    }
}
