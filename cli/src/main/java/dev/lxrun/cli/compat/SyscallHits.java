package dev.lxrun.cli.compat;

import dev.lxrun.cli.SyscallTables;
import dev.lxrun.syscalls.Support;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The syscalls one translated run made that lxrun does not fully implement, read from the
 * run's --syscall-log file and classified by lxrun's own syscall table.
 */
public record SyscallHits(Map<String, Long> unimplemented, Map<String, Long> partial, long totalCalls) {
    public static final SyscallHits NONE = new SyscallHits(Map.of(), Map.of(), 0);

    public static SyscallHits read(Path log) throws IOException {
        if (!Files.exists(log)) return NONE;
        var table = SyscallTables.full();
        Map<String, Long> unimplemented = new TreeMap<>(), partial = new TreeMap<>();
        long total = 0;
        for (String line : Files.readAllLines(log)) {
            String[] f = line.strip().split(" ");
            if (f.length != 3) continue;
            int nr = Integer.parseInt(f[0]);
            long count = Long.parseLong(f[2]);
            total += count;
            switch (table.lookup(nr).support()) {
                case Support.Unimplemented u -> unimplemented.merge(f[1], count, Long::sum);
                case Support.Partial p -> partial.merge(f[1], count, Long::sum);
                case Support.Supported s -> { }
            }
        }
        return new SyscallHits(Map.copyOf(unimplemented), Map.copyOf(partial), total);
    }

    public boolean isEmpty() {
        return unimplemented.isEmpty() && partial.isEmpty();
    }
}
