package dev.lxrun.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles for the Unicorn C API. Each group lives in its own holder class so a handle
 * is only linked when first used, and as a static final it is a JIT constant on hot paths.
 */
final class UcNative {
    private UcNative() {}

    static MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... o) {
        return UnicornLibrary.get().downcall(name, fd, o);
    }

    /** lxrun's own build only (patch 0005): callers check Engine.ownBuild() first. */
    static final class CodeWrite {
        static final MethodHandle ON_CODE_WRITE = h("uc_lxrun_on_code_write", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
    }

    /** lxrun's own build with patch 0012 only: callers check Engine.watchCapable() first. */
    static final class Watch {
        static final MethodHandle HOST = h("uc_lxrun_watch_host", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
    }

    /** lxrun's own build with patch 0010 only: callers check Engine.parallelCapable() first. */
    static final class Parallel {
        static final MethodHandle SET = h("uc_lxrun_set_parallel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    static final class Lifecycle {
        static final MethodHandle OPEN = h("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle CLOSE = h("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle STRERROR = h("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle VERSION = h("uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    /**
     * Register access never calls back into Java and returns quickly, so it is linked as a
     * critical downcall: no thread-state transition, which halves the cost of a syscall's
     * register traffic (the hook reads seven registers and writes one per syscall).
     */
    static final class Regs {
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);
        static final MethodHandle READ = h("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
        static final MethodHandle WRITE = h("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
        static final MethodHandle READ_BATCH = h("uc_reg_read_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
        static final MethodHandle WRITE_BATCH = h("uc_reg_write_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    }

    static final class Mem {
        static final MethodHandle MAP_PTR = h("uc_mem_map_ptr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        static final MethodHandle UNMAP = h("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        static final MethodHandle PROTECT = h("uc_mem_protect",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    static final class Emu {
        static final MethodHandle START = h("uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        static final MethodHandle STOP = h("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    static final class Hooks {
        /** uc_hook_add is variadic; for UC_HOOK_INSN one int (the instruction id) follows. */
        static final MethodHandle ADD_INSN = h("uc_hook_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
                Linker.Option.firstVariadicArg(7));
        static final MethodHandle ADD = h("uc_hook_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(7));
        static final MethodHandle DEL = h("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    static final class Context {
        static final MethodHandle ALLOC = h("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle SAVE = h("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle RESTORE = h("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle FREE = h("uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle SIZE = h("uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    }

    static final class Ctl {
        /** uc_ctl(uc, UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1), int model) */
        static final MethodHandle CTL_INT = h("uc_ctl",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        /** uc_ctl(uc, UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2), uint64_t start, uint64_t end) */
        static final MethodHandle CTL_LONG_LONG = h("uc_ctl",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    }
}
