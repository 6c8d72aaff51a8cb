package dev.lxrun.cli;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.UnicornLibrary;
import picocli.CommandLine.IVersionProvider;

final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String where = UnicornLibrary.locate().map(p -> p.toString()).orElse("not found");
        String version;
        try {
            version = Engine.version() + (Engine.ownBuild()
                    ? " (lxrun's own build: exact asynchronous stops, fast stores)"
                    : Engine.repairsTlbCounters()
                    ? " (Debian's build: TLB use counts repaired; stops only at syscalls)"
                    : " (unknown build: stops only at syscalls)");
        } catch (RuntimeException | LinkageError e) {
            version = "unusable (" + e.getMessage() + ")";
        }
        return new String[] {"lxrun 0.1.0", "unicorn " + version + ": " + where, "java " + Runtime.version()};
    }
}
