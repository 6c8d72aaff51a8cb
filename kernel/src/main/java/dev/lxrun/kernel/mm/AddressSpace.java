package dev.lxrun.kernel.mm;

import dev.lxrun.cpu.Engine;
import dev.lxrun.cpu.HostMemory;
import dev.lxrun.elf.MemoryTarget;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A guest address space (Linux mm_struct): the mappings, the program break, and the Unicorn
 * engines that must see every change. Guest memory is host memory (mapped into each engine with
 * uc_mem_map_ptr), so the kernel reads and writes it directly, without copying through Unicorn.
 */
public final class AddressSpace implements MemoryTarget {
    public static final long PAGE = 4096;
    /** Highest user address + 1 on x86-64 with 4-level paging. */
    public static final long TASK_SIZE = 0x7ffffffff000L;
    /** Where top-down mmap placement starts, as on Linux without address randomisation. */
    public static final long MMAP_BASE = 0x7ffff7fff000L;
    public static final long MMAP_MIN = 0x10000L;

    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_GROWSDOWN = 0x100, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_STACK = 0x20000,
            MAP_FIXED_NOREPLACE = 0x100000;

    static final int PROT_WRITE = 2, PROT_EXEC = 4;

    /**
     * Whether any process has mapped a file MAP_SHARED and executable. Until one does (most runs
     * never), writes to files need not look for code they change behind Unicorn's back.
     */
    private static volatile boolean sharedFileCode;

    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** mlock'ed ranges: neither inherited by fork nor kept by exec, which both start a new address space. */
    public final LockedRanges locked = new LockedRanges();
    private final EngineViews engines = new EngineViews();
    /**
     * Threads in parallel (null when off): the engines running this memory's guest code, of every
     * process sharing it (threads, vfork and CLONE_VM children), and the barrier that stops them.
     */
    public final ParallelCpu parallel = ParallelCpu.enabled() ? new ParallelCpu() : null;
    /** Set by forkCopy: the kept engine the child's first thread runs on. */
    private WarmEngine reserved;
    private long brkStart;
    private long brk;
    private Vma lastHit;
    /** Processes using this address space: more than one only between vfork and the child's exec/exit. */
    private int users = 1;
    /** The auxiliary vector the program started with (Linux's mm->saved_auxv, /proc/PID/auxv). */
    private volatile byte[] savedAuxv = new byte[0];

    /**
     * Which file, device and offset a mapping's first page comes from (the maps columns 3-5).
     * stamp is the file's change time in nanoseconds when that time was already old when the
     * file was read (see {@link #stampOf}), else 0: equal nonzero stamps of one inode mean the
     * same bytes, which lets translated code outlive its process.
     */
    public record FileIdentity(long dev, long inode, long offset, long stamp) {
        public FileIdentity(long dev, long inode, long offset) {
            this(dev, inode, offset, 0);
        }

        FileIdentity advancedBy(long bytes) {
            return new FileIdentity(dev, inode, offset + bytes, stamp);
        }
    }

    /**
     * A file's stamp from its ctime (seconds, nanoseconds), or 0 when the file changed within the
     * last two seconds: file times come from a coarse clock, so a file rewritten twice within
     * one tick can keep its ctime; one last changed well before it was read cannot change again
     * without its ctime moving past the recorded one.
     */
    public static long stampOf(long ctimeSec, long ctimeNsec) {
        long ctime = ctimeSec * 1_000_000_000L + ctimeNsec;
        long now = System.currentTimeMillis() * 1_000_000L;
        return ctime != 0 && now - ctime > 2_000_000_000L ? ctime : 0;
    }

    public static long pageUp(long x) { return (x + PAGE - 1) & -PAGE; }
    public static long pageDown(long x) { return x & -PAGE; }

    /** Every mapping is mirrored into this engine from now on (and the existing ones now). */
    public synchronized void attach(Engine engine) {
        attach(engine, null);
    }

    /**
     * As above, on an engine a previous process left (warm, or null for a fresh engine): each
     * part of a mapping at the place of one of the engine's parked regions takes that region
     * over (see {@link #mirror}) instead of being mapped anew; the rest stay parked, hidden, for
     * the mappings the dynamic loader makes next.
     */
    public synchronized void attach(Engine engine, WarmEngine warm) {
        TreeMap<Long, ParkedRegion> parked = warm == null ? new TreeMap<>() : warm.regions;
        for (Vma v : new ArrayList<>(vmas.values())) mirror(engine, parked, v);
        engines.add(engine, parked);
        lastHit = null;
    }

