package dev.lxrun.cli.bench;

import java.nio.file.Path;
import java.util.List;

/** One benchmark: what it measures and the argv run (in a fresh scratch directory) by every mode. */
record Workload(String name, String description, List<String> argv) {
    /** Every workload's name, in report order: what --workloads accepts. */
    static final List<String> NAMES = List.of("startup", "cpu", "syscall", "files", "bigfile", "untar", "forkexec", "pipe", "tcp");

    /**
     * The workloads; quick shrinks every size about tenfold for CI smoke runs. pipe and
     * tcp are two processes talking: lxbench ends them after pairLimit seconds with a message,
     * so a peer that never connects (or a stuck pipe) fails the cell instead of hanging the run.
     */
    static List<Workload> all(Path lxbench, Path tarFile, boolean quick, long pairLimit) {
        String b = lxbench.toString();
        long k = quick ? 1 : 10;
        String limit = Long.toString(pairLimit);
        return List.of(
                new Workload("startup", "run /bin/true (dynamically linked): process start to exit", List.of("/bin/true")),
                new Workload("cpu", (10 * k) + "M iterations of an integer loop", List.of(b, "cpu", Long.toString(10_000_000 * k))),
                new Workload("syscall", (100 * k) + "k getppid round trips", List.of(b, "syscall", Long.toString(100_000 * k))),
                new Workload("files", (200 * k) + " small files created, stat'ed, unlinked", List.of(b, "files", Long.toString(200 * k))),
                new Workload("bigfile", (quick ? 16 : 256) + " MiB written then read sequentially", List.of(b, "bigfile", quick ? "16" : "256")),
                new Workload("untar", "tar -xf of " + (quick ? 100 : 1000) + " small files", List.of("/bin/tar", "-xf", tarFile.toString())),
                new Workload("forkexec", (10 * k) + " × fork + exec + wait", List.of(b, "forkexec", Long.toString(10 * k), b)),
                new Workload("pipe", (quick ? 16 : 256) + " MiB through a pipe between two processes", List.of(b, "pipe", quick ? "16" : "256", limit)),
                new Workload("tcp", (quick ? 16 : 128) + " MiB over loopback TCP between two processes", List.of(b, "tcp", quick ? "16" : "128", limit)));
    }
}
