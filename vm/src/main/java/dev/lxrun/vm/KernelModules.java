package dev.lxrun.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel modules the guest's init loads, dependencies first. Dependencies come from each
 * module's own .modinfo ("depends=a,b"), so no modules.dep (made by depmod at install time) is
 * needed. A driver built into the kernel simply has no module file and is skipped.
 */
public final class KernelModules {
    /** virtio transports (PCI for q35, MMIO for microvm), the virtio console, 9P over virtio. */
    static final List<String> NEEDED = List.of("virtio_pci", "virtio_mmio", "virtio_console", "9pnet_virtio", "9p");

    private KernelModules() {}

    public record Module(String name, Path file) {}

    public static List<Module> loadOrder(Path modulesDir) throws VmException {
        if (modulesDir == null) return List.of();
        Map<String, Path> byName = index(modulesDir);
        Set<String> ordered = new LinkedHashSet<>();
        for (String root : NEEDED) visit(root, byName, ordered, new LinkedHashSet<>());
        List<Module> out = new ArrayList<>();
        for (String n : ordered) out.add(new Module(n, byName.get(n)));
        return out;
    }

    private static void visit(String name, Map<String, Path> byName, Set<String> done, Set<String> path) throws VmException {
        if (done.contains(name)) return;
        Path file = byName.get(name);
        if (file == null) return; // built in
        if (!path.add(name)) throw new VmException("kernel module dependency cycle through " + name);
        for (String dep : dependsOf(file)) visit(dep, byName, done, path);
        path.remove(name);
        done.add(name);
    }

    private static Map<String, Path> index(Path dir) throws VmException {
        Map<String, Path> map = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                String f = p.getFileName().toString();
                int ko = f.indexOf(".ko");
                if (ko > 0 && (f.endsWith(".ko") || f.endsWith(".ko.xz") || f.endsWith(".ko.zst"))) {
                    map.putIfAbsent(f.substring(0, ko).replace('-', '_'), p);
                }
            });
        } catch (IOException e) {
            throw new VmException("cannot read kernel modules in " + dir + ": " + e.getMessage());
        }
        return map;
    }

    /** Compressed modules keep .modinfo inside the compressed stream; the kernel decompresses them, we cannot peek: no deps. */
    static List<String> dependsOf(Path module) throws VmException {
        if (!module.toString().endsWith(".ko")) return List.of();
        try {
            byte[] b = Files.readAllBytes(module);
            byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 1; i + key.length < b.length; i++) {
                if (b[i - 1] != 0) continue;
                for (int k = 0; k < key.length; k++) if (b[i + k] != key[k]) continue outer;
                int end = i + key.length;
                while (end < b.length && b[end] != 0) end++;
                String list = new String(b, i + key.length, end - i - key.length, StandardCharsets.US_ASCII);
                List<String> deps = new ArrayList<>();
                for (String d : list.split(",")) if (!d.isBlank()) deps.add(d.strip().replace('-', '_'));
                return deps;
            }
            return List.of();
        } catch (IOException e) {
            throw new VmException("cannot read kernel module " + module + ": " + e.getMessage());
        }
    }
}
