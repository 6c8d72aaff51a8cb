package dev.lxrun.cli;

import dev.lxrun.cpu.UnicornLibrary;
import picocli.CommandLine.IVersionProvider;

final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String uc = UnicornLibrary.locate().map(p -> p.toString()).orElse("not found");
        return new String[] {"lxrun 0.1.0", "unicorn: " + uc, "java: " + Runtime.version()};
    }
}
