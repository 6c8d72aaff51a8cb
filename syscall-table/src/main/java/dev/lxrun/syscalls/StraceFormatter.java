package dev.lxrun.syscalls;

/**
 * Formats one syscall the way strace does: {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3},
 * {@code read(3, "root:x:0:0"..., 4096) = 1024}, {@code open("x", O_RDONLY) = -1 ENOENT (No such file or directory)}.
 * Strings and buffers show at most {@link #STRING_LIMIT} bytes, as strace's default -s 32.
 */
public final class StraceFormatter {
    public static final int STRING_LIMIT = 32;
    private static final int AT_FDCWD = -100;
    private static final int O_CREAT = 0100, O_TMPFILE_BIT = 020000000;

    /** A finished call with its return value. */
    public String format(int nr, long[] args, long ret, GuestMemoryReader mem) {
        return call(nr, args, ret, mem) + " = " + result(nr, ret);
    }

    /** A call that does not return (exit_group, a successful execve's old image). */
    public String formatNoReturn(int nr, long[] args, GuestMemoryReader mem) {
        return call(nr, args, 0, mem) + " = ?";
    }

    private String call(int nr, long[] args, long ret, GuestMemoryReader mem) {
        ArgKind[] kinds = SyscallSignatures.of(nr);
        StringBuilder sb = new StringBuilder(Sysno.name(nr)).append('(');
        int n = kinds == null ? 6 : kinds.length;
        // open's mode is only meaningful, and only shown, when the flags create a file.
        if (kinds != null && n >= 2 && kinds[n - 1] == ArgKind.MODE && kinds[n - 2] == ArgKind.OPEN_FLAGS
                && (args[n - 2] & (O_CREAT | O_TMPFILE_BIT)) == 0) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            ArgKind kind = kinds == null ? ArgKind.PTR : kinds[i];
            long len = i + 1 < args.length ? args[i + 1] : 0;
            sb.append(arg(kind, args[i], len, ret, mem));
        }
        return sb.append(')').toString();
    }

    static String result(int nr, long ret) {
        if (Errno.isError(ret)) {
            int e = (int) -ret;
            return "-1 " + Errno.name(e) + " (" + Errno.message(e) + ")";
        }
        return switch (nr) {
            case Sysno.MMAP, Sysno.MREMAP, Sysno.BRK -> hex(ret);
            default -> Long.toString(ret);
        };
    }

    private String arg(ArgKind kind, long v, long nextArg, long ret, GuestMemoryReader mem) {
        return switch (kind) {
            case INT -> Long.toString(v);
            case UINT -> Long.toUnsignedString(v);
            case PTR -> v == 0 ? "NULL" : hex(v);
            case FD -> (int) v == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case STR -> cString(v, mem);
            case BUF_IN -> buffer(v, nextArg, mem);
            case BUF_OUT -> Errno.isError(ret) || ret < 0 ? hex(v) : buffer(v, ret, mem);
            case MODE -> String.format("0%03o", v & 07777);
            case OPEN_FLAGS -> openFlags((int) v);
            case PROT -> flags((int) v, "PROT_NONE", PROT_NAMES, PROT_BITS);
            case MAP_FLAGS -> mapFlags((int) v);
            case SIGNAL -> Signames.name((int) v);
            case AT_FLAGS -> flags((int) v, "0", AT_NAMES, AT_BITS);
            case ARCH_CODE -> named((int) v, ARCH_CODES, ARCH_NAMES);
            case CLOCK -> v >= 0 && v < CLOCKS.length ? CLOCKS[(int) v] : Long.toString(v);
            case WHENCE -> v >= 0 && v < WHENCES.length ? WHENCES[(int) v] : Long.toString(v);
            case SIG_HOW -> v >= 0 && v < HOWS.length ? HOWS[(int) v] : Long.toString(v);
            case FCNTL_CMD -> named((int) v, FCNTL_CODES, FCNTL_NAMES);
            case IOCTL_REQ -> named((int) v, IOCTL_CODES, IOCTL_NAMES);
            case ACCESS_MODE -> v == 0 ? "F_OK" : flags((int) v, "F_OK", ACCESS_NAMES, ACCESS_BITS);
            case STR_ARRAY -> stringArray(v, mem);
        };
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String named(int v, int[] codes, String[] names) {
        for (int i = 0; i < codes.length; i++) if (codes[i] == v) return names[i];
        return hex(v & 0xffffffffL);
    }

    private static String cString(long addr, GuestMemoryReader mem) {
        if (addr == 0) return "NULL";
        StringBuilder raw = new StringBuilder();
        try {
            boolean truncated = true;
            outer:
            for (long p = addr; raw.length() <= STRING_LIMIT; p += 16) {
                byte[] chunk = mem.read(p, 16);
                for (byte b : chunk) {
                    if (b == 0) { truncated = false; break outer; }
                    raw.append((char) (b & 0xff));
                }
            }
            if (!truncated) return quote(raw, raw.length(), false);
            return quote(raw, STRING_LIMIT, true);
        } catch (RuntimeException unreadable) {
            if (raw.isEmpty()) return hex(addr);
            return quote(raw, Math.min(raw.length(), STRING_LIMIT), true);
        }
    }

    private static String buffer(long addr, long len, GuestMemoryReader mem) {
        if (addr == 0 && len == 0) return "\"\"";
        int shown = (int) Math.min(Math.max(len, 0), STRING_LIMIT);
        try {
            byte[] b = mem.read(addr, shown);
            StringBuilder raw = new StringBuilder(shown);
            for (byte x : b) raw.append((char) (x & 0xff));
            return quote(raw, shown, len > STRING_LIMIT);
        } catch (RuntimeException unreadable) {
            return hex(addr);
        }
    }

    private static String stringArray(long addr, GuestMemoryReader mem) {
        if (addr == 0) return "NULL";
        StringBuilder sb = new StringBuilder("[");
        try {
            for (int i = 0; ; i++) {
                byte[] w = mem.read(addr + 8L * i, 8);
                long p = java.nio.ByteBuffer.wrap(w).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                if (p == 0) break;
                if (i > 0) sb.append(", ");
                if (i == 32) { sb.append("..."); break; }
                sb.append(cString(p, mem));
            }
        } catch (RuntimeException unreadable) {
            return hex(addr);
        }
        return sb.append(']').toString();
    }

    private static String quote(CharSequence raw, int n, boolean ellipsis) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < n && i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c >= 0x7f) sb.append('\\').append(Integer.toOctalString(c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
        if (ellipsis) sb.append("...");
        return sb.toString();
    }

    private static String flags(int v, String zero, String[] names, int[] bits) {
        if (v == 0) return zero;
        StringBuilder sb = new StringBuilder();
        int rest = v;
        for (int i = 0; i < bits.length; i++) {
            if ((rest & bits[i]) == bits[i] && bits[i] != 0) {
                if (!sb.isEmpty()) sb.append('|');
                sb.append(names[i]);
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            if (!sb.isEmpty()) sb.append('|');
            sb.append(hex(rest & 0xffffffffL));
        }
        return sb.toString();
    }

    private static String openFlags(int v) {
        String acc = switch (v & 3) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        };
        int rest = v & ~3;
        return rest == 0 ? acc : acc + "|" + flags(rest, "", OPEN_NAMES, OPEN_BITS);
    }

    private static String mapFlags(int v) {
        String type = switch (v & 3) {
            case 1 -> "MAP_SHARED";
            case 2 -> "MAP_PRIVATE";
            case 3 -> "MAP_SHARED_VALIDATE";
            default -> "0";
        };
        int rest = v & ~3;
        return rest == 0 ? type : type + "|" + flags(rest, "", MAP_NAMES, MAP_BITS);
    }

    // O_SYNC includes O_DSYNC's bit and O_TMPFILE includes O_DIRECTORY's, so the wider ones come first.
    private static final String[] OPEN_NAMES = {"O_TMPFILE", "O_SYNC", "O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC",
            "O_APPEND", "O_NONBLOCK", "O_DSYNC", "O_ASYNC", "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW",
            "O_NOATIME", "O_CLOEXEC", "O_PATH"};
    private static final int[] OPEN_BITS = {020200000, 04010000, 0100, 0200, 0400, 01000, 02000, 04000, 010000,
            020000, 040000, 0100000, 0200000, 0400000, 01000000, 02000000, 010000000};
    private static final String[] PROT_NAMES = {"PROT_READ", "PROT_WRITE", "PROT_EXEC", "PROT_GROWSDOWN", "PROT_GROWSUP"};
    private static final int[] PROT_BITS = {1, 2, 4, 0x01000000, 0x02000000};
    private static final String[] MAP_NAMES = {"MAP_FIXED", "MAP_ANONYMOUS", "MAP_32BIT", "MAP_GROWSDOWN",
            "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_LOCKED", "MAP_NORESERVE", "MAP_POPULATE", "MAP_NONBLOCK",
            "MAP_STACK", "MAP_HUGETLB", "MAP_SYNC", "MAP_FIXED_NOREPLACE"};
    private static final int[] MAP_BITS = {0x10, 0x20, 0x40, 0x100, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000,
            0x20000, 0x40000, 0x80000, 0x100000};
    private static final String[] AT_NAMES = {"AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_SYMLINK_FOLLOW",
            "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC", "AT_RECURSIVE"};
    private static final int[] AT_BITS = {0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000};
    private static final String[] ACCESS_NAMES = {"R_OK", "W_OK", "X_OK"};
    private static final int[] ACCESS_BITS = {4, 2, 1};
    private static final int[] ARCH_CODES = {0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012, 0x3001};
    private static final String[] ARCH_NAMES = {"ARCH_SET_GS", "ARCH_SET_FS", "ARCH_GET_FS", "ARCH_GET_GS",
            "ARCH_GET_CPUID", "ARCH_SET_CPUID", "ARCH_CET_STATUS"};
    private static final String[] CLOCKS = {"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
            "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
            "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM"};
    private static final String[] WHENCES = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"};
    private static final String[] HOWS = {"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"};
    private static final int[] FCNTL_CODES = {0, 1, 2, 3, 4, 5, 6, 7, 1030, 36, 37, 38, 1024, 1025, 1033, 1034};
    private static final String[] FCNTL_NAMES = {"F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_GETLK",
            "F_SETLK", "F_SETLKW", "F_DUPFD_CLOEXEC", "F_OFD_GETLK", "F_OFD_SETLK", "F_OFD_SETLKW", "F_SETLEASE",
            "F_GETLEASE", "F_ADD_SEALS", "F_GET_SEALS"};
    private static final int[] IOCTL_CODES = {0x5401, 0x5402, 0x5403, 0x5404, 0x540F, 0x5410, 0x5413, 0x5414,
            0x541B, 0x5421, 0x5451, 0x5450};
    private static final String[] IOCTL_NAMES = {"TCGETS", "TCSETS", "TCSETSW", "TCSETSF", "TIOCGPGRP", "TIOCSPGRP",
            "TIOCGWINSZ", "TIOCSWINSZ", "FIONREAD", "FIONBIO", "FIOCLEX", "FIONCLEX"};
}
