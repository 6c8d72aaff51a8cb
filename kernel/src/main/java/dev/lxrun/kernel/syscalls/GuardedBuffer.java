package dev.lxrun.kernel.syscalls;

import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.mm.GuestFault;
import dev.lxrun.vfs.host.HostSyscall;
import java.lang.foreign.MemorySegment;

/**
 * Host memory standing in for a guest buffer the guest can only partly give (or not at all), for
 * one call on a host descriptor. The part the guest can give sits in host memory that ends where
 * PROT_NONE pages begin, covering the rest of the buffer, so the host kernel meets its fault at the
 * same byte Linux would meet the guest's and answers as Linux does: the bytes before it (a regular
 * file), EFAULT, or whatever it says before touching the buffer at all (EAGAIN on an empty
 * non-blocking pipe, 0 at end of file, EBADF for the wrong access mode, EPIPE, a write to
 * /dev/null that succeeds). Emulating each of those answers in Java would be a long list that is
 * never quite Linux's.
 */
final class GuardedBuffer implements AutoCloseable {
    private static final int MMAP = 9, MPROTECT = 10, MUNMAP = 11;
    private static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final long PAGE = 4096;

    /** The buffer as the host call sees it: byteSize is the guest's length, accessible only for its prefix. */
    final MemorySegment seg;
    private final long base, size, prefix, guestAddr;
    private final AddressSpace mm;
    private final boolean fillsGuest;

    private GuardedBuffer(AddressSpace mm, long guestAddr, long base, long size, long prefix, MemorySegment seg, boolean fillsGuest) {
        this.mm = mm;
        this.guestAddr = guestAddr;
        this.base = base;
        this.size = size;
        this.prefix = prefix;
        this.seg = seg;
        this.fillsGuest = fillsGuest;
    }

    /**
     * For guest [buf, buf+len), which lies in user space: prot is PROT_READ when the call reads the
     * buffer (a write), PROT_WRITE when it fills it. Throws GuestFault when the host has no address
     * space to spare for it, which the caller reports as EFAULT.
     */
    static GuardedBuffer of(AddressSpace mm, long buf, long len, int prot) {
        long prefix = accessiblePrefix(mm, buf, len, prot);
        long open = roundUp(prefix), guard = Math.max(PAGE, roundUp(len - prefix));
        long base = HostSyscall.call(MMAP, 0, open + guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base < 0) throw new GuestFault(buf);
        if (open > 0 && HostSyscall.call(MPROTECT, base, open, PROT_READ | PROT_WRITE) != 0) {
            HostSyscall.call(MUNMAP, base, open + guard, 0);
            throw new GuestFault(buf);
        }
        MemorySegment seg = MemorySegment.ofAddress(base + open - prefix).reinterpret(len);
        GuardedBuffer g = new GuardedBuffer(mm, buf, base, open + guard, prefix, seg, prot == PROT_WRITE);
        if (prot == PROT_READ && prefix > 0) mm.copyOut(buf, seg.asSlice(0, prefix), false);
        return g;
    }

    /** After the host call returned r: what it wrote into the prefix goes to the guest. Returns r. */
    long finish(long r) {
        if (fillsGuest && r > 0) mm.copyIn(guestAddr, seg.asSlice(0, Math.min(r, prefix)), true);
        return r;
    }

    @Override
    public void close() {
        HostSyscall.call(MUNMAP, base, size, 0);
    }

    /** How many bytes from addr (at most len) the guest gives with prot before the first it cannot (0 when none). */
    static long accessiblePrefix(AddressSpace mm, long addr, long len, int prot) {
        try {
            mm.checkAccess(addr, len, prot);
            return len;
        } catch (GuestFault f) {
            long ok = f.address() - addr;
            return ok < 0 ? 0 : Math.min(ok, len);
        }
    }

    private static long roundUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
