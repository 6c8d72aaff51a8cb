package dev.lxrun.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and loads libunicorn once per JVM. Downcall handles are created lazily: creating them
 * all eagerly costs ~10 ms each at startup, and most runs use only a handful.
 */
public final class UnicornLibrary {
    /** Overrides discovery with an explicit path to libunicorn.so.2. */
    public static final String PATH_PROPERTY = "lxrun.unicorn";
    public static final String PATH_ENV = "LXRUN_UNICORN";

    private static volatile UnicornLibrary instance;

    private final Path path;
    private final SymbolLookup symbols;
    private final Linker linker = Linker.nativeLinker();

    private UnicornLibrary(Path path) {
        this.path = path;
        this.symbols = SymbolLookup.libraryLookup(path, Arena.global());
    }

    public static UnicornLibrary get() {
        UnicornLibrary lib = instance;
        if (lib == null) {
            synchronized (UnicornLibrary.class) {
                lib = instance;
                if (lib == null) {
                    Path p = locate().orElseThrow(() -> new UnicornException(
                            "libunicorn.so.2 not found; run tools/unicorn/fetch-unicorn.sh or set " + PATH_ENV));
                    lib = instance = new UnicornLibrary(p);
                }
            }
        }
        return lib;
    }

    /** Candidate locations in order of preference: explicit setting, the lxrun cache, the system. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty(PATH_PROPERTY);
        if (prop != null && !prop.isEmpty()) out.add(Path.of(prop));
        String env = System.getenv(PATH_ENV);
        if (env != null && !env.isEmpty()) out.add(Path.of(env));
        out.add(cacheDir().resolve("unicorn").resolve("libunicorn.so.2"));
        out.add(Path.of("/usr/lib/x86_64-linux-gnu/libunicorn.so.2"));
        out.add(Path.of("/usr/lib64/libunicorn.so.2"));
        out.add(Path.of("/usr/local/lib/libunicorn.so.2"));
        return out;
    }

    public static Optional<Path> locate() {
        return candidates().stream().filter(Files::isRegularFile).findFirst();
    }

    /** Same rule as tools/unicorn/fetch-unicorn.sh. */
    public static Path cacheDir() {
        String c = System.getenv("LXRUN_CACHE");
        if (c != null && !c.isEmpty()) return Path.of(c);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lxrun");
    }

    public Path path() { return path; }

    /** Where the library's exported symbol is, if it has it. */
    Optional<MemorySegment> symbol(String name) {
        return symbols.find(name);
    }

    MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = symbols.find(name)
                .orElseThrow(() -> new UnicornException("symbol " + name + " missing in " + path));
        return linker.downcallHandle(sym, fd, options);
    }

    Linker linker() { return linker; }
}
