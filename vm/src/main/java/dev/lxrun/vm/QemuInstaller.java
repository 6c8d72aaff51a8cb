package dev.lxrun.vm;

import java.util.List;

/** VM mode needs qemu-system-x86_64; on Debian, as root, lxrun installs it on first use. */
final class QemuInstaller {
    static final String PACKAGE = "qemu-system-x86";

    private QemuInstaller() {}

    static void ensure(Progress progress) throws VmException {
        String explicit = System.getenv("LXRUN_QEMU");
        if (explicit != null && !explicit.isEmpty()) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(explicit))) return;
            throw new VmException("LXRUN_QEMU=" + explicit + ": no such executable");
        }
        if (HostCommand.onPath(QemuCommandLine.BINARY)) return;
        if (!HostCommand.onPath("apt-get") || !HostCommand.isRoot()) {
            throw new VmException(QemuCommandLine.BINARY + " not found: install QEMU (Debian: apt-get install " + PACKAGE + ")");
        }
        progress.say("installing " + PACKAGE + " for VM mode (once)");
        java.nio.file.Path here = java.nio.file.Path.of("/");
        try {
            HostCommand.run(here, List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", PACKAGE));
        } catch (VmException first) {
            HostCommand.run(here, List.of("apt-get", "update", "-q"));
            HostCommand.run(here, List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", PACKAGE));
        }
        if (!HostCommand.onPath(QemuCommandLine.BINARY)) throw new VmException(PACKAGE + " installed no " + QemuCommandLine.BINARY);
    }
}
