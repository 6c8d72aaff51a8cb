package dev.lxrun.net;

import dev.lxrun.kernel.Task;
import dev.lxrun.kernel.mm.AddressSpace;
import dev.lxrun.kernel.syscalls.HostArgs;
import dev.lxrun.syscalls.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A guest struct msghdr rebuilt in host memory: the iovecs point at the guest's buffers where
 * they are one host range each, else at bounce copies (a buffer spanning guest mappings); the
 * control data is a host copy, since its descriptors and credentials get rewritten.
 */
final class HostMsghdr implements AutoCloseable {
    private static final int SIZE = 56, IOVEC = 16, MAX_IOV = 1024, MAX_CONTROL = 65536;
    private static final int PROT_READ = 1, PROT_WRITE = 2;

    private final Arena arena = Arena.ofConfined();
    private final Task task;
    private final long guestMsg;
    private final MemorySegment hdr = arena.allocate(SIZE, 8);
    private final long[] bases;
    private final MemorySegment[] bounce;
    private final MemorySegment vec;
    private final MemorySegment control;
    final long guestName, guestControl;
    final int guestNameLen;

    private HostMsghdr(Task t, long msgAddr, long iovlen, long controllen) {
        task = t;
        guestMsg = msgAddr;
        AddressSpace mm = t.process.mm;
        guestName = mm.readLong(msgAddr);
        guestNameLen = mm.readInt(msgAddr + 8);
        guestControl = mm.readLong(msgAddr + 32);
        bases = new long[(int) iovlen];
        bounce = new MemorySegment[(int) iovlen];
        vec = arena.allocate(IOVEC * Math.max(iovlen, 1), 8);
        control = arena.allocate(Math.max(controllen, 1), 8);
        hdr.set(ValueLayout.JAVA_LONG, 16, vec.address());
        hdr.set(ValueLayout.JAVA_LONG, 24, iovlen);
        hdr.set(ValueLayout.JAVA_LONG, 32, controllen == 0 ? 0 : control.address());
        hdr.set(ValueLayout.JAVA_LONG, 40, controllen);
    }

    /** The guest msghdr at msgAddr for sending (guest data and control copied out) or receiving; null with err[0] set if invalid. */
    static HostMsghdr read(Task t, long msgAddr, boolean send, long[] err) {
        AddressSpace mm = t.process.mm;
        long iov = mm.readLong(msgAddr + 16), iovlen = mm.readLong(msgAddr + 24), controllen = mm.readLong(msgAddr + 40);
        if (Long.compareUnsigned(iovlen, MAX_IOV) > 0) { // copy_msghdr_from_user: more than UIO_MAXIOV
            err[0] = -Errno.EMSGSIZE;
            return null;
        }
        if (controllen < 0 || controllen > MAX_CONTROL) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        HostMsghdr m = new HostMsghdr(t, msgAddr, iovlen, controllen);
        try {
            for (int i = 0; i < iovlen; i++) {
                long base = mm.readLong(iov + IOVEC * i), len = mm.readLong(iov + IOVEC * i + 8);
                if (len < 0) {
                    m.close();
                    err[0] = -Errno.EINVAL;
                    return null;
                }
                m.iovec(i, base, len, send);
            }
            if (send && controllen > 0) {
                MemorySegment.copy(MemorySegment.ofArray(mm.read(m.guestControl, (int) controllen)), 0, m.control, 0, controllen);
            }
            if (!send) m.name(HostArgs.address(t, m.guestName, m.guestNameLen, PROT_WRITE), m.guestNameLen);
            return m;
        } catch (RuntimeException e) { // a guest fault: the host memory goes before the fault is reported
            m.close();
            throw e;
        }
    }

    /** Points host iovec i at guest [base, base+len), or at a bounce copy when that spans mappings. */
    private void iovec(int i, long base, long len, boolean send) {
        AddressSpace mm = task.process.mm;
        bases[i] = base;
        MemorySegment direct = len == 0 ? null : mm.direct(base, len, send ? PROT_READ : PROT_WRITE);
        if (direct == null && len > 0) {
            bounce[i] = arena.allocate(len);
            if (send) mm.copyOut(base, bounce[i], false);
        }
        vec.set(ValueLayout.JAVA_LONG, IOVEC * i, len == 0 ? 0 : (bounce[i] != null ? bounce[i] : direct).address());
        vec.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, len);
    }

    long address() {
        return hdr.address();
    }

    void name(long hostAddr, long len) {
        hdr.set(ValueLayout.JAVA_LONG, 0, hostAddr);
        hdr.set(ValueLayout.JAVA_INT, 8, (int) len);
    }

    MemorySegment control() {
        return control;
    }

    /** The control length: as the guest gave it, or after a receive what the host filled. */
    long controlLength() {
        return hdr.get(ValueLayout.JAVA_LONG, 40);
    }

    int flags() {
        return hdr.get(ValueLayout.JAVA_INT, 48);
    }

    /**
     * After a receive of n bytes: copies bounced data into guest memory, and the (rewritten)
     * control data, msg_namelen, msg_controllen and msg_flags into the guest's msghdr.
     */
    void completeReceive(long n, long controlLen, int flags) {
        AddressSpace mm = task.process.mm;
        long left = n;
        for (int i = 0; i < bases.length && left > 0; i++) {
            long got = Math.min(vec.get(ValueLayout.JAVA_LONG, IOVEC * i + 8), left);
            if (bounce[i] != null && got > 0) mm.copyIn(bases[i], bounce[i].asSlice(0, got), true);
            left -= got;
        }
        if (controlLen > 0) mm.writeBytes(guestControl, control.asSlice(0, controlLen).toArray(ValueLayout.JAVA_BYTE));
        mm.writeInt(guestMsg + 8, hdr.get(ValueLayout.JAVA_INT, 8));
        mm.writeLong(guestMsg + 40, controlLen);
        mm.writeInt(guestMsg + 48, flags);
    }

    @Override
    public void close() {
        arena.close();
    }
}
