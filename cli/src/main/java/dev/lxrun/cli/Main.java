package dev.lxrun.cli;

import picocli.CommandLine;

/** Entry point: `lxrun [options] PROGRAM [ARGS...]` and the lxrun subcommands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(RawArguments.of(args)));
    }

    /** Runs the CLI and returns the exit status (the guest's, for a program run). */
    public static int run(String[] args) {
        CommandLine cmd = new CommandLine(new RunCommand())
                .addSubcommand(new SyscallsCommand())
                .addSubcommand(new VmCommand())
                .addSubcommand(new CompatDbCommand())
                .addSubcommand(new dev.lxrun.cli.compat.CompatCommand())
                .addSubcommand(new dev.lxrun.cli.bench.BenchCommand())
                .setStopAtPositional(true)
                .setAllowSubcommandsAsOptionParameters(true) // `--mode vm` names the mode, not the vm subcommand
                .setStopAtUnmatched(false);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("lxrun: internal error: " + ex);
            if (System.getenv("LXRUN_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return 70; // EX_SOFTWARE
        });
        return cmd.execute(args);
    }
}
