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
        return commandLine().execute(args);
    }

    /** The parser: the run command with every subcommand, as `lxrun ARGS…` sees it. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new RunCommand())
                .addSubcommand(new SyscallsCommand())
                .addSubcommand(new VmCommand())
                .addSubcommand(new CompatDbCommand())
                .addSubcommand(new dev.lxrun.cli.compat.CompatCommand())
                .addSubcommand(new dev.lxrun.cli.bench.BenchCommand())
                .addSubcommand(new dev.lxrun.cli.distro.ImportCommand())
                .addSubcommand(new dev.lxrun.cli.distro.ExportCommand())
                .addSubcommand(new dev.lxrun.cli.distro.ListCommand())
                .addSubcommand(new dev.lxrun.cli.distro.UnregisterCommand())
                .addSubcommand(new dev.lxrun.cli.distro.ConfigCommand())
                .addSubcommand(new dev.lxrun.cli.instance.InstanceCommand())
                .setStopAtPositional(true)
                .setAllowSubcommandsAsOptionParameters(true) // `--mode vm` names the mode, not the vm subcommand
                .setStopAtUnmatched(false);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("lxrun: internal error: " + ex);
            if (System.getenv("LXRUN_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return 70; // EX_SOFTWARE
        });
        // A mistyped option value (--mode bogus, --timeout abc) is one line, not the whole usage text.
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            String name = where.getCommandName().equals("lxrun") ? "lxrun" : "lxrun " + where.getCommandName();
            where.getErr().println(name + ": " + ex.getMessage() + " (try " + name + " --help)");
            return 2;
        });
        // The program's own arguments start at the first positional of the run command; the
        // harness subcommands take their options anywhere (`lxrun compat SUITE --out DIR`).
        for (String sub : new String[] {"compat", "bench", "import", "config"}) cmd.getSubcommands().get(sub).setStopAtPositional(false);
        return cmd;
    }
}
