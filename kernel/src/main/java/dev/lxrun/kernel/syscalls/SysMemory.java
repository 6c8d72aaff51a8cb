package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.FileDescription;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Memory-management syscalls: brk, mmap, munmap, mprotect, mremap, madvise. */
final class SysMemory {
    private static final int PROT_MASK = 7;
    private static final int MAP_HUGETLB = 0x40000;
    private static final long PAGE = AddressSpace.PAGE;
    /** SHARED, PRIVATE, FIXED, ANONYMOUS, DENYWRITE, EXECUTABLE, UNINITIALIZED, GROWSDOWN, LOCKED, NORESERVE, POPULATE, NONBLOCK, STACK, HUGETLB. */
    private static final int LEGACY_MAP_MASK = 0x1 | 0x2 | 0x10 | 0x20 | 0x800 | 0x1000 | 0x4000000 | 0x100 | 0x2000 | 0x4000
            | 0x8000 | 0x10000 | 0x20000 | 0x40000;

    private SysMemory() {}

    static long brk(Task t, long addr) {
        long current = t.process.mm.brk(0);
        // The heap is always charged: a break Linux could not commit stays where it was.
        if (Long.compareUnsigned(addr, current) > 0
                && (Long.compareUnsigned(addr, AddressSpace.TASK_SIZE) > 0
                        || MemoryCommit.refuses(AddressSpace.pageUp(addr) - AddressSpace.pageUp(current)))) {
            return current;
        }
        return t.process.mm.brk(addr);
    }

    static long mmap(Task t, long addr, long length, int prot, int flags, int fd, long offset) {
        AddressSpace mm = t.process.mm;
        int type = flags & 0x0f;
        if ((offset & (PAGE - 1)) != 0) return -Errno.EINVAL;
        // ksys_mmap_pgoff looks the descriptor up before do_mmap checks length and flags
        if ((flags & AddressSpace.MAP_ANONYMOUS) == 0) {
            FileDescription file = t.process.fds.get(fd);
            if (file == null || (file.statusFlags() & 010000000) != 0) return -Errno.EBADF; // fget skips O_PATH files
        } else if ((flags & MAP_HUGETLB) != 0) {
            // hstate_sizelog: the default size (0) or one the host's kernel has a pool for
            int log = (flags >>> 26) & 0x3f;
            if (log != 0 && (log < 12 || !java.nio.file.Files.isDirectory(
                    java.nio.file.Path.of("/sys/kernel/mm/hugepages/hugepages-" + (1L << (log - 10)) + "kB")))) {
                return -Errno.EINVAL;
            }
        }
        if (length == 0) return -Errno.EINVAL;
        // do_mmap: the length, then the place (get_unmapped_area), and only then the mapping type;
        // bits mmap does not know in prot are ignored (mprotect refuses them)
        prot &= PROT_MASK;
        long len = AddressSpace.pageUp(length);
        if (len == 0) return -Errno.ENOMEM;
        long place = mm.placeMapping(addr, len, flags); // get_unmapped_area's answer, nothing mapped yet
        if (place < 0) return place;
        boolean anon = (flags & AddressSpace.MAP_ANONYMOUS) != 0;
        // MAP_SHARED_VALIDATE is for files only; MAP_DROPPABLE (Linux 6.11) is not provided, as before 6.11
        if (type != AddressSpace.MAP_PRIVATE && type != AddressSpace.MAP_SHARED && (type != 0x03 || anon)) return -Errno.EINVAL;
        boolean anonymous = (flags & AddressSpace.MAP_ANONYMOUS) != 0;
        if (anonymous) {
            if (MemoryCommit.charged(prot, flags, true) && MemoryCommit.refuses(len)) return -Errno.ENOMEM;
            return mm.mapAnonymous(addr, len, prot, flags, "");
        }

        FileDescription f = t.process.fds.get(fd);
        if (f == null) return -Errno.EBADF;
        // MAP_SHARED_VALIDATE refuses flags Linux does not know for a file (LEGACY_MAP_MASK; no DAX, so no MAP_SYNC).
        if (type == 0x03 && (flags & ~LEGACY_MAP_MASK) != 0) return -Errno.EOPNOTSUPP;
        int acc = f.statusFlags() & 3;
        if (acc == 1) return -Errno.EACCES; // O_WRONLY
        boolean shared = type != AddressSpace.MAP_PRIVATE;
        if (shared && (prot & 2) != 0 && acc != 2) return -Errno.EACCES;
        if (MemoryCommit.charged(prot, flags, false) && MemoryCommit.refuses(len)) return -Errno.ENOMEM;
        if (shared && (prot & 2) != 0 && f.hostFd() >= 0) {
            // A memfd sealed against writing refuses writable shared mappings (F_SEAL_WRITE, F_SEAL_FUTURE_WRITE).
            final int F_GET_SEALS = 1034, F_SEAL_WRITE = 8, F_SEAL_FUTURE_WRITE = 16;
            int seals = dev.lxrun.vfs.host.HostPosix.fcntl(f.hostFd(), F_GET_SEALS, 0);
            if (seals > 0 && (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) return -Errno.EPERM;
        }
        if (f.hostFd() >= 0) {
            long r = mapHostFile(t, f, addr, len, prot, flags, offset, shared);
            if (r != NO_HOST_MAPPING) return r;
        }
        if (shared && (prot & 2) != 0) return -Errno.ENODEV; // a writable shared mapping cannot be a copy
        long at = mm.mapAnonymous(addr, len, prot | 2, flags, "");
        if (at < 0) return at;
        // A private (or read-only shared) file mapping is a copy of the file's bytes; pages past
        // the end of the file read as zero, as on Linux.
        long done = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment chunk = a.allocate(1 << 20);
            while (done < length) {
                long want = Math.min(chunk.byteSize(), length - done);
                long n = f.pread(chunk.asSlice(0, want), offset + done);
                if (n < 0) {
                    mm.munmap(at, len);
                    return n == -Errno.EISDIR ? -Errno.ENODEV : n;
                }
                if (n == 0) break;
                mm.copyIn(at + done, chunk.asSlice(0, n), false);
                done += n;
            }
        }
        if ((prot & 2) == 0) mm.mprotect(at, len, prot);
        return at;
    }

