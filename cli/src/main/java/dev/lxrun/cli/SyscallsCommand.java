package dev.lxrun.cli;

import dev.lxrun.cli.compat.CoverageReport;
import dev.lxrun.cli.compat.LastRun;
import dev.lxrun.syscalls.SyscallReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "syscalls", mixinStandardHelpOptions = true,
        description = "Prints the x86-64 syscall table with lxrun's support level for each call.")
final class SyscallsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--report", description = "Print the coverage report: counts, lists, and how often the last compat run hit each missing syscall.")
    boolean report;

    @Option(names = "--from", paramLabel = "REPORT.json", description = "With --report: the compat report to count hits from (default: the last compat run).")
    Path from;

    @Option(names = "--readme", paramLabel = "README.md", description = "With --report: rewrite the generated status section of this README.")
    Path readme;

    @Override
    public Integer call() throws IOException {
        if (report || readme != null) {
            CoverageReport coverage;
            try {
                coverage = new CoverageReport(SyscallTables.full(), CoverageReport.readRun(from != null ? from : LastRun.defaultFile()));
            } catch (IOException e) {
                System.err.println("lxrun syscalls: " + e.getMessage());
                return 1;
            }
            if (readme != null) {
                String text = Files.readString(readme, StandardCharsets.UTF_8);
                try {
                    Files.writeString(readme, CoverageReport.rewrite(text, coverage.readmeSection()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    System.err.println("lxrun syscalls: " + readme + ": " + e.getMessage());
                    return 1;
                }
                System.err.println("lxrun syscalls: rewrote the status section of " + readme);
                return 0;
            }
            System.out.print(json ? coverage.json() : coverage.text());
            System.out.flush();
            return 0;
        }
        SyscallReport table = new SyscallReport(SyscallTables.full());
        System.out.print(json ? table.json() : table.text());
        System.out.flush();
        return 0;
    }
}
