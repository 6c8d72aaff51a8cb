package dev.lxrun.kernel.syscalls;

import dev.lxrun.cpu.CpuContext;
import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.ProcessFactory;
import dev.lxrun.kernel.Signals;
import dev.lxrun.kernel.ptrace.Ptrace;
import dev.lxrun.kernel.ptrace.Tracee;
import dev.lxrun.syscalls.Errno;

/** fork, vfork and clone (process flavours). Threads (CLONE_THREAD) are the threads issue's. */
final class SysFork {
    static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000,
            CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000,
            CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000;
    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: namespaces need privileges. */
    private static final long NAMESPACES = 0x7E020000L;

    private SysFork() {}

    static long fork(Task t) {
        return clone(t, Signals.SIGCHLD, 0, 0, 0, 0);
    }

    static long vfork(Task t) {
        return clone(t, CLONE_VM | CLONE_VFORK | Signals.SIGCHLD, 0, 0, 0, 0);
    }

    /** clone(2): with CLONE_PIDFD the pidfd goes where CLONE_PARENT_SETTID would store the tid, so not both. */
    static long clone(Task t, long flags, long newStack, long parentTidAddr, long childTidAddr, long tls) {
        if ((flags & CLONE_PIDFD) != 0 && (flags & CLONE_PARENT_SETTID) != 0) return -Errno.EINVAL;
        return clone(t, flags, newStack, parentTidAddr, childTidAddr, tls, parentTidAddr);
    }

    private static final long CLONE_NEWUSER = 0x10000000L;

