package dev.lxrun.vm;

/** One-line notes for the user about slow one-time steps (fetching a kernel, installing QEMU). */
@FunctionalInterface
public interface Progress {
    void say(String message);

    Progress SILENT = m -> {};
}
