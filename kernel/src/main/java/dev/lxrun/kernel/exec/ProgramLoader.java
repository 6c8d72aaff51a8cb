package dev.lxrun.kernel.exec;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.lxrun.cpu.HostMemory;
import dev.lxrun.elf.Auxv;
import dev.lxrun.elf.ElfException;
import dev.lxrun.elf.ElfFile;
import dev.lxrun.elf.ElfLoader;
import dev.lxrun.elf.InitialStack;
import dev.lxrun.elf.LoadedImage;
import dev.lxrun.elf.MemoryTarget;
import dev.lxrun.elf.ProgramHeader;
import dev.lxrun.kernel.Credentials;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.syscalls.Errno;
import dev.lxrun.vfs.host.HostPosix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel side of execve (fs/exec.c + binfmt_elf + binfmt_script): reads the file, follows
 * "#!" interpreters, loads the ELF image and its PT_INTERP dynamic loader into a new address
 * space, and builds the initial stack with argv, envp and the auxiliary vector.
 */
public final class ProgramLoader {
    /** Load address of ET_DYN main programs, Linux's ELF_ET_DYN_BASE without randomisation. */
    public static final long ET_DYN_BASE = 0x555555554000L;
    public static final long STACK_TOP = AddressSpace.TASK_SIZE;
    public static final long STACK_SIZE = 8L << 20;
    private static final int MAX_INTERPRETER_DEPTH = 4;
    private static final long ARG_MAX = 2L * 1024 * 1024;
    /** CPUID.1:EDX of Unicorn's default qemu64 model, which Linux reports as AT_HWCAP. */
    private static final long HWCAP = 0x178bfbffL;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final FileResolver files;

    /** How the loader reaches guest files: a guest path to a host path. */
    public interface FileResolver {
        Path hostPath(String guestPath);
    }

    public ProgramLoader(FileResolver files) {
        this.files = files;
    }

    public ExecImage load(String path, List<String> argv, List<String> envp, Credentials creds) throws ExecException {
        return load(path, argv, envp, creds, files);
    }

    /** As above, resolving guest paths with the caller's resolver (its working directory). */
    public ExecImage load(String path, List<String> argv, List<String> envp, Credentials creds, FileResolver files)
            throws ExecException {
        return new ProgramLoader(files).loadWith(path, argv, envp, creds);
    }

    /**
     * Opens the file execve would run and closes it again: the errors of opening it (ENOENT,
     * EACCES, ...), which Linux reports before it looks at argv and envp (alloc_bprm comes first).
     */
    public void checkOpens(String path, FileResolver files) throws ExecException {
        new ProgramLoader(files).readExecutable(path).close();
    }

    private ExecImage loadWith(String path, List<String> argv, List<String> envp, Credentials creds) throws ExecException {
        List<String> args = new ArrayList<>(argv);
        String file = path;
        Opened exe = readExecutable(file);
        try {
            for (int depth = 0; startsWithShebang(exe.image()); depth++) {
                if (depth >= MAX_INTERPRETER_DEPTH) throw new ExecException(Errno.ELOOP, "too many levels of #! interpreters");
                String[] interp = parseShebang(exe.image(), file);
                // Linux replaces argv[0] by the interpreter (+ its one optional argument) and the script path.
                List<String> next = new ArrayList<>();
                next.add(interp[0]);
                if (interp[1] != null) next.add(interp[1]);
                next.add(file);
                if (!args.isEmpty()) next.addAll(args.subList(1, args.size()));
                args = next;
                file = interp[0];
                Opened interpreter = readExecutable(file);
                exe.close();
                exe = interpreter;
            }
            return loadElf(path, file, exe, args, envp, creds);
        } finally {
            exe.close();
        }
    }

