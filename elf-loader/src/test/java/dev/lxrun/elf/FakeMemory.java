package dev.lxrun.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A page-granular in-memory MemoryTarget that records protections, for loader tests. */
final class FakeMemory implements MemoryTarget {
    final TreeMap<Long, byte[]> pages = new TreeMap<>();
    final TreeMap<Long, Integer> prot = new TreeMap<>();
    /** The image's file, when this memory maps files as the kernel's does; else the loader copies. */
    byte[] file;
    /** Every mapFile call: {addr, length, fileOffset}. */
    final List<long[]> fileMaps = new ArrayList<>();

    @Override
    public boolean mapFile(long addr, long length, long fileOffset) {
        if (file == null) return false;
        map(addr, length, PROT_READ | PROT_WRITE);
        for (long i = 0; i < length && fileOffset + i < file.length; i++) page(addr + i)[(int) ((addr + i) & 4095)] = file[(int) (fileOffset + i)];
        fileMaps.add(new long[] {addr, length, fileOffset});
        return true;
    }

    @Override
    public void map(long addr, long length, int p) {
        if ((addr & 4095) != 0 || (length & 4095) != 0) throw new IllegalArgumentException("unaligned map");
        for (long a = addr; a < addr + length; a += 4096) {
            if (pages.containsKey(a)) throw new IllegalStateException("page mapped twice: 0x" + Long.toHexString(a));
            pages.put(a, new byte[4096]);
            prot.put(a, p);
        }
    }

    @Override
    public void write(long addr, byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) page(addr + i)[(int) ((addr + i) & 4095)] = data[offset + i];
    }

    @Override
    public void protect(long addr, long length, int p) {
        for (long a = addr; a < addr + length; a += 4096) {
            page(a);
            prot.put(a, p);
        }
    }

    @Override
    public long findFree(long hint, long length) {
        return hint != 0 ? hint : 0x7f0000000000L;
    }

    byte[] page(long addr) {
        byte[] p = pages.get(addr & -4096L);
        if (p == null) throw new IllegalStateException("unmapped 0x" + Long.toHexString(addr));
        return p;
    }

    long readLong(long addr) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (page(addr + i)[(int) ((addr + i) & 4095)] & 0xff);
        return v;
    }

    String readString(long addr) {
        StringBuilder sb = new StringBuilder();
        for (long a = addr; ; a++) {
            byte b = page(a)[(int) (a & 4095)];
            if (b == 0) return sb.toString();
            sb.append((char) (b & 0xff));
        }
    }
}
