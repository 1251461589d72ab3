package dev.eimf.cli;

import java.util.List;

/** One subcommand of the {@code eimf} program. */
interface Command {
    /** Name typed on the command line. */
    String name();

    /** One-line summary for the command list. */
    String summary();

    /** Options accepted, for parsing and for {@code --help}. */
    List<Option> options();

    /**
     * Runs the command.
     *
     * @return process exit code
     */
    int run(Args args) throws Exception;

    /**
     * A command-line option.
     *
     * @param name     long name without dashes
     * @param value    value placeholder (e.g. {@code DIR}), or {@code null} for a flag
     * @param help     description
     * @param required whether it must be given
     * @param fallback default shown in help, or {@code null}
     */
    record Option(String name, String value, String help, boolean required, String fallback) {
        static Option required(String name, String value, String help) {
            return new Option(name, value, help, true, null);
        }

        static Option optional(String name, String value, String help, String fallback) {
            return new Option(name, value, help, false, fallback);
        }

        static Option flag(String name, String help) {
            return new Option(name, null, help, false, null);
        }
    }
}
