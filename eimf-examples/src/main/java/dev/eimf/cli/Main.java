package dev.eimf.cli;

/** Entry point of the {@code eimf} command-line program. */
public final class Main {
    private Main() {}

    /** Runs a subcommand. */
    public static void main(String[] args) {
        System.out.println("eimf: not yet");
    }
}
