package dev.lxrun.cli;

import dev.lxrun.kernel.syscalls.Linux64;
import dev.lxrun.syscalls.SyscallReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "syscalls", mixinStandardHelpOptions = true,
        description = "Prints the x86-64 syscall table with lxrun's support level for each call.")
final class SyscallsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        SyscallReport report = new SyscallReport(Linux64.table());
        System.out.print(json ? report.json() : report.text());
        System.out.flush();
        return 0;
    }
}
