package dev.lxrun.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Maps an ELF image's PT_LOAD segments into a {@link MemoryTarget} the way binfmt_elf does:
 * page-granular mappings, file bytes copied in, the rest of each segment zero (bss), and final
 * protections from the segment flags. Where two segments share a page, the page gets both
 * segments' permissions, as the kernel's overlapping mmaps would give it.
 */
public final class ElfLoader {
    private static final long PAGE = 4096;

    private ElfLoader() {}

    /** The load bias for an ET_DYN image: at preferredBase if free (0 means anywhere). */
    public static long chooseBias(ElfFile elf, MemoryTarget mem, long preferredBase) throws ElfException {
        long[] span = elf.loadSpan();
        long length = span[1] - span[0];
        long at = mem.findFree(preferredBase, length);
        if (at < 0) throw new ElfException(ElfException.Reason.MALFORMED, "no room in the address space for a " + length + "-byte image");
        return at - span[0];
    }

    public static LoadedImage load(ElfFile elf, byte[] image, MemoryTarget mem, long bias) throws ElfException {
        List<ProgramHeader> loads = loads(elf);
        // Boundaries of every segment's page range; between two consecutive boundaries the set of
        // covering segments is constant, so each piece gets one protection.
        TreeSet<Long> cuts = new TreeSet<>();
        for (ProgramHeader ph : loads) {
            cuts.add(pageDown(bias + ph.vaddr()));
            cuts.add(pageUp(bias + ph.vaddr() + ph.memsz()));
        }
        record Piece(long start, long end, int prot) {}
        List<Piece> pieces = new ArrayList<>();
        Long prev = null;
        for (long cut : cuts) {
            if (prev != null) {
                int prot = -1;
                for (ProgramHeader ph : loads) {
                    long s = pageDown(bias + ph.vaddr()), e = pageUp(bias + ph.vaddr() + ph.memsz());
                    if (s < cut && e > prev) prot = (prot < 0 ? 0 : prot) | ph.prot();
                }
                if (prot >= 0) pieces.add(new Piece(prev, cut, prot));
            }
            prev = cut;
        }
        int rw = MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE;
        for (Piece p : pieces) {
            if (p.start() < 0 || p.end() <= p.start()) throw new ElfException(ElfException.Reason.MALFORMED, "ELF segment outside the address space");
        }
        if (pagesDisjoint(loads, bias)) {
            for (ProgramHeader ph : loads) mapSegment(ph, image, mem, bias);
        } else {
            // A page two segments share gets both segments' bytes, and both permissions.
            for (Piece p : pieces) mem.map(p.start(), p.end() - p.start(), rw);
            for (ProgramHeader ph : loads) {
                copyFileBytes(ph, image, mem, bias);
            }
        }
        for (Piece p : pieces) {
            if (p.prot() != rw) mem.protect(p.start(), p.end() - p.start(), p.prot());
        }

        long low = pieces.getFirst().start();
        long high = 0;
        for (ProgramHeader ph : loads) high = Math.max(high, bias + ph.vaddr() + ph.memsz());
        return new LoadedImage(bias, bias + elf.entry(), phdrAddress(elf, bias), elf.phnum(), elf.phentsize(), low, high);
    }

    /**
     * Whether load copies file bytes out of the image it is given rather than asking the target
     * to map the file: when two segments share a page.
     */
    public static boolean copiesFileBytes(ElfFile elf) {
        return !pagesDisjoint(loads(elf), 0);
    }

    /** The PT_LOAD segments that take memory. */
    private static List<ProgramHeader> loads(ElfFile elf) {
        List<ProgramHeader> loads = new ArrayList<>();
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ProgramHeader.PT_LOAD && ph.memsz() > 0) loads.add(ph);
        }
        return loads;
    }

    /** Whether no page holds parts of two segments (what a linker gives unless told to pack them). */
    private static boolean pagesDisjoint(List<ProgramHeader> loads, long bias) {
        List<ProgramHeader> sorted = new ArrayList<>(loads);
        sorted.sort((a, b) -> Long.compareUnsigned(a.vaddr(), b.vaddr()));
        for (int i = 1; i < sorted.size(); i++) {
            ProgramHeader prev = sorted.get(i - 1), next = sorted.get(i);
            if (pageUp(bias + prev.vaddr() + prev.memsz()) > pageDown(bias + next.vaddr())) return false;
        }
        return true;
    }

    /**
     * One segment as binfmt_elf maps it: the file's pages privately, then zeros from the end of
     * the file's part to the end of its page when the segment has a bss, and anonymous pages for
     * the rest of the bss. Without a file mapping, the file's bytes are copied into fresh memory.
     */
    private static void mapSegment(ProgramHeader ph, byte[] image, MemoryTarget mem, long bias) {
        int rw = MemoryTarget.PROT_READ | MemoryTarget.PROT_WRITE;
        long start = pageDown(bias + ph.vaddr());
        long fileEnd = bias + ph.vaddr() + ph.filesz();
        long filePagesEnd = ph.filesz() > 0 ? pageUp(fileEnd) : start;
        long memEnd = pageUp(bias + ph.vaddr() + ph.memsz());
        if (ph.filesz() > 0) {
            if (mem.mapFile(start, filePagesEnd - start, pageDown(ph.offset()))) {
                if (ph.memsz() > ph.filesz() && filePagesEnd > fileEnd) {
                    mem.write(fileEnd, new byte[(int) (filePagesEnd - fileEnd)], 0, (int) (filePagesEnd - fileEnd));
                }
            } else {
                mem.map(start, filePagesEnd - start, rw);
                copyFileBytes(ph, image, mem, bias);
            }
        }
        if (memEnd > filePagesEnd) mem.map(filePagesEnd, memEnd - filePagesEnd, rw);
    }

    /** The segment's bytes the file holds (the whole file is in image); past its end the memory stays zero. */
    private static void copyFileBytes(ProgramHeader ph, byte[] image, MemoryTarget mem, long bias) {
        if (ph.filesz() <= 0 || ph.offset() >= image.length) return;
        int n = (int) Math.min(ph.filesz(), image.length - ph.offset());
        mem.write(bias + ph.vaddr(), image, (int) ph.offset(), n);
    }

    /** Where the program headers are in memory: PT_PHDR, else the PT_LOAD that holds e_phoff. */
    private static long phdrAddress(ElfFile elf, long bias) {
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ProgramHeader.PT_PHDR) return bias + ph.vaddr();
        }
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ProgramHeader.PT_LOAD && elf.phoff() >= ph.offset()
                    && elf.phoff() + (long) elf.phnum() * elf.phentsize() <= ph.offset() + ph.filesz()) {
                return bias + ph.vaddr() + (elf.phoff() - ph.offset());
            }
        }
        return 0;
    }

    private static long pageDown(long x) { return x & -PAGE; }

    private static long pageUp(long x) { return (x + PAGE - 1) & -PAGE; }
}