    /**
     * Maps v into engine, taking over the parked regions inside it (v is split at their edges)
     * and dropping those it overlaps otherwise. A region holding v's very bytes keeps them, with
     * their translations, and the host memory v had there goes back; any other region gets v's
     * bytes moved into its host memory. Either way Unicorn's region stays as it is, at most with
     * a new protection.
     */
    private void mirror(Engine engine, TreeMap<Long, ParkedRegion> parked, Vma v) {
        List<ParkedRegion> taken = new ArrayList<>();
        for (ParkedRegion r : ParkedRegion.overlapping(parked, v.start, v.end)) {
            if (canTakeOver(v, r)) taken.add(r);
            else EngineViews.drop(engine, parked, r);
        }
        if (taken.isEmpty()) {
            engine.mapPtr(v.start, v.length(), v.prot, v.host);
            return;
        }
        vmas.remove(v.start);
        long at = v.start;
        for (ParkedRegion r : taken) {
            if (r.start() > at) mapPart(engine, v.slice(at, r.start()));
            parked.remove(r.start());
            Vma part = v.slice(r.start(), r.end());
            long mine = part.host.address(), theirs = r.host().address();
            if (holdsSameBytes(v, r)) {
                if (mine != theirs) HostMemory.release(mine, r.length());
                part = part.withHost(r.host(), r.translated());
            } else {
                if (mine != theirs) HostMemory.moveTo(mine, r.length(), theirs);
                part = part.movedTo(r.host());
            }
            vmas.put(part.start, part);
            if (r.prot() != v.prot) engine.protect(r.start(), r.length(), v.prot);
            at = r.end();
        }
        if (at < v.end) mapPart(engine, v.slice(at, v.end));
        lastHit = null;
    }

    /**
     * Whether v can take r over: r lies inside v and holds v's bytes there, or holds nothing
     * translated and v's private bytes can move into it.
     */
    private static boolean canTakeOver(Vma v, ParkedRegion r) {
        if (r.start() < v.start || r.end() > v.end) return false;
        return holdsSameBytes(v, r) || (!r.translated() && (v.flags & MAP_SHARED) == 0);
    }

    private void mapPart(Engine engine, Vma part) {
        vmas.put(part.start, part);
        engine.mapPtr(part.start, part.length(), part.prot, part.host);
    }

    /** Whether v's bytes over r's range are r's: r lies inside v, which maps the same unchanged file part and was never written. */
    private static boolean holdsSameBytes(Vma v, ParkedRegion r) {
        return r.start() >= v.start && r.end() <= v.end && r.file() != null && v.keepsFileBytes()
                && r.file().equals(v.file.advancedBy(r.start() - v.start));
    }

    /** The engine stops mirroring this address space (it is being closed). */
    public synchronized void detach(Engine engine) {
        for (ParkedRegion r : engines.parkedOf(engine).values()) r.release();
        engines.remove(engine);
    }

    /**
     * The last engine of the last process using this address space leaves it (exit or execve):
     * instead of being closed, it keeps every place this process had mapped privately as a
     * parked region (see ParkedRegion), its bytes given back to the host (in the background, see
     * WarmEngine#tidy) unless they are a file's, so that the next process of the same program,
     * which maps the same places, changes almost nothing in Unicorn. Memory with translations of anything but unchanged file code,
     * and shared memory, is unmapped. Returns false, changing nothing, when the engine cannot be
     * kept (others still use this memory, or reuse is off).
     */
    public synchronized boolean park(Engine engine, String program) {
        if (!EnginePool.enabled() || users != 1 || !engines.contains(engine)) return false;
        if (engines.size() - engines.idleCount() != 1) return false;
        engines.closeIdle();
        engines.sync(engine);
        TreeMap<Long, ParkedRegion> kept = engines.parkedOf(engine);
        // What an earlier process left and this one did not take: code may still come back, the rest goes.
        for (ParkedRegion r : new ArrayList<>(kept.values())) if (!r.translated()) EngineViews.drop(engine, kept, r);
        List<ParkedRegion> toReset = new ArrayList<>();
        for (Vma v : new ArrayList<>(vmas.values())) {
            if (v.keepable()) {
                ParkedRegion r = parked(v);
                kept.put(v.start, r);
                if (r.file() == null) toReset.add(r);
                vmas.remove(v.start);
            } else {
                if (v.everExecutable()) EngineViews.forgetCode(engine, v.start, v.length(), v.prot);
                engine.unmap(v.start, v.length());
            }
        }
        engines.remove(engine);
        lastHit = null;
        EnginePool.put(new WarmEngine(engine, program, kept, toReset));
        return true;
    }

    /**
     * v's place as a parked region, still with v's protection (it is hidden before the engine
     * runs again) and v's bytes: a mapping taking the region over moves its own in, and a pooled
     * engine gives back those that are not a file's (WarmEngine#tidy).
     */
    private static ParkedRegion parked(Vma v) {
        return new ParkedRegion(v.start, v.end, v.keepsFileBytes() ? v.file : null, v.host, v.prot, v.everExecutable());
    }

    public synchronized boolean hasEngines() {
        return !engines.isEmpty();
    }

    /** How many idle engines an address space keeps for its next threads or vfork children. */
    private static final int IDLE_ENGINES = 2;