    private static final long NO_HOST_MAPPING = Long.MIN_VALUE;

    /**
     * A file mapping as the host's own mmap of the file: no copy, the page cache shared with every
     * other mapping of the file, and MAP_SHARED writes reaching the file. Whole pages past the end
     * of the file are anonymous zero pages (Linux would raise SIGBUS on them; the JVM must not).
     */
    private static long mapHostFile(Task t, FileDescription f, long addr, long len, int prot, int flags, long offset,
                                    boolean shared) {
        long size;
        AddressSpace.FileIdentity identity;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144);
            if (f.stat(st) != 0) return NO_HOST_MAPPING;
            int mode = st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24);
            if ((mode & 0170000) != 0100000) return NO_HOST_MAPPING; // regular files only
            size = st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 48);
            long stamp = AddressSpace.stampOf(st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 104),
                    st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 112));
            identity = new AddressSpace.FileIdentity(st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0),
                    st.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8), offset, stamp);
        }
        long backed = Math.max(0, Math.min(len, AddressSpace.pageUp(size - offset)));
        if (backed == 0) return NO_HOST_MAPPING;
        AddressSpace mm = t.process.mm;
        // The place is chosen first and the file mapped there in one step, so that code a kept
        // engine has translated for this place can be taken over (an anonymous placeholder
        // would replace it).
        long at = mm.placeMapping(addr, len, flags);
        if (at < 0) return at;
        MemorySegment host = dev.lxrun.cpu.HostMemory.mapFile(f.hostFd(), offset, backed, shared, (prot & 2) != 0);
        if (host == null) return NO_HOST_MAPPING;
        mm.mapHostMemory(at, prot, flags, host, hostPathOf(f.hostFd()), identity);
        if (backed < len) {
            long tail = mm.mapAnonymous(at + backed, len - backed, prot, (flags & ~AddressSpace.MAP_SHARED) | AddressSpace.MAP_FIXED, "");
            if (tail < 0) {
                mm.munmap(at, len);
                return tail;
            }
        }
        return at;
    }

    /** The file's path as /proc/PID/maps names it (the host's view of the descriptor). */
    private static String hostPathOf(int hostFd) {
        String path = dev.lxrun.vfs.host.HostPosix.fdPath(hostFd);
        return path == null ? "" : path;
    }

    static long munmap(Task t, long addr, long length) {
        // Addresses and lengths are unsigned: a kernel address or a range past user space is EINVAL.
        if ((addr & (PAGE - 1)) != 0 || Long.compareUnsigned(addr, AddressSpace.TASK_SIZE) > 0
                || Long.compareUnsigned(length, AddressSpace.TASK_SIZE - addr) > 0 || AddressSpace.pageUp(length) == 0) {
            return -Errno.EINVAL;
        }
        int r = t.process.mm.munmap(addr, length);
        if (r == 0) t.process.mm.locked.unlock(addr, addr + AddressSpace.pageUp(length)); // VmLck follows
        return r;
    }

    static long mprotect(Task t, long addr, long length, int prot) {
        final int PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
        // Linux's order (do_mprotect_pkey): the range first, the protection bits after it.
        if ((prot & (PROT_GROWSDOWN | PROT_GROWSUP)) == (PROT_GROWSDOWN | PROT_GROWSUP)) return -Errno.EINVAL;
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        if (length == 0) return 0;
        long end = addr + AddressSpace.pageUp(length);
        if (Long.compareUnsigned(end, addr) <= 0) return -Errno.ENOMEM;
        if ((prot & ~(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)) != 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(end, AddressSpace.TASK_SIZE) > 0) return -Errno.ENOMEM; // no mapping there
        return t.process.mm.mprotect(addr, length, prot & PROT_MASK);
    }

    static long mremap(Task t, long oldAddr, long oldSize, long newSize, int flags, long newAddr) {
        final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
        // Linux's argument checks, in its order (mm/mremap.c), before any mapping is looked at.
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -Errno.EINVAL;
        if ((flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldSize != newSize)) return -Errno.EINVAL;
        if ((oldAddr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        long oldLen = AddressSpace.pageUp(oldSize), newLen = AddressSpace.pageUp(newSize);
        if (newLen == 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0) {
            if ((newAddr & (PAGE - 1)) != 0) return -Errno.EINVAL;
            if (Long.compareUnsigned(newLen, AddressSpace.TASK_SIZE) > 0
                    || Long.compareUnsigned(newAddr, AddressSpace.TASK_SIZE - newLen) > 0) {
                return -Errno.EINVAL;
            }
            if (oldAddr + oldLen > newAddr && newAddr + newLen > oldAddr) return -Errno.EINVAL; // overlapping
        }
        if (Long.compareUnsigned(oldAddr, AddressSpace.TASK_SIZE) >= 0
                || Long.compareUnsigned(oldLen, AddressSpace.TASK_SIZE - oldAddr) > 0) {
            return -Errno.EFAULT; // no mapping can hold the old range
        }
        if (oldLen == 0 || (newLen > oldLen && MemoryCommit.refuses(newLen - oldLen))) {
            AddressSpace.Mapping m = mappingAt(t.process.mm, oldAddr);
            if (m == null) return -Errno.EFAULT;
            // old_size 0 asks for a second mapping of the same shared memory; Linux refuses it for
            // private mappings, and lxrun does not make such duplicates (see the table's note).
            if (oldLen == 0) return -Errno.EINVAL;
            boolean charged = m.shared() ? m.file() == null : (m.prot() & 2) != 0 && (m.flags() & 0x4000) == 0;
            if (charged) return -Errno.ENOMEM;
        }
        return t.process.mm.mremap(oldAddr, oldSize, newSize, flags, newAddr);
    }

    /** The mapping holding addr, or null. */
    private static AddressSpace.Mapping mappingAt(AddressSpace mm, long addr) {
        for (AddressSpace.Mapping m : mm.layout()) {
            if (Long.compareUnsigned(addr, m.start()) >= 0 && Long.compareUnsigned(addr, m.end()) < 0) return m;
        }
        return null;
    }

    static long madvise(Task t, long addr, long length, int advice) {
        final int MADV_DONTNEED = 4;
        // Linux's order (do_madvise): the advice, then the range, then the mappings (found by FuzzTest).
        boolean known = (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 25) || (advice >= 100 && advice <= 103);
        if (!known) return -Errno.EINVAL;
        if ((addr & (PAGE - 1)) != 0) return -Errno.EINVAL;
        long len = AddressSpace.pageUp(length);
        if (length != 0 && len == 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(addr + len, addr) < 0) return -Errno.EINVAL;
        if (len == 0) return 0;
        if (Long.compareUnsigned(addr + len, AddressSpace.TASK_SIZE) > 0) return -Errno.ENOMEM; // no mapping there
        if (advice == MADV_DONTNEED) return t.process.mm.discard(addr, length);
        // Other advice only tunes paging, which has no visible effect on guest memory contents.
        try {
            t.process.mm.checkAccess(addr, AddressSpace.pageUp(length), 0);
        } catch (dev.lxrun.kernel.mm.GuestFault f) {
            return -Errno.ENOMEM;
        }
        return 0;
    }
}
