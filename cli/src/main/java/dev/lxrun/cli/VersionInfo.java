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
            version = Engine.version() + (Engine.repairsTlbCounters()
                    ? " (known build: TLB use counts repaired)" : " (unknown build: TLB sized by Unicorn alone)");
        } catch (RuntimeException | LinkageError e) {
            version = "unusable (" + e.getMessage() + ")";
        }
        return new String[] {"lxrun 0.1.0", "unicorn " + version + ": " + where, "java " + Runtime.version()};
    }
}