    /**
     * A thread or vfork child leaves this still-used address space: its engine stays attached,
     * idle, following every mapping change, so the next thread or vfork child runs on it with
     * this program's code already translated. False when enough engines are idle already.
     */
    public synchronized boolean idle(Engine engine) {
        if (!EnginePool.enabled() || engines.idleCount() >= IDLE_ENGINES || !engines.contains(engine)) return false;
        engines.setIdle(engine);
        return true;
    }

    /** An idle engine for the calling thread, already mirroring this address space; null if none. */
    public synchronized Engine adoptIdle() {
        return engines.adoptIdle();
    }

    /** A kept engine chosen for this (forked) address space, whose code regions it already uses; null if none. */
    public synchronized WarmEngine takeReserved() {
        WarmEngine w = reserved;
        reserved = null;
        return w;
    }

    /**
     * Brings the calling thread's engine up to date with mapping changes other threads made;
     * returns how many it applied (a fault after a nonzero sync is worth retrying).
     */
    public synchronized int sync(Engine engine) {
        return engines.sync(engine);
    }

    /**
     * Whether the calling thread changed this address space in a way that engines other threads
     * run must take before they run guest code again (unmap, protection, dropped translations);
     * clears it. Only threads running in parallel need to act on it (see kernel's ParallelCpu).
     */
    public boolean takeOwedBarrier() {
        return engines.takeOwed();
    }

    // ---- fork ----

    /**
     * fork: a new address space with a private copy of every private mapping and the same host
     * memory for MAP_SHARED ones, so writes to shared memory stay visible to both processes.
     */
    public synchronized AddressSpace forkCopy() {
        return forkCopy(null);
    }

    /**
     * As above, for a child that will run on warm (a kept engine, or null): never-written file
     * code that warm has parked at the same place already holds the same bytes, so the child
     * uses that memory and its translations instead of a copy.
     */
    public synchronized AddressSpace forkCopy(WarmEngine warm) {
        AddressSpace child = new AddressSpace();
        child.reserved = warm;
        for (Vma v : vmas.values()) {
            MemorySegment host;
            ParkedRegion r = warm == null ? null : warm.regions.get(v.start);
            if (r != null && r.end() == v.end && holdsSameBytes(v, r)) {
                child.vmas.put(v.start, v.inChild(r.host(), true));
                continue;
            } else if ((v.flags & MAP_SHARED) != 0) {
                host = v.host;
            } else {
                host = HostMemory.allocate(v.length());
                if (v.fileBacked) {
                    // Pages not yet read hold the file's bytes, so residency says nothing: copy it all.
                    MemorySegment.copy(v.host, 0, host, 0, v.length());
                } else {
                    HostMemory.copyResident(v.host, host);
                }
            }
            child.vmas.put(v.start, v.inChild(host, host == v.host && v.fileBacked));
            if (isSharedFileCode(v)) CodeAliases.executableShared(child, v);
        }
        child.brkStart = brkStart;
        child.brk = brk;
        child.savedAuxv = savedAuxv;
        return child;
    }

    /** vfork/CLONE_VM: another process starts using this address space. */
    public synchronized void share() {
        users++;
    }

    /** A process stops using this address space (exit or exec); the last one frees it. */
    public void release() {
        boolean last;
        synchronized (this) {
            last = --users == 0;
        }
        if (last) destroy();
    }

    // ---- MemoryTarget (ELF loader) ----

    @Override
    public void map(long addr, long length, int prot) {
        long r = mapAnonymous(addr, length, prot, MAP_PRIVATE | MAP_FIXED, "");
        if (r < 0) throw new GuestFault(addr);
    }

    @Override
    public void write(long addr, byte[] data, int offset, int length) {
        copyIn(addr, MemorySegment.ofArray(data).asSlice(offset, length), false);
    }

    @Override
    public void protect(long addr, long length, int prot) {
        int rc = mprotect(addr, length, prot);
        if (rc != 0) throw new GuestFault(addr);
    }

    @Override
    public synchronized long findFree(long hint, long length) {
        long len = pageUp(length);
        if (hint != 0) {
            long h = pageDown(hint);
            if (h >= MMAP_MIN && h + len <= TASK_SIZE && isFree(h, len)) return h;
        }
        return findTopDown(len);
    }

    // ---- mappings ----

    /** Maps zero-filled memory; MAP_FIXED replaces what was there. Returns addr or -errno. */
    public synchronized long mapAnonymous(long addr, long length, int prot, int flags, String name) {
        long at = placeMapping(addr, length, flags);
        if (at < 0) return at;
        long len = pageUp(length);
        unmapRange(at, len, true);
        MemorySegment host = HostMemory.allocate(len);
        insert(new Vma(at, at + len, prot, flags, host, name));
        return at;
    }

