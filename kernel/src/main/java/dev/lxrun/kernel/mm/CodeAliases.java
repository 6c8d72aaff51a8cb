package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Code reached through two mappings of one file: a JIT that maps a memfd writable at one address
 * and executable at another (.NET's W^X mode, libffi closures) writes code through the first and
 * runs it through the second. Unicorn keys translations by its region, so a store through the
 * writable view never drops what it translated from the executable one; on Linux the CPU sees the
 * new bytes at once. Once a file is mapped shared and executable anywhere (a "code file"), the
 * host memory behind each of its shared mappings, in every process, is watched (Unicorn patch
 * 0012): every guest store there reaches AddressSpace#codeWritten, which names the file part
 * written, and the executable views of that part lose their translations in every engine.
 *
 * Everything here is grow-only and kernel-wide: MAP_SHARED host memory stays mapped until the JVM
 * ends (see AddressSpace#unmapRange), so a watched range never comes to hold anything else.
 * It takes no address-space lock, so address spaces may call it while holding their own.
 */
final class CodeAliases {
    record FileKey(long dev, long inode) {
        static FileKey of(AddressSpace.FileIdentity f) {
            return new FileKey(f.dev(), f.inode());
        }
    }

    /** A shared view's host memory. */
    private record View(long host, long length) {}

    private static final Set<FileKey> CODE_FILES = ConcurrentHashMap.newKeySet();
    /** Every shared file mapping's host memory, per file: a file may become a code file after its views were made. */
    private static final Map<FileKey, Set<View>> VIEWS = new ConcurrentHashMap<>();
    /** Address spaces that map some code file executable: the ones a store may concern. */
    private static final Set<AddressSpace> HOLDERS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** The watched host ranges as begin, end pairs: what Engine.watchHostRanges was last given. */
    private static long[] watched = new long[0];

    private CodeAliases() {}

    /** A MAP_SHARED mapping of a file was made (any protection). */
    static void mappedShared(Vma v) {
        FileKey key = FileKey.of(v.file);
        View view = new View(v.host.address(), v.length());
        if (VIEWS.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(view) && CODE_FILES.contains(key)) {
            watch(List.of(view));
        }
    }

    /** mm maps v, a MAP_SHARED file mapping, executable: from now on its file's shared views are watched. */
    static void executableShared(AddressSpace mm, Vma v) {
        HOLDERS.add(mm);
        FileKey key = FileKey.of(v.file);
        if (CODE_FILES.add(key)) watch(List.copyOf(VIEWS.getOrDefault(key, Set.of())));
    }

    /** Whether f's file is mapped shared and executable somewhere. */
    static boolean isCodeFile(AddressSpace.FileIdentity f) {
        return f != null && !CODE_FILES.isEmpty() && CODE_FILES.contains(FileKey.of(f));
    }

    /**
     * Bytes [offset, offset+length) of the file were stored to by writer's guest code: every
     * executable shared view of them drops its translations (writer's own engine at once).
     */
    static void written(AddressSpace.FileIdentity file, long length, Engine writer) {
        List<AddressSpace> holders;
        synchronized (HOLDERS) {
            holders = new ArrayList<>(HOLDERS);
        }
        for (AddressSpace mm : holders) mm.fileCodeStored(file.dev(), file.inode(), file.offset(), length, writer);
    }

    private static synchronized void watch(List<View> views) {
        if (views.isEmpty()) return;
        int at = watched.length;
        watched = java.util.Arrays.copyOf(watched, at + 2 * views.size());
        for (View v : views) {
            watched[at++] = v.host();
            watched[at++] = v.host() + v.length();
        }
        Engine.watchHostRanges(watched);
    }
}
