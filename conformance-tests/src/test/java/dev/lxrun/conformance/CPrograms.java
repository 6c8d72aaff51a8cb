package dev.lxrun.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The compiled conformance programs: target/c-bin/VARIANT/NAME, built by build-c.sh. */
final class CPrograms {
    static final List<String> VARIANTS = List.of("musl", "glibc", "glibc-pie");

    private CPrograms() {}

    static Path binDir() {
        String dir = System.getProperty("lxrun.cbin");
        if (dir == null) throw new AssertionError("lxrun.cbin is not set: run the tests through Maven");
        return Path.of(dir);
    }

    static Path binary(String variant, String name) {
        Path p = binDir().resolve(variant).resolve(name);
        if (!Files.isExecutable(p)) throw new AssertionError("missing test program " + p + " (build-c.sh did not build it)");
        return p;
    }

    static List<String> command(String variant, String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary(variant, name).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