    /**
     * Where mmap would put a new mapping of length bytes (addr is a hint, or the place with
     * MAP_FIXED / MAP_FIXED_NOREPLACE), or -errno. Nothing is mapped or unmapped yet.
     */
    public synchronized long placeMapping(long addr, long length, int flags) {
        long len = pageUp(length);
        if (len == 0 || len > TASK_SIZE) return -12; // ENOMEM
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((addr & (PAGE - 1)) != 0) return -22; // EINVAL
            if (Long.compareUnsigned(addr, TASK_SIZE - len) > 0) return -12; // ENOMEM: beyond user space
            if (addr < MMAP_MIN) return (flags & MAP_FIXED) != 0 ? -1 : -12; // below mmap_min_addr
            if ((flags & MAP_FIXED) == 0 && !isFree(addr, len)) return -17; // EEXIST
            return addr;
        }
        long at = (flags & MAP_32BIT) != 0 ? findBottomUp(addr, len, LOW_2G_START, LOW_2G_END) : findFree(addr, len);
        return at < 0 ? -12 : at;
    }

    /** MAP_32BIT: x86-64 Linux searches bottom-up between 1 and 2 GiB (find_start_end), the hint first. */
    private static final int MAP_32BIT = 0x40;
    private static final long LOW_2G_START = 0x40000000L, LOW_2G_END = 0x80000000L;

    private long findBottomUp(long hint, long len, long start, long end) {
        if (len > end - start) return -1;
        long h = pageDown(hint);
        if (hint != 0 && h >= start && h + len <= end && isFree(h, len)) return h;
        long p = start;
        for (Vma v : vmas.tailMap(vmas.floorKey(start) == null ? start : vmas.floorKey(start)).values()) {
            if (v.end <= p) continue;
            if (v.start >= p + len) break;
            p = v.end;
            if (p + len > end) return -1;
        }
        return p + len <= end ? p : -1;
    }

    /** Puts a host file mapping at [addr, addr+host size), replacing what was there. */
    public synchronized void mapHostMemory(long addr, int prot, int flags, MemorySegment host, String name) {
        mapHostMemory(addr, prot, flags, host, name, null);
    }

    /** The same, recording which file (device, inode, offset) the memory maps, for /proc/PID/maps. */
    public synchronized void mapHostMemory(long addr, int prot, int flags, MemorySegment host, String name, FileIdentity file) {
        long len = host.byteSize();
        unmapRange(addr, len, true);
        insert(new Vma(addr, addr + len, prot, flags, host, name, true, file));
    }

    public synchronized int munmap(long addr, long length) {
        if ((addr & (PAGE - 1)) != 0 || length == 0) return -22;
        long len = pageUp(length);
        if (addr + len > TASK_SIZE || addr + len < addr) return -22;
        unmapRange(addr, len, false);
        return 0;
    }

    public synchronized int mprotect(long addr, long length, int prot) {
        if ((addr & (PAGE - 1)) != 0) return -22;
        long len = pageUp(length);
        if (len == 0) return 0;
        long end = addr + len;
        if (end < addr || end > TASK_SIZE) return -12;
        if (!isFullyMapped(addr, len)) return -12;
        for (Vma v : overlapping(addr, end)) {
            splitAt(v, addr, end);
        }
        boolean loading = engines.isEmpty();
        List<Vma> parts = overlapping(addr, end);
        for (Vma v : parts) {
            vmas.put(v.start, loading ? v.loadedAs(prot) : v.withProt(prot));
        }
        if (loading) {
            engines.protect(addr, len, prot, false);
        } else {
            // Per mapping: an executable one whose protection changes loses its translations.
            for (Vma v : parts) engines.protect(v.start, v.length(), prot, (v.prot & PROT_EXEC) != 0 && v.prot != prot);
            if ((prot & PROT_EXEC) != 0) noteSharedCode(parts);
        }
        lastHit = null;
        return 0;
    }

    /** mremap: shrink in place, grow in place when the space after is free, else move if allowed. */
    public synchronized long mremap(long oldAddr, long oldSize, long newSize, int flags, long newAddr) {
        final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
        if ((oldAddr & (PAGE - 1)) != 0 || newSize == 0) return -22;
        long oldLen = pageUp(oldSize), newLen = pageUp(newSize);
        Vma v = vmaAt(oldAddr);
        Vma last = v == null ? null : lastOfMapping(v, oldAddr + oldLen);
        if (last == null) return -14; // EFAULT: the range is not one mapping
        if ((flags & MREMAP_FIXED) != 0) {
            if ((flags & MREMAP_MAYMOVE) == 0 || (newAddr & (PAGE - 1)) != 0) return -22;
            return moveMapping(v, oldAddr, oldLen, newLen, newAddr);
        }
        if (newLen <= oldLen) {
            if (newLen < oldLen) unmapRange(oldAddr + newLen, oldLen - newLen, false);
            return oldAddr;
        }
        if (oldAddr + oldLen == last.end && isFree(last.end, newLen - oldLen)) {
            MemorySegment host = HostMemory.allocate(newLen - oldLen);
            // A separate host block is fine: each VMA may own several host blocks only through
            // splitting, so record the growth as an adjacent mapping with the same attributes
            // (lastOfMapping counts it as part of the same mapping for the next mremap).
            insert(new Vma(last.end, oldAddr + newLen, last.prot, last.flags, host, last.name, false,
                    last.file == null ? null : last.file.advancedBy(last.end - last.start)));
            return oldAddr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) return -12;
        long to = findTopDown(newLen);
        if (to < 0) return -12;
        return moveMapping(v, oldAddr, oldLen, newLen, to);
    }

    /**
     * The VMA holding byte end-1 when [v.start.., end) is one mapping as Linux sees it: lxrun
     * keeps an in-place growth as its own VMA where Linux merges it, so contiguous VMAs with the
     * same protection, flags, name and file continuity count as one. null when the range runs
     * into a hole or a different mapping (mremap's EFAULT).
     */
    private Vma lastOfMapping(Vma v, long end) {
        Vma cur = v;
        while (end > cur.end) {
            Vma next = vmas.get(cur.end);
            if (next == null || next.prot != cur.prot || next.flags != cur.flags || !java.util.Objects.equals(next.name, cur.name)
                    || (cur.file == null ? next.file != null : !cur.file.advancedBy(cur.length()).equals(next.file))) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    private long moveMapping(Vma v, long oldAddr, long oldLen, long newLen, long to) {
        byte[] copy = new byte[(int) Math.min(oldLen, newLen)];
        if (copy.length != Math.min(oldLen, newLen)) return -12;
        copyOut(oldAddr, MemorySegment.ofArray(copy), true);
        int prot = v.prot;
        String name = v.name;
        int flags = v.flags;
        FileIdentity file = v.file == null ? null : v.file.advancedBy(oldAddr - v.start);
        unmapRange(oldAddr, oldLen, false);
        unmapRange(to, newLen, true);
        MemorySegment host = HostMemory.allocate(newLen);
        MemorySegment.copy(MemorySegment.ofArray(copy), 0, host, 0, copy.length);
        insert(new Vma(to, to + newLen, prot, flags, host, name, false, file));
        return to;
    }

    /** MADV_DONTNEED on private memory: the pages read back as zero. */
    public synchronized int discard(long addr, long length) {
        long len = pageUp(length);
        if (!isFullyMapped(addr, len)) return -12;
        for (Vma v : overlapping(addr, addr + len)) {
            long from = Math.max(addr, v.start), to = Math.min(addr + len, v.end);
            v.host.asSlice(from - v.start, to - from).fill((byte) 0);
        }
        return 0;
    }

    // ---- program break ----

    public synchronized void initBrk(long start) {
        brkStart = brk = pageUp(start);
    }

    /** brk(2): returns the new break, or the old one when the request cannot be met. */
    public synchronized long brk(long requested) {
        if (requested < brkStart) return brk;
        long oldTop = pageUp(brk), newTop = pageUp(requested);
        if (newTop > oldTop) {
            if (!isFree(oldTop, newTop - oldTop)) return brk;
            MemorySegment host = HostMemory.allocate(newTop - oldTop);
            insert(new Vma(oldTop, newTop, 3, MAP_PRIVATE | MAP_ANONYMOUS, host, "[heap]"));
        } else if (newTop < oldTop) {
            unmapRange(newTop, oldTop - newTop, false);
        }
        brk = requested;
        return brk;
    }

    // ---- guest memory access for the kernel ----

    /** As the x86 page tables give it: a writable or executable page is readable too (no protection keys). */
    private static int readable(int prot) {
        return (prot & 6) != 0 ? prot | 1 : prot;
    }

    /**
     * Host memory for guest [addr, addr+len) when it lies in one mapping with the needed
     * protection (PROT_READ=1 / PROT_WRITE=2); null when it spans several mappings.
     * Throws GuestFault when any byte is unmapped or lacks the protection.
     */
    public synchronized MemorySegment direct(long addr, long len, int needProt) {
        if (len == 0) return MemorySegment.NULL.reinterpret(0);
        Vma v = vmaAt(addr);
        if (v == null || (readable(v.prot) & needProt) != needProt) throw new GuestFault(addr);
        if (addr + len <= v.end && addr + len > addr) return v.host.asSlice(addr - v.start, len);
        checkAccess(addr, len, needProt);
        return null;
    }

    /** The end of the mapping holding addr (whatever its protection), or -1 when addr is unmapped. */
    public synchronized long mappingEnd(long addr) {
        Vma v = vmaAt(addr);
        return v == null ? -1 : v.end;
    }

    public synchronized void checkAccess(long addr, long len, int needProt) {
        long p = addr, end = addr + len;
        if (end < addr) throw new GuestFault(addr);
        while (p < end) {
            Vma v = vmaAt(p);
            if (v == null || (readable(v.prot) & needProt) != needProt) throw new GuestFault(p);
            p = v.end;
        }
    }

    /** Copies guest memory at addr into dst (kernel reads: honour PROT_READ unless ignoreProt). */
    public synchronized void copyOut(long addr, MemorySegment dst, boolean ignoreProt) {
        long n = dst.byteSize(), done = 0;
        while (done < n) {
            Vma v = vmaAt(addr + done);
            if (v == null || (!ignoreProt && (readable(v.prot) & 1) == 0)) throw new GuestFault(addr + done);
            long chunk = Math.min(n - done, v.end - (addr + done));
            MemorySegment.copy(v.host, addr + done - v.start, dst, done, chunk);
            done += chunk;
        }
    }

    /** Copies src into guest memory at addr (kernel writes honour PROT_WRITE unless ignoreProt). */
    public synchronized void copyIn(long addr, MemorySegment src, boolean honourProt) {
        long n = src.byteSize(), done = 0;
        while (done < n) {
            Vma v = vmaAt(addr + done);
            if (v == null || (honourProt && (v.prot & 2) == 0)) throw new GuestFault(addr + done);
            if ((v.everProt & 2) == 0 && !engines.isEmpty()) {
                // The kernel wrote into code (ptrace-like access): it no longer holds its file's bytes.
                Vma w = v.written();
                vmas.put(w.start, w);
                lastHit = null;
                v = w;
            }
            long chunk = Math.min(n - done, v.end - (addr + done));
            MemorySegment.copy(src, done, v.host, addr + done - v.start, chunk);
            done += chunk;
        }
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        copyOut(addr, MemorySegment.ofArray(b), false);
        return b;
    }

    public void writeBytes(long addr, byte[] data) {
        copyIn(addr, MemorySegment.ofArray(data), true);
    }

    public long readLong(long addr) {
        MemorySegment s = direct(addr, 8, 1);
        if (s != null) return s.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        byte[] b = read(addr, 8);
        return MemorySegment.ofArray(b).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    public int readInt(long addr) {
        MemorySegment s = direct(addr, 4, 1);
        if (s != null) return s.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        byte[] b = read(addr, 4);
        return MemorySegment.ofArray(b).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    public void writeLong(long addr, long value) {
        MemorySegment s = direct(addr, 8, 2);
        if (s != null) s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        else {
            byte[] b = new byte[8];
            MemorySegment.ofArray(b).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
            writeBytes(addr, b);
        }
    }

    public void writeInt(long addr, int value) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
        writeBytes(addr, b);
    }

    /** A NUL-terminated guest string of at most max bytes (without the NUL); GuestFault if unterminated in mapped memory. */
    public synchronized byte[] readCString(long addr, int max) {
        byte[] out = new byte[Math.min(max, 256)];
        int n = 0;
        long p = addr;
        while (n < max) {
            Vma v = vmaAt(p);
            if (v == null || (readable(v.prot) & 1) == 0) throw new GuestFault(p);
            long avail = Math.min(v.end - p, max - n);
            MemorySegment seg = v.host.asSlice(p - v.start, avail);
            long zero = indexOfZero(seg);
            int take = (int) (zero >= 0 ? zero : avail);
            if (n + take > out.length) out = Arrays.copyOf(out, (int) Math.min(max, Math.max(2L * out.length, (long) n + take)));
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, out, n, take);
            n += take;
            if (zero >= 0) return Arrays.copyOf(out, n);
            p += avail;
        }
        return null; // too long
    }

    /** Where s's first zero byte is, or -1: eight bytes at a time (every path a syscall names passes here). */
    private static long indexOfZero(MemorySegment s) {
        long len = s.byteSize(), i = 0;
        for (; i + 8 <= len; i += 8) {
            long w = s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            // Nonzero exactly when some byte of w is zero; its lowest set bit marks the first such byte.
            long found = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < len; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) == 0) return i;
        }
        return -1;
    }

    public String readString(long addr, int max) {
        byte[] b = readCString(addr, max);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * One mapping as /proc/PID/maps shows it: flags are the mmap flags it was made with, file is
     * null for anonymous memory.
     */
    public record Mapping(long start, long end, int prot, boolean shared, String name, int flags, FileIdentity file) {}

    /** The mappings in address order, for /proc. */
    public synchronized List<Mapping> layout() {
        List<Mapping> out = new ArrayList<>();
        for (Vma v : vmas.values()) {
            out.add(new Mapping(v.start, v.end, v.prot, (v.flags & MAP_SHARED) != 0, v.name, v.flags, v.file));
        }
        return out;
    }

    /** Bytes of [start, end) the host holds in RAM (smaps' Rss); the range is one mapping from layout(). */
    public synchronized long residentBytes(long start, long end) {
        long pages = 0;
        for (Vma v : overlapping(start, end)) {
            long from = Math.max(start, v.start), to = Math.min(end, v.end);
            pages += HostMemory.residentPages(v.host.asSlice(from - v.start, to - from));
        }
        return pages * PAGE;
    }

    /** Names the mappings inside [start, end) (the loaded program's path, for /proc/PID/maps). */
    public synchronized void name(long start, long end, String name) {
        for (Vma v : overlapping(start, end)) {
            if (v.start >= start && v.end <= end && v.name.isEmpty()) vmas.put(v.start, v.withName(name, v.file));
        }
        lastHit = null;
    }

    /**
     * Records that [start, end) holds the file `name` from `file.offset()` on (an ELF segment the
     * loader copied in): maps then shows the offset, device and inode as for a file mapping.
     */
    public synchronized void nameFile(long start, long end, String name, FileIdentity file) {
        for (Vma v : overlapping(start, end)) splitAt(v, start, end);
        for (Vma v : overlapping(start, end)) vmas.put(v.start, v.withName(name, file.advancedBy(v.start - start)));
        lastHit = null;
    }

    public byte[] savedAuxv() {
        return savedAuxv.clone();
    }

    public void saveAuxv(byte[] auxv) {
        savedAuxv = auxv.clone();
    }

    /** Bytes of guest memory the host holds in RAM (VmRSS). */
    public synchronized long residentBytes() {
        long pages = 0;
        for (Vma v : vmas.values()) pages += HostMemory.residentPages(v.host);
        return pages * PAGE;
    }

    /** The program break's range, for /proc/PID/stat. */
    public synchronized long[] brkRange() {
        return new long[] {brkStart, brk};
    }

    /** Releases every mapping (exit/exec). */
    public synchronized void destroy() {
        if (reserved != null) {
            // A forked child that never ran: the kept engine goes, and with it the code it lent.
            for (ParkedRegion r : reserved.regions.values()) {
                Vma v = vmas.get(r.start());
                if (v != null && v.host.address() == r.host().address()) vmas.remove(r.start());
            }
            reserved.close();
            reserved = null;
        }
        for (Vma v : new ArrayList<>(vmas.values())) {
            engines.unmap(v.start, v.length(), v.prot, v.everExecutable(), v.host.address(), (v.flags & MAP_SHARED) == 0);
        }
        vmas.clear();
        engines.clear();
        lastHit = null;
    }

    /** Whether the mapping at start is host memory whose first byte is at hostAddress (a System V shm attach still in place). */
    public synchronized boolean mapsHostAt(long start, long hostAddress) {
        Vma v = vmaAt(start);
        return v != null && v.host.address() + (start - v.start) == hostAddress;
    }

    /** Whether the guest has anything mapped at addr (a fault there is SEGV_ACCERR, elsewhere SEGV_MAPERR). */
    public synchronized boolean isMapped(long addr) {
        return vmaAt(addr) != null;
    }

    // ---- internals ----

    private Vma vmaAt(long addr) {
        Vma h = lastHit;
        if (h != null && addr >= h.start && addr < h.end) return h;
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null || addr >= e.getValue().end) return null;
        lastHit = e.getValue();
        return lastHit;
    }

    private boolean isFree(long addr, long len) {
        if (addr < MMAP_MIN || addr + len > TASK_SIZE || addr + len < addr) return false;
        Map.Entry<Long, Vma> below = vmas.floorEntry(addr);
        if (below != null && below.getValue().end > addr) return false;
        Map.Entry<Long, Vma> above = vmas.ceilingEntry(addr);
        return above == null || above.getKey() >= addr + len;
    }

    private boolean isFullyMapped(long addr, long len) {
        long p = addr, end = addr + len;
        while (p < end) {
            Vma v = vmaAt(p);
            if (v == null) return false;
            p = v.end;
        }
        return true;
    }

    private long findTopDown(long len) {
        long top = MMAP_BASE;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start >= top) continue;
            if (top - Math.max(v.end, MMAP_MIN) >= len) return top - len;
            top = v.start;
        }
        return top - MMAP_MIN >= len ? top - len : -1;
    }

    private List<Vma> overlapping(long start, long end) {
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.floorEntry(start);
        long from = first != null && first.getValue().end > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) {
            if (v.end > start && v.start < end) out.add(v);
        }
        return out;
    }

    /** Splits v so that no mapping crosses start or end; the engines' views are unchanged. */
    private void splitAt(Vma v, long start, long end) {
        List<Vma> parts = new ArrayList<>();
        long a = v.start;
        for (long cut : new long[] {start, end}) {
            if (cut > a && cut < v.end) {
                parts.add(v.slice(a, cut));
                a = cut;
            }
        }
        if (parts.isEmpty()) return;
        parts.add(v.slice(a, v.end));
        vmas.remove(v.start);
        for (Vma p : parts) vmas.put(p.start, p);
        lastHit = null;
    }

    /**
     * Unmaps [addr, addr+len). replacing: a new mapping of exactly this range follows at once
     * (mmap over mapped memory), so each private part stays parked for it to take over; ld.so
     * maps a library whole, then each segment over it. Translated file code is parked in any
     * case: it often comes back at the same place.
     */
    private void unmapRange(long addr, long len, boolean replacing) {
        long end = addr + len;
        for (Vma v : overlapping(addr, end)) splitAt(v, addr, end);
        TreeMap<Long, ParkedRegion> parked = engines.ownParked();
        for (Vma v : overlapping(addr, end)) {
            vmas.remove(v.start);
            if (parked != null && (v.keepsTranslatedFileCode() || replacing && v.keepable())) {
                engines.parkOwn(parked(v));
                continue;
            }
            // MAP_SHARED memory may be mapped by a forked process too; it is reclaimed with the JVM.
            engines.unmap(v.start, v.length(), v.prot, v.everExecutable(), v.host.address(), (v.flags & MAP_SHARED) == 0);
        }
        lastHit = null;
    }

    private void noteSharedCode(List<Vma> parts) {
        for (Vma v : parts) {
            if ((v.flags & MAP_SHARED) != 0 && v.file != null) sharedFileCode = true;
            if (isSharedFileCode(v)) CodeAliases.executableShared(this, v);
        }
    }

    private static boolean isSharedFileCode(Vma v) {
        return (v.flags & MAP_SHARED) != 0 && v.file != null && (v.prot & PROT_EXEC) != 0;
    }

    /** Whether writes to files must call {@link #fileWritten} (some shared file mapping was executable). */
    public static boolean fileCodeMayChange() {
        return sharedFileCode;
    }

    /**
     * The file (dev, inode) was written through a descriptor: the executable MAP_SHARED mappings
     * of it show the new bytes at once (they share the host's page cache), so their translated
     * code is dropped, in every engine of this address space before it next runs guest code.
     */
    public synchronized void fileWritten(long dev, long inode) {
        for (Vma v : vmas.values()) {
            if ((v.flags & MAP_SHARED) != 0 && v.everExecutable() && v.file != null
                    && v.file.dev() == dev && v.file.inode() == inode) {
                engines.invalidate(v.start, v.length());
            }
        }
    }

    /**
     * The guest thread running writer stored into executable memory (JIT code in RWX pages):
     * Unicorn dropped that engine's translations of the page itself, the other engines of this
     * address space drop theirs before they next run guest code.
     */
    public void codeWritten(Engine writer, long address, long size) {
        FileIdentity alias = codeWrittenHere(writer, address, size);
        if (alias != null) CodeAliases.written(alias, size, writer);
    }

    /** The same-address part of codeWritten; returns the file part stored to when other views of it may run it. */
    private synchronized FileIdentity codeWrittenHere(Engine writer, long address, long size) {
        if (engines.size() >= 2) {
            long from = pageDown(address);
            engines.invalidateOthers(writer, from, pageUp(address + size) - from);
        }
        Vma v = vmaAt(address);
        if (v == null || (v.flags & MAP_SHARED) == 0 || !CodeAliases.isCodeFile(v.file)) return null;
        return v.file.advancedBy(address - v.start);
    }

    /**
     * Guest code stored to bytes [offset, offset+length) of file (dev, inode) through some view
     * of it (CodeAliases): this address space's executable shared views of those bytes drop
     * their translations, writer's engine at once since it may run them without leaving guest
     * code, the others before they next run guest code.
     */
    synchronized void fileCodeStored(long dev, long inode, long offset, long length, Engine writer) {
        for (Vma v : vmas.values()) {
            if (!isSharedFileCode(v) || v.file.dev() != dev || v.file.inode() != inode) continue;
            long from = Math.max(offset, v.file.offset()), to = Math.min(offset + length, v.file.offset() + v.length());
            if (from >= to) continue;
            long start = pageDown(v.start + (from - v.file.offset()));
            engines.invalidateAll(writer, start, pageUp(v.start + (to - v.file.offset())) - start);
        }
    }

    /** The engine that last took the process's CPU while threads take turns (see turnTakenBy). */
    private Engine lastTurn;

    /**
     * Threads taking turns on a Unicorn without lxrun's code-write callback (patch 0005, i.e.
     * Debian's): the engine taking the CPU from another engine of this address space drops its
     * translations of writable and executable memory, where the other may have stored new code
     * (smc_thread.c's JIT pattern ran the stale version every round). The own build is told of
     * each such store instead (codeWritten), so callers skip this there.
     */
    public synchronized void turnTakenBy(Engine e) {
        Engine before = lastTurn;
        lastTurn = e;
        if (before == null || before == e) return;
        for (Vma v : vmas.values()) {
            if ((v.prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC)) engines.invalidateOne(e, v.start, v.length());
        }
    }

    private void insert(Vma v) {
        if ((v.flags & MAP_SHARED) != 0 && v.file != null) CodeAliases.mappedShared(v);
        if ((v.prot & PROT_EXEC) != 0) noteSharedCode(List.of(v));
        vmas.put(v.start, v);
        lastHit = null;
        TreeMap<Long, ParkedRegion> parked = engines.ownParked();
        if (parked != null) mirror(engines.soleEngine(), parked, v);
        else engines.map(v.start, v.length(), v.prot, v.host);
    }
}