    private ExecImage loadElf(String path, String file, Opened exe, List<String> args, List<String> envp, Credentials creds)
            throws ExecException {
        long size = 0;
        for (String s : args) size += s.length() + 1 + 8;
        for (String s : envp) size += s.length() + 1 + 8;
        if (size > ARG_MAX) throw new ExecException(Errno.E2BIG, "argument list too long");

        ElfFile elf = parse(exe, false);
        // The interpreter is opened and checked before anything is mapped: until then a failure is
        // an errno for the caller, as before Linux's point of no return (begin_new_exec).
        Opened ld = null;
        ElfFile interp = null;
        if (elf.interpreter().isPresent()) {
            String interpPath = elf.interpreter().get();
            ld = readFile(interpPath, "interpreter " + interpPath);
            try {
                interp = parse(ld, true);
            } catch (ExecException e) {
                ld.close();
                throw e;
            }
        }
        AddressSpace mm = new AddressSpace();
        try {
            checkSegments(elf);
            if (interp != null) checkSegments(interp);
            String exeName = canonical(file, exe);
            long bias = elf.type() == ElfFile.ElfType.DYN ? ElfLoader.chooseBias(elf, mm, ET_DYN_BASE) : 0;
            LoadedImage main = ElfLoader.load(elf, exe.bytesFor(elf), new ImageTarget(mm, exe, exeName), bias);
            nameSegments(mm, elf, bias, exeName, exe);
            long entry = main.entry();
            long interpBase = 0;
            if (interp != null) {
                String ldName = canonical(elf.interpreter().get(), ld);
                long ibias = interp.type() == ElfFile.ElfType.DYN ? ElfLoader.chooseBias(interp, mm, 0) : 0;
                LoadedImage li = ElfLoader.load(interp, ld.bytesFor(interp), new ImageTarget(mm, ld, ldName), ibias);
                nameSegments(mm, interp, ibias, ldName, ld);
                interpBase = li.bias();
                entry = li.entry();
            }
            mm.initBrk(main.highAddr());
            mm.mapAnonymous(STACK_TOP - STACK_SIZE, STACK_SIZE, 3,
                    AddressSpace.MAP_PRIVATE | AddressSpace.MAP_FIXED | AddressSpace.MAP_GROWSDOWN, "[stack]");
            List<InitialStack.AuxEntry> aux = List.of(
                    new InitialStack.AuxEntry(Auxv.AT_HWCAP, HWCAP),
                    new InitialStack.AuxEntry(Auxv.AT_PAGESZ, AddressSpace.PAGE),
                    new InitialStack.AuxEntry(Auxv.AT_CLKTCK, 100),
                    new InitialStack.AuxEntry(Auxv.AT_PHDR, main.phdrAddr()),
                    new InitialStack.AuxEntry(Auxv.AT_PHENT, main.phentsize()),
                    new InitialStack.AuxEntry(Auxv.AT_PHNUM, main.phnum()),
                    new InitialStack.AuxEntry(Auxv.AT_BASE, interpBase),
                    new InitialStack.AuxEntry(Auxv.AT_FLAGS, 0),
                    new InitialStack.AuxEntry(Auxv.AT_ENTRY, main.entry()),
                    new InitialStack.AuxEntry(Auxv.AT_UID, creds.uid()),
                    new InitialStack.AuxEntry(Auxv.AT_EUID, creds.euid()),
                    new InitialStack.AuxEntry(Auxv.AT_GID, creds.gid()),
                    new InitialStack.AuxEntry(Auxv.AT_EGID, creds.egid()),
                    new InitialStack.AuxEntry(Auxv.AT_SECURE, 0));
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            long sp = InitialStack.build(mm, STACK_TOP, args, envp, aux, random, path, "x86_64");
            mm.saveAuxv(auxvAt(mm, sp));
            return new ExecImage(mm, entry, sp, exeName, args, List.copyOf(envp), commOf(path));
        } catch (ExecException e) {
            mm.destroy();
            throw e;
        } catch (ElfException e) {
            mm.destroy();
            throw ExecException.fatal(Errno.ENOEXEC, e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            // Mapping failed: Linux is past the point of no return here and kills the process.
            mm.destroy();
            throw ExecException.fatal(Errno.ENOMEM, "cannot load program: " + e.getMessage());
        } finally {
            if (ld != null) ld.close();
        }
    }

    /**
     * What Linux can only find out while mapping, after the point of no return, so that the
     * process dies of SIGSEGV: a segment beyond user space, or zero-filled memory (bss) larger
     * than the host would commit (vm_brk_flags is always charged).
     */
    private static void checkSegments(ElfFile elf) throws ExecException {
        String problem = elf.loadProblem(AddressSpace.TASK_SIZE);
        if (problem != null) throw ExecException.fatal(Errno.EINVAL, problem);
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() != ProgramHeader.PT_LOAD) continue;
            if (Long.compareUnsigned(ph.memsz(), AddressSpace.TASK_SIZE) > 0
                    || Long.compareUnsigned(ph.vaddr(), AddressSpace.TASK_SIZE - ph.memsz()) > 0) {
                throw ExecException.fatal(Errno.ENOMEM, "ELF segment beyond the user address space");
            }
            long zeroed = AddressSpace.pageUp(ph.vaddr() + ph.memsz()) - AddressSpace.pageUp(ph.vaddr() + ph.filesz());
            if (dev.lxrun.kernel.syscalls.MemoryCommit.refuses(zeroed)) {
                throw ExecException.fatal(Errno.ENOMEM, "ELF segment of " + ph.memsz() + " bytes: more memory than the host commits");
            }
        }
    }

    /**
     * Each PT_LOAD's file-backed pages as maps shows them: the file's path, device, inode and the
     * segment's page-aligned offset (already so where the loader mapped the file; also where it
     * had to copy the bytes in). The bss pages past the file's part stay anonymous, as on Linux.
     */
    private static void nameSegments(AddressSpace mm, ElfFile elf, long bias, String name, Opened file) {
        long dev = 0, inode = 0, stamp = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144, 8);
            // Taken after the bytes were read and the pages mapped: a change before then makes
            // the ctime too recent to trust.
            if (HostPosix.fstat(file.fd(), st) == 0) {
                dev = st.get(JAVA_LONG, 0);
                inode = st.get(JAVA_LONG, 8);
                stamp = AddressSpace.stampOf(st.get(JAVA_LONG, 104), st.get(JAVA_LONG, 112));
            }
            // else no identity: maps shows 00:00 0 for this file, as for memory the kernel cannot name
        }
        for (var ph : elf.programHeaders()) {
            if (ph.type() != ProgramHeader.PT_LOAD || ph.filesz() == 0) continue;
            long start = AddressSpace.pageDown(bias + ph.vaddr());
            long end = AddressSpace.pageUp(bias + ph.vaddr() + ph.filesz());
            mm.nameFile(start, end, name, new AddressSpace.FileIdentity(dev, inode, AddressSpace.pageDown(ph.offset()), stamp));
        }
    }

    private static String commOf(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.length() > 15 ? base.substring(0, 15) : base;
    }

    /** The auxiliary vector InitialStack wrote above argv and envp, AT_NULL pair included. */
    private static byte[] auxvAt(AddressSpace mm, long sp) {
        long p = sp + 8 * (mm.readLong(sp) + 2);   // past argc, argv[] and its NULL
        while (mm.readLong(p) != 0) p += 8;       // past envp[]
        long start = p + 8;
        long end = start;
        while (mm.readLong(end) != 0) end += 16;  // a_type 0 is AT_NULL
        return mm.read(start, (int) (end + 16 - start));
    }

    /**
     * The path /proc/self/exe shows: absolute, with symlinks resolved, as the kernel's d_path; the
     * host's own d_path of the open file, one call where resolving the path walks every component.
     */
    private String canonical(String guestPath, Opened file) {
        String linked = HostPosix.fdPath(file.fd());
        if (linked != null) return linked;
        Path p = files.hostPath(guestPath);
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }

    /** The headers of a program or of the dynamic loader it names, refused with load_elf_binary's errno. */
    private static ElfFile parse(Opened file, boolean interpreter) throws ExecException {
        try {
            return interpreter ? ElfFile.parseInterpreter(file.image(), file.size()) : ElfFile.parse(file.image(), file.size());
        } catch (ElfException e) {
            int errno = switch (e.reason()) {
                case READ_FAILED -> Errno.EIO;
                case BAD_OFFSET -> Errno.EINVAL;
                case BAD_INTERPRETER -> Errno.ELIBBAD;
                default -> Errno.ENOEXEC;
            };
            throw new ExecException(errno, e.getMessage());
        }
    }

    private Opened readExecutable(String guestPath) throws ExecException {
        Path p = files.hostPath(guestPath);
        if (Files.isDirectory(p)) throw new ExecException(Errno.EACCES, "Is a directory");
        if (Files.exists(p) && !executableByCaller(p)) throw new ExecException(Errno.EACCES, "Permission denied");
        return readFile(guestPath, null);
    }

    /**
     * X_OK with the calling thread's filesystem ids (AT_EACCESS), which carry the guest's ids
     * (HostCredentials); Files.isExecutable would ask with the JVM's real uid.
     */
    private static boolean executableByCaller(Path p) {
        try (Arena a = Arena.ofConfined()) {
            return HostPosix.faccessat(HostPosix.AT_FDCWD, HostPosix.cString(a, p.toString().getBytes(HostPosix.PATH_CHARSET)),
                    1 /* X_OK */, 0x200 /* AT_EACCESS */) == 0;
        }
    }

    /**
     * An executable or interpreter opened for loading: its first bytes (at least the headers and
     * the interpreter's path, see ElfFile#headBytesNeeded), and the host descriptor its segments
     * are mapped from (one open file, so the headers read, the pages mapped and the identity
     * /proc/PID/maps shows and kept engines compare are the same file's).
     */
    private record Opened(byte[] image, long size, int fd) implements AutoCloseable {
        /** The bytes the loader copies from: the whole file when it copies segments, else the headers suffice. */
        byte[] bytesFor(ElfFile elf) throws ExecException {
            return ElfLoader.copiesFileBytes(elf) && image.length < size ? readBytes(fd, 0, size) : image;
        }

        @Override
        public void close() {
            HostPosix.close(fd);
        }
    }

    /** Headers are read first, the rest of the file only if the loader copies it. */
    private static final int HEAD_BYTES = 4096;

    private Opened readFile(String guestPath, String what) throws ExecException {
        Path p = files.hostPath(guestPath);
        int fd;
        try (Arena a = Arena.ofConfined()) {
            fd = HostPosix.openat(HostPosix.AT_FDCWD, HostPosix.cString(a, p.toString().getBytes(HostPosix.PATH_CHARSET)),
                    O_RDONLY | O_CLOEXEC, 0);
        }
        if (fd < 0) throw openFailure(-fd, what);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(144, 8);
            if (HostPosix.fstat(fd, st) != 0) throw new ExecException(Errno.EIO, "cannot read: fstat failed");
            // open_exec takes regular files only (a directory or device, program or loader, is EACCES)
            if ((st.get(java.lang.foreign.ValueLayout.JAVA_INT, 24) & 0170000) != 0100000) {
                throw new ExecException(Errno.EACCES, what == null ? "Permission denied" : what + ": Permission denied");
            }
            long size = st.get(JAVA_LONG, 48);
            byte[] head = readBytes(fd, 0, Math.min(size, HEAD_BYTES));
            long need = ElfFile.headBytesNeeded(head, size);
            if (need > head.length) head = readBytes(fd, 0, need);
            return new Opened(head, size, fd);
        } catch (ExecException | RuntimeException e) {
            HostPosix.close(fd);
            throw e;
        }
    }

    /** length bytes of fd from offset (fewer at the end of the file). */
    private static byte[] readBytes(int fd, long offset, long length) throws ExecException {
        if (length > Integer.MAX_VALUE - 16) throw new ExecException(Errno.ENOMEM, "file too large to execute");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, length), 8);
            long got = 0;
            while (got < length) {
                long n = HostPosix.pread(fd, buf.asSlice(got, length - got), offset + got);
                if (n < 0) throw openFailure((int) -n, null);
                if (n == 0) break;
                got += n;
            }
            return buf.asSlice(0, got).toArray(JAVA_BYTE);
        } catch (OutOfMemoryError e) {
            throw new ExecException(Errno.ENOMEM, "file too large to execute");
        }
    }

    private static ExecException openFailure(int errno, String what) {
        return switch (errno) {
            case Errno.ENOENT -> new ExecException(Errno.ENOENT, what == null ? "No such file or directory" : what + ": No such file or directory");
            case Errno.EACCES -> new ExecException(Errno.EACCES, "Permission denied");
            default -> new ExecException(errno, "cannot read: " + Errno.message(errno));
        };
    }

    private static final int O_RDONLY = 0, O_CLOEXEC = 02000000;

    /** The kernel's address space, with the image's segments mapped from its open file. */
    private record ImageTarget(AddressSpace mm, Opened file, String name) implements MemoryTarget {
        @Override public void map(long addr, long length, int prot) { mm.map(addr, length, prot); }
        @Override public void write(long addr, byte[] data, int offset, int length) { mm.write(addr, data, offset, length); }
        @Override public void protect(long addr, long length, int prot) { mm.protect(addr, length, prot); }
        @Override public long findFree(long hint, long length) { return mm.findFree(hint, length); }

        /** The file's pages, or, when the host cannot map them, fresh memory they are read into. */
        @Override
        public boolean mapFile(long addr, long length, long fileOffset) {
            // Pages past the end of the file would be SIGBUS on the host: those are read in (zeros
            // past the end, as lxrun's mmap gives them; Linux would raise SIGBUS on access).
            MemorySegment host = fileOffset + length <= ((file.size() + 4095) & -4096L)
                    ? HostMemory.mapFile(file.fd(), fileOffset, length, false, true) : null;
            if (host == null) {
                mm.map(addr, length, PROT_READ | PROT_WRITE);
                byte[] bytes;
                try {
                    bytes = readBytes(file.fd(), fileOffset, length);
                } catch (ExecException e) {
                    throw new IllegalStateException(e.getMessage());
                }
                mm.write(addr, bytes, 0, bytes.length);
                return true;
            }
            // The file's identity follows once the whole image is in (nameSegments).
            mm.mapHostMemory(addr, PROT_READ | PROT_WRITE, AddressSpace.MAP_PRIVATE | AddressSpace.MAP_FIXED, host, name);
            return true;
        }
    }

    private static boolean startsWithShebang(byte[] image) {
        return image.length >= 2 && image[0] == '#' && image[1] == '!';
    }

    /** Interpreter path and optional single argument, as binfmt_script splits them. */
    private static String[] parseShebang(byte[] image, String file) throws ExecException {
        int end = 2;
        while (end < image.length && end < 256 && image[end] != '\n') end++;
        String line = new String(Arrays.copyOfRange(image, 2, end), StandardCharsets.UTF_8).strip();
        if (line.isEmpty()) throw new ExecException(Errno.ENOEXEC, "Exec format error");
        int sp = indexOfBlank(line);
        if (sp < 0) return new String[] {line, null};
        String rest = line.substring(sp).strip();
        return new String[] {line.substring(0, sp), rest.isEmpty() ? null : rest};
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == ' ' || s.charAt(i) == '\t') return i;
        return -1;
    }
}
