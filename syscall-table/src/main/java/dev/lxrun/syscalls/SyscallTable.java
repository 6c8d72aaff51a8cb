package dev.lxrun.syscalls;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The syscall registry: for every x86-64 syscall number, its support level and (unless
 * unimplemented) its handler. Numbers nobody registered read as unimplemented, so a lookup
 * never fails and a missing translation always means -ENOSYS.
 *
 * @param <H> the handler type, defined by the kernel that owns the table
 */
public final class SyscallTable<H> {
    /** One row of the table. handler is null exactly when support is Unimplemented. */
    public record Entry<H>(int number, String name, Support support, H handler) {}

    public enum Level { SUPPORTED, PARTIAL, UNIMPLEMENTED }

    private static final String NOT_YET = "not implemented in lxrun yet";

    private final Object[] entries = new Object[Sysno.maxNumber() + 1];
    /**
     * Entries made up for unregistered numbers, cached apart from registrations so that a module
     * installing its syscalls later (net-shim's sockets) is not refused after an early lookup.
     */
    private final Object[] missing = new Object[Sysno.maxNumber() + 1];
    private final Entry<H> unknown = new Entry<>(-1, "unknown", new Support.Unimplemented("no such syscall on x86-64"), null);

    public SyscallTable<H> supported(int nr, H handler) {
        return put(nr, Support.SUPPORTED, requireHandler(handler));
    }

    public SyscallTable<H> partial(int nr, String note, H handler) {
        return put(nr, new Support.Partial(note), requireHandler(handler));
    }

    public SyscallTable<H> unimplemented(int nr, String reason) {
        return put(nr, new Support.Unimplemented(reason), null);
    }

    private H requireHandler(H handler) {
        if (handler == null) throw new IllegalArgumentException("a supported or partial syscall needs a handler");
        return handler;
    }

    private SyscallTable<H> put(int nr, Support support, H handler) {
        if (!Sysno.exists(nr)) throw new IllegalArgumentException("no x86-64 syscall numbered " + nr);
        if (entries[nr] != null) throw new IllegalStateException(Sysno.name(nr) + " registered twice");
        entries[nr] = new Entry<>(nr, Sysno.name(nr), support, handler);
        missing[nr] = null;
        return this;
    }

    /** The entry for nr; for numbers without a registration an unimplemented entry. Never null. */
    @SuppressWarnings("unchecked")
    public Entry<H> lookup(int nr) {
        if (nr < 0 || nr >= entries.length) return unknown;
        Object e = entries[nr];
        if (e != null) return (Entry<H>) e;
        if (!Sysno.exists(nr)) return unknown;
        Object m = missing[nr];
        if (m != null) return (Entry<H>) m;
        Entry<H> made = new Entry<>(nr, Sysno.name(nr), new Support.Unimplemented(NOT_YET), null);
        missing[nr] = made;
        return made;
    }

    /** Every x86-64 syscall in number order, registered or not. */
    public List<Entry<H>> entries() {
        List<Entry<H>> all = new ArrayList<>();
        for (int nr = 0; nr < entries.length; nr++) {
            if (Sysno.exists(nr)) all.add(lookup(nr));
        }
        return all;
    }

    public Map<Level, Integer> counts() {
        Map<Level, Integer> counts = new EnumMap<>(Level.class);
        for (Level l : Level.values()) counts.put(l, 0);
        for (Entry<H> e : entries()) counts.merge(levelOf(e.support()), 1, Integer::sum);
        return counts;
    }

    public static Level levelOf(Support s) {
        return switch (s) {
            case Support.Supported x -> Level.SUPPORTED;
            case Support.Partial x -> Level.PARTIAL;
            case Support.Unimplemented x -> Level.UNIMPLEMENTED;
        };
    }
}
