package dev.lxrun.elf;

import dev.lxrun.elf.ElfException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated ELF64 x86-64 executable: the header fields the loader needs and its program
 * headers. Parsing checks everything Linux's binfmt_elf checks before committing to an exec,
 * so a bad file is refused with a reason before any memory is touched.
 */
public final class ElfFile {
    public enum ElfType { EXEC, DYN }

    public static final int EM_X86_64 = 62;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int MAX_PHNUM = 65536 / PHDR_SIZE;

    private final ElfType type;
    private final long entry;
    private final long phoff;
    private final int phentsize;
    private final List<ProgramHeader> programHeaders;
    private final String interpreter;
    private final boolean executableStack;

    private ElfFile(ElfType type, long entry, long phoff, int phentsize, List<ProgramHeader> phdrs,
                    String interpreter, boolean executableStack) {
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.phentsize = phentsize;
        this.programHeaders = List.copyOf(phdrs);
        this.interpreter = interpreter;
        this.executableStack = executableStack;
    }

    public static ElfFile parse(byte[] image) throws ElfException {
        return parse(image, image.length);
    }

    /**
     * How many leading bytes of a file starting with head, fileLength bytes long, parse needs:
     * the ELF header, the program headers and the interpreter's path. At most fileLength; the
     * whole file when head does not say (too short to tell, or not ELF).
     */
    public static long headBytesNeeded(byte[] head, long fileLength) {
        if (head.length < EHDR_SIZE || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') return fileLength;
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(32);
        int phnum = b.getShort(56) & 0xffff;
        long need = Math.max(EHDR_SIZE, phoff + (long) phnum * PHDR_SIZE);
        if (phoff < 0 || need > fileLength) return fileLength;
        if (need > head.length) return need;
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * PHDR_SIZE);
            if (b.getInt(o) != ProgramHeader.PT_INTERP) continue;
            long end = b.getLong(o + 8) + b.getLong(o + 32);
            if (b.getLong(o + 8) < 0 || end < 0 || end > fileLength) return fileLength;
            need = Math.max(need, end);
        }
        return need;
    }

    /**
     * Parses the headers of a fileLength-byte file from its first bytes, which must hold at
     * least {@link #headBytesNeeded} of them; segments are checked against the whole length.
     */
    public static ElfFile parse(byte[] image, long fileLength) throws ElfException {
        if (image.length < 4 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw new ElfException(Reason.NOT_ELF, "not an ELF executable (Exec format error)");
        }
        if (image.length < 20) throw truncated();
        if (image[4] == 1) {
            throw new ElfException(Reason.WRONG_CLASS, "32-bit ELF (" + machineName(le16(image, 18)) + "); lxrun runs x86-64 programs only");
        }
        if (image[4] != 2) throw new ElfException(Reason.MALFORMED, "ELF file with an invalid class byte");
        if (image[5] != 1) {
            throw new ElfException(Reason.WRONG_ENDIAN, "big-endian ELF (" + machineName(be16(image, 18)) + "); lxrun runs x86-64 programs only");
        }
        if (image[6] != 1) throw new ElfException(Reason.MALFORMED, "ELF file with an unknown version");
        int machine = le16(image, 18);
        if (machine != EM_X86_64) {
            throw new ElfException(Reason.WRONG_MACHINE, "ELF for " + machineName(machine) + ", not x86-64");
        }
        if (image.length < EHDR_SIZE) throw truncated();
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int etype = b.getShort(16) & 0xffff;
        ElfType type = switch (etype) {
            case 2 -> ElfType.EXEC;
            case 3 -> ElfType.DYN;
            case 1 -> throw new ElfException(Reason.NOT_EXECUTABLE, "relocatable object file, not an executable");
            case 4 -> throw new ElfException(Reason.NOT_EXECUTABLE, "core dump, not an executable");
            default -> throw new ElfException(Reason.NOT_EXECUTABLE, "ELF file of unknown type " + etype);
        };
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phentsize != PHDR_SIZE) throw new ElfException(Reason.MALFORMED, "ELF program header size " + phentsize + " is not 56");
        if (phnum == 0 || phnum > MAX_PHNUM) throw new ElfException(Reason.MALFORMED, "ELF file with " + phnum + " program headers");
        if (phoff < 0 || phoff + (long) phnum * phentsize > fileLength) throw truncated();
        if (phoff + (long) phnum * phentsize > image.length) throw new IllegalArgumentException("program headers past the bytes given");

        List<ProgramHeader> phdrs = new ArrayList<>(phnum);
        String interpreter = null;
        boolean execStack = false;
        boolean anyLoad = false;
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            ProgramHeader ph = new ProgramHeader(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16),
                    b.getLong(o + 32), b.getLong(o + 40), b.getLong(o + 48));
            phdrs.add(ph);
            switch (ph.type()) {
                case ProgramHeader.PT_LOAD -> {
                    anyLoad = true;
                    if (ph.filesz() > ph.memsz()) throw new ElfException(Reason.MALFORMED, "ELF segment with file size above memory size");
                    if (ph.offset() < 0 || ph.filesz() < 0 || ph.offset() + ph.filesz() > fileLength) throw truncated();
                    if (ph.memsz() < 0 || ph.vaddr() + ph.memsz() < ph.vaddr()) throw new ElfException(Reason.MALFORMED, "ELF segment wraps the address space");
                    if (((ph.vaddr() - ph.offset()) & 4095) != 0) {
                        throw new ElfException(Reason.MALFORMED, "ELF segment whose address and file offset differ modulo the page size");
                    }
                }
                case ProgramHeader.PT_INTERP -> {
                    if (interpreter != null) throw new ElfException(Reason.MALFORMED, "ELF file with two PT_INTERP headers");
                    if (ph.filesz() < 2 || ph.filesz() > 4096) throw new ElfException(Reason.MALFORMED, "ELF interpreter path of bad length");
                    if (ph.offset() < 0 || ph.offset() + ph.filesz() > fileLength) throw truncated();
                    if (ph.offset() + ph.filesz() > image.length) throw new IllegalArgumentException("interpreter path past the bytes given");
                    int start = (int) ph.offset();
                    int len = (int) ph.filesz();
                    if (image[start + len - 1] != 0) throw new ElfException(Reason.MALFORMED, "ELF interpreter path not NUL-terminated");
                    interpreter = new String(image, start, len - 1, StandardCharsets.UTF_8);
                }
                case ProgramHeader.PT_GNU_STACK -> execStack = (ph.flags() & ProgramHeader.PF_X) != 0;
                default -> { }
            }
        }
        if (!anyLoad) throw new ElfException(Reason.MALFORMED, "ELF file with nothing to load (no PT_LOAD segment)");
        return new ElfFile(type, entry, phoff, phentsize, phdrs, interpreter, execStack);
    }

    private static ElfException truncated() {
        return new ElfException(Reason.TRUNCATED, "truncated ELF file");
    }

    private static int le16(byte[] a, int o) {
        return a.length < o + 2 ? -1 : (a[o] & 0xff) | (a[o + 1] & 0xff) << 8;
    }

    private static int be16(byte[] a, int o) {
        return a.length < o + 2 ? -1 : (a[o] & 0xff) << 8 | (a[o + 1] & 0xff);
    }

    static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "i386";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "s390";
            case 40 -> "ARM";
            case 42 -> "SuperH";
            case 43 -> "SPARC v9";
            case 50 -> "IA-64";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "machine " + machine;
        };
    }

    public ElfType type() { return type; }
    public long entry() { return entry; }
    public long phoff() { return phoff; }
    public int phentsize() { return phentsize; }
    public int phnum() { return programHeaders.size(); }
    public List<ProgramHeader> programHeaders() { return programHeaders; }
    /** The PT_INTERP path (the dynamic loader) if the program has one. */
    public Optional<String> interpreter() { return Optional.ofNullable(interpreter); }
    /** ET_DYN without an interpreter: relocates itself. */
    public boolean isStaticPie() { return type == ElfType.DYN && interpreter == null; }
    /** PT_GNU_STACK asks for an executable stack. */
    public boolean executableStack() { return executableStack; }

    /** The lowest page-aligned address and the end of the highest segment, before bias. */
    public long[] loadSpan() {
        long lo = Long.MAX_VALUE, hi = 0;
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() != ProgramHeader.PT_LOAD) continue;
            lo = Math.min(lo, ph.vaddr() & -4096L);
            hi = Math.max(hi, ph.vaddr() + ph.memsz());
        }
        return new long[] {lo, (hi + 4095) & -4096L};
    }
}
