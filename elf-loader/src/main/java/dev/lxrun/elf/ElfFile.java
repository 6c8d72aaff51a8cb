package dev.lxrun.elf;

import dev.lxrun.elf.ElfException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** load_elf_phdrs reads at most 64 KiB of program headers (Linux 6.18; older kernels one page). */
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
            // only the first counts, and only a path of sane length is read
            long len = b.getLong(o + 32), end = b.getLong(o + 8) + len;
            if (len >= 2 && len <= 4096 && b.getLong(o + 8) >= 0 && end > 0 && end <= fileLength) need = Math.max(need, end);
            break;
        }
        return need;
    }

    /**
     * Parses the headers of a fileLength-byte file from its first bytes, which must hold at
     * least {@link #headBytesNeeded} of them, with the checks load_elf_binary makes before its
     * point of no return and in its order: magic, type, machine (the class, data and version
     * bytes are not looked at, as on Linux), program header size and count (at most 64 KiB of
     * them), then the first PT_INTERP. What Linux finds wrong only while mapping (after the
     * point of no return, so that the process dies of SIGSEGV) is {@link #loadProblem}.
     */
    public static ElfFile parse(byte[] image, long fileLength) throws ElfException {
        return parse(image, fileLength, false);
    }

    /**
     * The same for the dynamic loader a program names (load_elf_binary's interpreter checks):
     * a bad magic, machine or program header table is ELIBBAD, a file too short for an ELF
     * header a read error, and its type is checked only while loading.
     */
    public static ElfFile parseInterpreter(byte[] image, long fileLength) throws ElfException {
        return parse(image, fileLength, true);
    }

    private static ElfFile parse(byte[] image, long fileLength, boolean interp) throws ElfException {
        if (image.length < 4 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            if (interp && fileLength < EHDR_SIZE) throw new ElfException(Reason.READ_FAILED, "dynamic loader shorter than an ELF header");
            if (interp) throw new ElfException(Reason.BAD_INTERPRETER, "dynamic loader is not an ELF file");
            throw new ElfException(Reason.NOT_ELF, "not an ELF executable (Exec format error)");
        }
        // binprm's buffer is zero past the end of a short file; the interpreter's header is one read that must be whole.
        if (interp && fileLength < EHDR_SIZE) throw new ElfException(Reason.READ_FAILED, "dynamic loader shorter than an ELF header");
        // Linux reads a short file's header as zeros past its end, and refuses it (ENOEXEC) for its type
        if (fileLength < EHDR_SIZE) throw truncated();
        byte[] h = image.length >= EHDR_SIZE ? image : Arrays.copyOf(image, EHDR_SIZE);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        int etype = b.getShort(16) & 0xffff;
        ElfType type = etype == 2 ? ElfType.EXEC : etype == 3 ? ElfType.DYN : null;
        if (type == null && !interp) {
            throw switch (etype) {
                case 1 -> new ElfException(Reason.NOT_EXECUTABLE, "relocatable object file, not an executable");
                case 4 -> new ElfException(Reason.NOT_EXECUTABLE, "core dump, not an executable");
                default -> new ElfException(Reason.NOT_EXECUTABLE, "ELF file of unknown type " + etype);
            };
        }
        int machine = le16(h, 18);
        if (machine != EM_X86_64) {
            if (interp) throw new ElfException(Reason.BAD_INTERPRETER, "dynamic loader for " + machineName(machine) + ", not x86-64");
            if (h[4] == 1) {
                throw new ElfException(Reason.WRONG_CLASS, "32-bit ELF (" + machineName(machine) + "); lxrun runs x86-64 programs only");
            }
            if (h[5] == 2) {
                throw new ElfException(Reason.WRONG_ENDIAN, "big-endian ELF (" + machineName(be16(h, 18)) + "); lxrun runs x86-64 programs only");
            }
            throw new ElfException(Reason.WRONG_MACHINE, "ELF for " + machineName(machine) + ", not x86-64");
        }
        Reason badTable = interp ? Reason.BAD_INTERPRETER : Reason.MALFORMED;
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        if (phentsize != PHDR_SIZE) throw new ElfException(badTable, "ELF program header size " + phentsize + " is not 56");
        if (phnum == 0 || phnum > MAX_PHNUM) throw new ElfException(badTable, "ELF file with " + phnum + " program headers");
        if (phoff < 0 || phoff + (long) phnum * phentsize > fileLength) {
            throw interp ? new ElfException(Reason.BAD_INTERPRETER, "dynamic loader's program headers past its end") : truncated();
        }
        if (phoff + (long) phnum * phentsize > image.length) throw new IllegalArgumentException("program headers past the bytes given");

        List<ProgramHeader> phdrs = new ArrayList<>(phnum);
        String interpreter = null;
        boolean execStack = false;
        ByteBuffer t = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * phentsize);
            ProgramHeader ph = new ProgramHeader(t.getInt(o), t.getInt(o + 4), t.getLong(o + 8), t.getLong(o + 16),
                    t.getLong(o + 32), t.getLong(o + 40), t.getLong(o + 48));
            phdrs.add(ph);
            if (interp) continue; // a loader's own PT_INTERP and PT_GNU_STACK are not looked at
            if (ph.type() == ProgramHeader.PT_INTERP && interpreter == null) interpreter = interpreterPath(image, fileLength, ph);
            else if (ph.type() == ProgramHeader.PT_GNU_STACK) execStack = (ph.flags() & ProgramHeader.PF_X) != 0;
        }
        return new ElfFile(type, entry, phoff, phentsize, phdrs, interpreter, execStack);
    }

    /**
     * The first PT_INTERP's path as Linux reads it: 2 to PATH_MAX bytes, read whole (a bad
     * offset is the read's EINVAL, a short read EIO), NUL-terminated; the path ends at its first NUL.
     */
    private static String interpreterPath(byte[] image, long fileLength, ProgramHeader ph) throws ElfException {
        if (Long.compareUnsigned(ph.filesz(), 4096) > 0 || ph.filesz() < 2) throw new ElfException(Reason.MALFORMED, "ELF interpreter path of bad length");
        if (ph.offset() < 0 || ph.offset() + ph.filesz() < 0) throw new ElfException(Reason.BAD_OFFSET, "ELF interpreter path at a bad file offset");
        if (ph.offset() + ph.filesz() > fileLength) throw new ElfException(Reason.READ_FAILED, "ELF interpreter path past the end of the file");
        if (ph.offset() + ph.filesz() > image.length) throw new IllegalArgumentException("interpreter path past the bytes given");
        int start = (int) ph.offset();
        int len = (int) ph.filesz();
        if (image[start + len - 1] != 0) throw new ElfException(Reason.MALFORMED, "ELF interpreter path not NUL-terminated");
        int nul = start;
        while (image[nul] != 0) nul++;
        return new String(image, start, nul - start, StandardCharsets.UTF_8);
    }

    /**
     * Why mapping this image fails on Linux after the point of no return (load_elf_binary's and
     * load_elf_interp's mapping loop), or null: a loader of a type that is not executable, no
     * PT_LOAD, a segment whose file offset and address differ modulo the page size (mmap's
     * EINVAL), whose file offset is beyond any file (EOVERFLOW), whose file size exceeds its
     * memory size, or which ends beyond taskSize; or an entry point beyond taskSize.
     */
    public String loadProblem(long taskSize) {
        if (type == null) return "dynamic loader that is not an executable";
        boolean anyLoad = false;
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() != ProgramHeader.PT_LOAD) continue;
            anyLoad = true;
            if (ph.filesz() != 0) {
                if (((ph.vaddr() - ph.offset()) & 4095) != 0) return "ELF segment whose address and file offset differ modulo the page size";
                long off = ph.offset() - (ph.vaddr() & 4095);
                long len = ((ph.vaddr() & 4095) + ph.filesz() + 4095) & -4096L;
                if (off < 0 || len <= 0 || off > Long.MAX_VALUE - len) return "ELF segment at a file offset beyond any file";
            }
            if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) return "ELF segment with file size above memory size";
            if (Long.compareUnsigned(ph.memsz(), taskSize) > 0 || (type == ElfType.EXEC && Long.compareUnsigned(ph.vaddr(), taskSize - ph.memsz()) > 0)) {
                return "ELF segment beyond the user address space";
            }
        }
        if (!anyLoad) return "ELF file with nothing to load (no PT_LOAD segment)";
        if (type == ElfType.EXEC && Long.compareUnsigned(entry, taskSize) >= 0) return "ELF entry point beyond the user address space";
        return null;
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
