package dev.eimf.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Entry point of the {@code eimf} command-line program: {@code eimf <command> [options]}; every
 * command answers {@code --help}.
 */
public final class Main {
    private Main() {}

    static List<Command> commands() {
        return List.of(new StatsCommand(), new BaselineCommand(), new TrainCommand(), new EvaluateCommand(), new RecommendCommand(),
                new EsimCommand(), new QuickstartCommand(),
                new AblationCommand());
    }

    /** Runs a subcommand and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a subcommand and returns its exit status (for tests and embedding). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printUsage(out);
            return args.length == 0 ? 2 : 0;
        }
        Command cmd = commands().stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (cmd == null) {
            err.println("eimf: unknown command '" + Terminal.safe(args[0]) + "'");
            printUsage(err);
            return 2;
        }
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                printHelp(cmd, out);
                return 0;
            }
        }
        try {
            Args parsed = Args.parse(args, 1, cmd.options());
            return cmd.run(parsed);
        } catch (Args.UsageException e) {
            err.println("eimf " + cmd.name() + ": " + Terminal.safe(e.getMessage()));
            err.println("Try 'eimf " + cmd.name() + " --help'.");
            return 2;
        } catch (dev.eimf.internal.train.MemoryLimitException e) {
            // The settings, not the data or the machine, are at fault: a usage error naming the option.
            err.println("eimf " + cmd.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // Messages quote data (a bad field, a server's answer), so they are made safe like any other such text.
            err.println("eimf " + cmd.name() + ": " + Terminal.safe(e.getMessage() == null ? e.toString() : e.getMessage()));
            if (System.getenv("EIMF_DEBUG") != null) e.printStackTrace(err);
            return 1;
        }
    }

    static void printUsage(PrintStream out) {
        out.println("Usage: eimf <command> [options]");
        out.println();
        out.println("Commands:");
        for (Command c : commands()) out.printf("  %-12s %s%n", c.name(), c.summary());
        out.println();
        out.println("Run 'eimf <command> --help' for the options of a command.");
    }

    static void printHelp(Command cmd, PrintStream out) {
        out.println("Usage: eimf " + cmd.name() + " [options]");
        out.println(cmd.summary());
        out.println();
        out.println("Options:");
        for (Command.Option o : cmd.options()) {
            String left = "--" + o.name() + (o.value() == null ? "" : " " + o.value());
            String right = o.help() + (o.required() ? " (required)" : "")
                    + (o.fallback() != null ? " [default: " + o.fallback() + "]" : "");
            out.printf("  %-26s %s%n", left, right);
        }
    }
}
