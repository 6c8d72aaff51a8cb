package dev.lxrun.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a new program's initial stack exactly as Linux's execve (fs/exec.c, create_elf_tables)
 * lays it out, from the top down: an 8-byte zero word, the executable's file name (AT_EXECFN),
 * the environment strings, the argument strings, the platform string, 16 random bytes
 * (AT_RANDOM), then — 16-byte aligned — argc, argv[], NULL, envp[], NULL and the auxiliary vector.
 */
public final class InitialStack {
    /** One auxiliary vector entry supplied by the caller. */
    public record AuxEntry(int key, long value) {}

    private InitialStack() {}

    /**
     * Writes the stack below stackTop and returns the initial RSP (pointing at argc).
     * The caller's entries come first; AT_RANDOM follows AT_SECURE, then AT_EXECFN and
     * AT_PLATFORM, then AT_NULL, the order Linux uses.
     */
    public static long build(MemoryTarget mem, long stackTop, List<String> argv, List<String> envp,
                             List<AuxEntry> aux, byte[] random16, String execfn, String platform) {
        long p = stackTop - 8;
        mem.write(p, new byte[8], 0, 8);

        p = pushString(mem, p, execfn);
        long execfnAddr = p;
        long[] envAddrs = pushStrings(mem, p, envp);
        if (!envp.isEmpty()) p = envAddrs[0];
        long[] argAddrs = pushStrings(mem, p, argv);
        if (!argv.isEmpty()) p = argAddrs[0];

        p &= -16L;
        p = pushString(mem, p, platform);
        long platformAddr = p;
        p -= 16;
        mem.write(p, random16, 0, 16);
        long randomAddr = p;

        List<long[]> auxv = new ArrayList<>();
        for (AuxEntry e : aux) {
            auxv.add(new long[] {e.key(), e.value()});
            if (e.key() == Auxv.AT_SECURE) auxv.add(new long[] {Auxv.AT_RANDOM, randomAddr});
        }
        if (auxv.stream().noneMatch(e -> e[0] == Auxv.AT_RANDOM)) auxv.add(new long[] {Auxv.AT_RANDOM, randomAddr});
        auxv.add(new long[] {Auxv.AT_EXECFN, execfnAddr});
        auxv.add(new long[] {Auxv.AT_PLATFORM, platformAddr});
        auxv.add(new long[] {Auxv.AT_NULL, 0});

        int words = 1 + argv.size() + 1 + envp.size() + 1 + 2 * auxv.size();
        long sp = (p - 8L * words) & -16L;
        ByteBuffer b = ByteBuffer.allocate(8 * words).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(argv.size());
        for (long a : argAddrs) b.putLong(a);
        b.putLong(0);
        for (long a : envAddrs) b.putLong(a);
        b.putLong(0);
        for (long[] e : auxv) b.putLong(e[0]).putLong(e[1]);
        mem.write(sp, b.array(), 0, b.capacity());
        return sp;
    }

    /** Guest strings are byte strings carried one byte per char (ISO-8859-1), so any byte survives. */
    private static long pushString(MemoryTarget mem, long p, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        long at = p - bytes.length - 1;
        byte[] z = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, z, 0, bytes.length);
        mem.write(at, z, 0, z.length);
        return at;
    }

    /** Places the strings so that they appear in order in memory, ending just below p. */
    private static long[] pushStrings(MemoryTarget mem, long p, List<String> strings) {
        long[] addrs = new long[strings.size()];
        for (int i = strings.size() - 1; i >= 0; i--) {
            p = pushString(mem, p, strings.get(i));
            addrs[i] = p;
        }
        return addrs;
    }
}