    /** The flag rules copy_process applies before it creates anything, in its order. */
    private static long invalidFlags(long flags) {
        if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) return -Errno.EINVAL;
        if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) return -Errno.EINVAL;
        if ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0) return -Errno.EINVAL;
        if ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0) return -Errno.EINVAL;
        // PIDFD_THREAD pidfds (a thread's) are not kept by lxrun: CLONE_PIDFD is for processes
        if ((flags & CLONE_PIDFD) != 0 && (flags & (CLONE_DETACHED | CLONE_THREAD)) != 0) return -Errno.EINVAL;
        if ((flags & NAMESPACES) != 0) return -Errno.EPERM;
        return 0;
    }

    private static long clone(Task t, long flags, long newStack, long parentTidAddr, long childTidAddr, long tls, long pidfdAddr) {
        long invalid = invalidFlags(flags);
        if (invalid != 0) return invalid;
        if ((flags & CLONE_THREAD) != 0) return thread(t, flags, newStack, parentTidAddr, childTidAddr, tls);
        // The pidfd is stored before the child exists; Linux fails the whole clone when it cannot be.
        if ((flags & CLONE_PIDFD) != 0) {
            try {
                t.process.mm.checkAccess(pidfdAddr, 4, 2);
            } catch (dev.lxrun.kernel.mm.GuestFault f) {
                return -Errno.EFAULT;
            }
        }
        int exitSignal = (int) (flags & 0xff);
        boolean shareVm = (flags & CLONE_VM) != 0;
        long resume = t.currentSyscallRip() + 2;
        CpuContext state = t.engine().saveContext();
        ProcessFactory.Child child;
        try {
            child = ProcessFactory.fork(t, shareVm, exitSignal, (flags & CLONE_PARENT) != 0,
                    (flags & CLONE_FILES) != 0, (flags & CLONE_FS) != 0, (flags & CLONE_SIGHAND) != 0);
        } catch (RuntimeException | OutOfMemoryError e) { // the host refused memory for the copy
            state.close();
            return -Errno.ENOMEM;
        }
        int pid = child.process().pid;
        if ((flags & CLONE_PIDFD) != 0) {
            long[] err = new long[1];
            PidFd f = PidFd.open(child.process(), false, err);
            int fd = f == null ? -1 : t.process.fds.install(f, true, 0);
            if (f != null && fd < 0) f.release();
            // The child exists by now: a pidfd that cannot be made is a -1 in the parent's variable.
            storeTid(t.process.mm, pidfdAddr, fd);
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) storeTid(t.process.mm, parentTidAddr, pid);
        if ((flags & CLONE_CHILD_SETTID) != 0) storeTid(child.process().mm, childTidAddr, pid);
        if ((flags & CLONE_CHILD_CLEARTID) != 0) child.task().clearChildTid = childTidAddr;
        var vforkDone = (flags & CLONE_VFORK) != 0 ? ProcessFactory.armVfork(child.process()) : null;
        int event = Ptrace.cloned(t, child.task(), (flags & CLONE_VFORK) != 0 ? Tracee.EVENT_VFORK
                : exitSignal == Signals.SIGCHLD ? Tracee.EVENT_FORK : Tracee.EVENT_CLONE, flags);
        child.task().startForked(state, resume, newStack, tls, (flags & CLONE_SETTLS) != 0);
        Ptrace.reportClone(t, event, pid);
        if (vforkDone != null) {
            // The parent sleeps until the child execs or exits, as vfork promises.
            while (true) {
                try {
                    vforkDone.await();
                    break;
                } catch (InterruptedException e) {
                    Thread.interrupted();
                }
            }
        }
        if (vforkDone != null && t.ptrace != null) t.ptrace.event(Tracee.EVENT_VFORK_DONE, pid, true);
        return pid;
    }

    /** CLONE_THREAD: Linux requires CLONE_SIGHAND with it, and CLONE_VM with CLONE_SIGHAND. */
    private static long thread(Task t, long flags, long newStack, long parentTidAddr, long childTidAddr, long tls) {
        long needed = CLONE_VM | CLONE_SIGHAND;
        if ((flags & needed) != needed) return -Errno.EINVAL;
        if ((flags & (CLONE_FS | CLONE_FILES)) != (CLONE_FS | CLONE_FILES)) return -Errno.EINVAL; // unshared fs/files: not yet
        long resume = t.currentSyscallRip() + 2;
        CpuContext state = t.engine().saveContext();
        Task nt = ProcessFactory.thread(t);
        if ((flags & CLONE_PARENT_SETTID) != 0) storeTid(t.process.mm, parentTidAddr, nt.tid);
        if ((flags & CLONE_CHILD_SETTID) != 0) storeTid(t.process.mm, childTidAddr, nt.tid);
        if ((flags & CLONE_CHILD_CLEARTID) != 0) nt.clearChildTid = childTidAddr;
        int event = Ptrace.cloned(t, nt, Tracee.EVENT_CLONE, flags);
        nt.startForked(state, resume, newStack, tls, (flags & CLONE_SETTLS) != 0);
        Ptrace.reportClone(t, event, nt.tid);
        return nt.tid;
    }

    /**
     * CLONE_PARENT_SETTID / CLONE_CHILD_SETTID: Linux ignores a failed store (put_user's result is
     * not checked); the child exists by now and must run, or its parent would wait for it forever.
     */
    private static void storeTid(dev.lxrun.kernel.mm.AddressSpace mm, long addr, int tid) {
        if (addr == 0) return;
        try {
            mm.writeInt(addr, tid);
        } catch (dev.lxrun.kernel.mm.GuestFault ignored) {
            // as Linux: the id simply is not stored
        }
    }

    /** clone3: struct clone_args carries what clone passes in registers; the stack is given as base + size. */
    static long clone3(Task t, long argsAddr, long size) {
        final long KNOWN_SIZE = 88; // struct clone_args up to cgroup (CLONE_ARGS_SIZE_VER2)
        if (size < 64) return -dev.lxrun.syscalls.Errno.EINVAL;
        if (size > 4096) return -dev.lxrun.syscalls.Errno.E2BIG;
        var mm = t.process.mm;
        if (size > KNOWN_SIZE) { // copy_struct_from_user: a newer caller's extra fields must be zero
            byte[] extra = new byte[(int) (size - KNOWN_SIZE)];
            mm.copyOut(argsAddr + KNOWN_SIZE, java.lang.foreign.MemorySegment.ofArray(extra), false);
            for (byte b : extra) if (b != 0) return -dev.lxrun.syscalls.Errno.E2BIG;
        }
        long flags = mm.readLong(argsAddr), pidfd = mm.readLong(argsAddr + 8), childTid = mm.readLong(argsAddr + 16),
                parentTid = mm.readLong(argsAddr + 24), exitSignal = mm.readLong(argsAddr + 32),
                stack = mm.readLong(argsAddr + 40), stackSize = mm.readLong(argsAddr + 48), tls = mm.readLong(argsAddr + 56);
        if (size >= 80 && mm.readLong(argsAddr + 72) != 0) return -dev.lxrun.syscalls.Errno.EINVAL; // set_tid_size
        if ((flags & 0xff) != 0 || Long.compareUnsigned(exitSignal, 64) > 0) return -dev.lxrun.syscalls.Errno.EINVAL;
        if ((flags & (CLONE_THREAD | CLONE_PARENT)) != 0 && exitSignal != 0) return -dev.lxrun.syscalls.Errno.EINVAL;
        // clone3_stack_valid: a stack is a base and a size, both or neither, inside user space
        if (stack == 0 ? stackSize != 0 : stackSize == 0 || Long.compareUnsigned(stack + stackSize, dev.lxrun.kernel.mm.AddressSpace.TASK_SIZE) > 0
                || stack + stackSize < stack) {
            return -dev.lxrun.syscalls.Errno.EINVAL;
        }
        long newStack = stack == 0 ? 0 : stack + stackSize;
        return clone(t, flags | exitSignal, newStack, parentTid, childTid, tls, pidfd);
    }
}
